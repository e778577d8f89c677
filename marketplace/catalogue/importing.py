"""Many products at once from a spreadsheet (CSV or XLSX): every row checked, and a
file with any bad row imports nothing, so a manager fixes it and sends it again.

A row is matched to the shop's goods by its SKU (the `sku` column, or else the one
`sku_for` gives its title): a known SKU updates that product, a new one lists a product,
so sending the same file twice changes nothing the second time."""

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from oscar.core.loading import get_model
from django.utils.translation import gettext as _

from shops.models import Bumkam
from shops.rich_text import clean_html
from shops.services import producer_create

from ..constants import MAX_POSITIVE_INTEGER, MAX_PRICE
from ..errors import UserError
from ..exports import FORMULA_STARTS
from ..html import thousands
from ..oscar.catalogue.models import category_name_error
from .selectors import CategoryIndex, category_paths
from .services import ProductData, product_create, product_update, sku_for

StockRecord = get_model("partner", "StockRecord")

COLUMNS = ["sku", "judul", "deskripsi", "kategori", "harga", "stok", "berat_gram", "produsen", "pirt", "halal", "bpom"]
REQUIRED = ["judul", "kategori", "harga", "stok", "berat_gram"]
# The longest text each column's field holds (Oscar's category name, our product's permit numbers).
MAX_LENGTHS = {"sku": 128, "judul": 255, "kategori": 200, "produsen": 150, "pirt": 30, "halal": 40, "bpom": 30}
MAX_ROWS = 1000


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self):
        return _("Baris %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportResult:
    created: list
    updated: list
    unchanged: list


class ImportRejected(UserError):
    """The whole file is refused, with every row's reason, and nothing is imported."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(map(str, errors)))
        self.errors = errors


def read_rows(name: str, content: bytes) -> list[dict]:
    """Rows as dicts keyed by lower-case column names; line numbers count the header as 1."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
            raise ImportRejected([RowError(1, _("berkas bukan XLSX yang bisa dibaca"))]) from error
        values = [["" if v is None else str(v).strip() for v in row] for row in sheet.iter_rows(values_only=True)]
    elif name.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRejected([RowError(1, _("simpan CSV sebagai UTF-8"))]) from None
        try:  # the header row says how columns are split: comma, semicolon (Excel in Indonesian) or tab
            dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
            values = [[v.strip() for v in row] for row in csv.reader(io.StringIO(text), dialect)]
        except csv.Error:
            raise ImportRejected([RowError(1, _("baris judul kolom tidak terbaca; unduh templat dan isi kolomnya"))]) from None
    else:
        raise ImportRejected([RowError(1, _("kirim berkas .csv atau .xlsx"))])
    if not values:
        raise ImportRejected([RowError(1, _("berkas kosong"))])
    with_nul = [n for n, row in enumerate(values, start=1) if any("\x00" in v for v in row)]
    if with_nul:  # PostgreSQL keeps no NUL in text; no honest spreadsheet has one
        raise ImportRejected([RowError(n, _("berisi karakter NUL yang tidak diizinkan")) for n in with_nul[:20]])
    # our own template and exports quote text that could start a formula ('=...): read it back as written
    values = [[v[1:] if v[:1] == "'" and v[1:2] and v[1] in FORMULA_STARTS else v for v in row] for row in values]
    header = [h.lower().replace(" ", "_") for h in values[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportRejected([RowError(1, _("kolom wajib tidak ada: %(cols)s") % {"cols": ", ".join(missing)})])
    width = len(header)  # a row whose last cells are empty may come shorter: every column is in each row
    rows = [dict(zip(header, row + [""] * (width - len(row)))) | {"_line": n}
            for n, row in enumerate(values[1:], start=2) if any(row)]
    if len(rows) > MAX_ROWS:
        raise ImportRejected([RowError(1, _("paling banyak %(max)d baris sekali impor") % {"max": MAX_ROWS})])
    return rows


def _whole_number(value: str, label: str, minimum: int, maximum: int = MAX_POSITIVE_INTEGER) -> int:
    """The same limits as the listing form's fields, which are those of the columns."""
    cleaned = value.replace(".", "").replace(" ", "").removeprefix("Rp").removeprefix("rp")
    if not (cleaned.isascii() and cleaned.isdigit()) or len(cleaned) > 30:
        raise ValueError(_("%(label)s harus bilangan bulat, bukan \u201c%(value)s\u201d")
                         % {"label": label, "value": value[:40]})
    number = int(cleaned)
    if number < minimum:
        raise ValueError(_("%(label)s paling kecil %(min)d") % {"label": label, "min": minimum})
    if number > maximum:
        raise ValueError(_("%(label)s paling besar %(max)s") % {"label": label, "max": thousands(maximum)})
    return number


def _row_sku(row: dict, bumkam: Bumkam) -> str:
    """The row's key: its own SKU, which must be this shop's, or the one its title gives."""
    given = (row.get("sku") or "").strip()
    if not given:
        return sku_for(bumkam=bumkam, name=row["judul"])
    prefix = f"{bumkam.kampung.code}-"
    if not given.startswith(prefix) or StockRecord.objects.filter(partner_sku=given).exclude(
            partner=bumkam.partner).exists():
        raise ValueError(_("kode SKU %(sku)s milik toko lain; kode SKU produk toko ini diawali %(prefix)s "
                           "(kosongkan kolom sku untuk produk baru)") % {"sku": given[:60], "prefix": prefix})
    return given


def _row_data(row: dict, bumkam: Bumkam, categories: CategoryIndex) -> ProductData:
    for column in REQUIRED:
        if not row.get(column):
            raise ValueError(_("kolom %(col)s kosong") % {"col": column})
    for column, longest in MAX_LENGTHS.items():
        if len(row.get(column) or "") > longest:
            raise ValueError(_("%(col)s terlalu panjang: paling banyak %(max)d huruf") % {"col": column, "max": longest})
    title = row["judul"]
    sku = _row_sku(row, bumkam)
    price = _whole_number(row["harga"], _("harga"), 100, MAX_PRICE)
    stock = _whole_number(row["stok"], _("stok"), 0)
    weight_grams = _whole_number(row["berat_gram"], _("berat"), 1)
    for name in row["kategori"].split(">"):
        error = category_name_error(name)
        if error:
            raise ValueError(str(error)[0].lower() + str(error)[1:].rstrip("."))
    category = categories.find(row["kategori"])
    if category is None:  # managers file goods under the regency's tree; they do not grow it
        raise ValueError(_("kategori \u201c%(name)s\u201d tidak ada dalam daftar kategori kabupaten; "
                           "tulis seperti di formulir produk, mis. \u201cMinuman > Kopi\u201d, "
                           "atau minta admin kabupaten menambahkannya") % {"name": row["kategori"]})
    return ProductData(
        title=title, description=clean_html(row.get("deskripsi", "")), category=category,
        price=price, stock=stock, weight_grams=weight_grams,
        sku=sku,
        producer=None, pirt_number=row.get("pirt", ""), halal_number=row.get("halal", ""), bpom_number=row.get("bpom", ""),
    )


def products_import(*, bumkam: Bumkam, name: str, content: bytes, acting_user=None) -> ImportResult:
    rows = read_rows(name, content)
    errors, prepared, categories, lines_of_sku = [], [], CategoryIndex(), {}
    for row in rows:
        try:
            data = _row_data(row, bumkam, categories)
        except ValueError as error:
            errors.append(RowError(row["_line"], str(error)))
            continue
        if data.sku in lines_of_sku:  # the same name twice in one file: one SKU, one product
            errors.append(RowError(row["_line"], _("produk sama dengan baris %(line)d (kode SKU %(sku)s)")
                                   % {"line": lines_of_sku[data.sku], "sku": data.sku}))
            continue
        lines_of_sku[data.sku] = row["_line"]
        prepared.append((row, data))
    if errors:
        raise ImportRejected(errors)
    if not prepared:
        raise ImportRejected([RowError(2, _("tidak ada baris produk"))])
    result = ImportResult(created=[], updated=[], unchanged=[])
    with transaction.atomic():
        existing = {record.partner_sku: record.product for record in StockRecord.objects.filter(
            partner=bumkam.partner, partner_sku__in=lines_of_sku).select_related("product__producer")}
        for row, data in prepared:
            product = existing.get(data.sku)
            try:
                if product is None:
                    producer = producer_create(bumkam=bumkam, name=row["produsen"]) if row.get("produsen") else None
                    data = ProductData(**{**data.__dict__, "producer": producer})
                    result.created.append(product_create(bumkam=bumkam, data=data, acting_user=acting_user))
                else:
                    data = _kept_where_missing(row, data, product, bumkam)
                    changed = product_update(product=product, data=data, acting_user=acting_user)
                    (result.updated if changed else result.unchanged).append(product)
            except UserError as error:  # e.g. a title another product of the shop has: reported, nothing imported
                errors.append(RowError(row["_line"], str(error)[0].lower() + str(error)[1:].rstrip(".")))
        if errors:
            raise ImportRejected(errors)  # leaving the block rolls back every row
    return result


def _kept_where_missing(row: dict, data: ProductData, product, bumkam: Bumkam) -> ProductData:
    """An update changes what the file has columns for; a product's other details stay."""
    kept = {"is_flagship": product.is_flagship}
    if "deskripsi" not in row:
        kept["description"] = product.description
    for column, field in (("pirt", "pirt_number"), ("halal", "halal_number"), ("bpom", "bpom_number")):
        if column not in row:
            kept[field] = getattr(product, field)
    if "produsen" not in row:
        kept["producer"] = product.producer
    else:
        kept["producer"] = producer_create(bumkam=bumkam, name=row["produsen"]) if row["produsen"] else None
    return ProductData(**{**data.__dict__, **kept})


def template_rows() -> tuple[list[str], list[list]]:
    """The spreadsheet to start from: the columns and one example row that imports as it is
    (its category one of the regency's tree; the SKU left empty, as for any new product)."""
    leaves = [path for path, category in category_paths() if category.is_leaf()]
    leaves.sort(key=lambda path: "keripik" not in path.casefold())  # the example's own category first, if any
    example = {"sku": "", "judul": "Keripik Nenas 200 g", "deskripsi": "Renyah, tanpa pengawet.",
               "kategori": leaves[0] if leaves else "Makanan ringan > Keripik", "harga": 25000, "stok": 10,
               "berat_gram": 250, "produsen": "", "pirt": "", "halal": "", "bpom": ""}
    return COLUMNS, [[example[column] for column in COLUMNS]]
