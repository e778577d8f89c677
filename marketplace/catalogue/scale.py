"""A catalogue at scale for load tests: N believable products over the shops and categories
that already exist (the Siak demo), written with bulk_create.

The goods a user lists go through services.product_create (one product, its checks, its
audit, its index journal row); 100,000 of those would take an hour, so this writes the same
three rows per product (Product, StockRecord, ProductCategory) in batches, with no signals,
and leaves the search index to be rebuilt once afterwards (manage.py generate_catalogue
does both). Titles and descriptions are drawn from what each category holds, with a fixed
random seed, so a run is the same every time.
"""

import json
import os
import random
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.text import slugify
from oscar.core.loading import get_model

from shops.constants import ShopStatus
from shops.models import Bumkam, Producer

from .services import village_product_class

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
StockRecord = get_model("partner", "StockRecord")

BATCH = 5_000
SOLD_OUT = 0.08  # share of products with nothing left
SKU_PREFIX = "skala"  # generated SKUs read "<kampung code>-skala-<seed>-<n>"


@dataclass(frozen=True)
class Kind:
    """What a leaf category holds: names, what sets one apart, sizes, a price range."""

    names: tuple[str, ...]
    variants: tuple[str, ...]
    sizes: tuple[str, ...]
    prices: tuple[int, int]
    food: bool = True
    traits: tuple[str, ...] = ()


KINDS = {
    "Beras": Kind(("Beras", "Beras Pulen", "Beras Merah", "Beras Hitam", "Beras Ketan"),
                  ("Bunga Raya", "Organik", "Premium", "Medium", "Pandan Wangi", "Lokal"),
                  ("1 kg", "2 kg", "5 kg", "10 kg"), (15_000, 180_000), food=False,
                  traits=("digiling baru", "tanpa pemutih", "dari sawah tadah hujan", "pulen dan wangi")),
    "Gula aren": Kind(("Gula Aren", "Gula Semut Aren", "Gula Merah Kelapa", "Gula Aren Cair"),
                      ("Cetak", "Batok", "Kristal", "Murni", "Organik"),
                      ("250 g", "500 g", "1 kg"), (12_000, 60_000),
                      traits=("dari nira segar", "tanpa campuran gula pasir", "dimasak di tungku kayu")),
    "Sagu": Kind(("Sagu Lemak", "Sagu Rendang", "Tepung Sagu", "Mi Sagu", "Sagu Mutiara"),
                 ("Selatpanjang", "Halus", "Butir", "Kering"), ("250 g", "500 g", "1 kg"), (8_000, 40_000),
                 traits=("dari batang rumbia kampung", "untuk bubur dan kue", "dijemur di bawah matahari")),
    "Keripik": Kind(("Keripik Nenas", "Keripik Pisang", "Keripik Ubi", "Keripik Talas", "Keripik Sukun",
                     "Keripik Tempe", "Keripik Nangka", "Keripik Bayam", "Keripik Jamur", "Keripik Singkong"),
                    ("Pedas", "Manis", "Original", "Balado", "Keju", "Asin Gurih", "Jagung Bakar"),
                    ("100 g", "200 g", "250 g", "500 g"), (10_000, 45_000),
                    traits=("renyah", "digoreng vakum", "tanpa pengawet", "dikemas rapat")),
    "Dodol dan lempuk": Kind(("Dodol Nenas", "Dodol Durian", "Lempuk Durian", "Dodol Ketan", "Dodol Pulut"),
                             ("Legit", "Original", "Gula Aren", "Premium"), ("250 g", "500 g"), (15_000, 80_000),
                             traits=("dimasak di kuali enam jam", "legit", "tanpa tepung", "dibungkus daun pisang")),
    "Selai": Kind(("Selai Nenas", "Selai Srikaya", "Selai Durian", "Selai Nangka"),
                  ("Homemade", "Tanpa Pewarna", "Kental"), ("200 g", "300 g", "500 g"), (15_000, 45_000),
                  traits=("untuk kue bangkit dan roti", "tanpa pewarna", "dimasak dengan gula aren")),
    "Kerupuk": Kind(("Kerupuk Ikan", "Kerupuk Udang", "Kerupuk Kulit", "Rempeyek Kacang", "Rempeyek Teri",
                     "Kerupuk Jengkol"),
                    ("Selais", "Patin", "Mentah", "Siap Makan", "Pedas"), ("200 g", "250 g", "500 g"),
                    (12_000, 50_000), traits=("mengembang saat digoreng", "renyah", "gurih")),
    "Kue": Kind(("Bolu Kemojo", "Kue Bangkit", "Kue Bawang", "Bolu Berendam", "Kue Sagon", "Kue Lidah Kucing"),
                ("Pandan", "Sagu", "Keju", "Kelapa", "Durian"), ("300 g", "500 g", "1 kotak"), (20_000, 90_000),
                traits=("khas Melayu Riau", "untuk hari raya dan oleh-oleh", "dipanggang di cetakan bunga")),
    "Sirup": Kind(("Sirup Nenas", "Sirup Markisa", "Sirup Jeruk Kasturi", "Sirup Pala"),
                  ("Kental", "Asli", "Tanpa Pengawet"), ("600 ml", "1 liter"), (20_000, 60_000),
                  traits=("cukup satu sendok untuk segelas", "dari buah segar")),
    "Madu": Kind(("Madu Sialang", "Madu Kelulut", "Madu Hutan", "Madu Akasia"),
                 ("Murni", "Asli", "Mentah", "Premium"), ("250 ml", "500 ml", "1 liter"), (60_000, 300_000),
                 traits=("dipanen dari hutan kampung", "tanpa campuran", "rasa manis asam yang khas")),
    "Kopi": Kind(("Kopi Robusta", "Kopi Liberika", "Kopi Arabika", "Kopi Luwak Liar"),
                 ("Bubuk", "Biji", "Sangrai Sedang", "Sangrai Gelap", "Gambut"), ("100 g", "250 g", "500 g"),
                 (25_000, 150_000), traits=("aroma nangka yang lembut", "digiling saat dipesan", "dari kebun rakyat")),
    "Teh dan rempah": Kind(("Teh Serai", "Wedang Jahe Merah", "Teh Daun Kelor", "Kunyit Asam", "Kayu Manis"),
                           ("Wangi", "Instan", "Celup", "Kering"), ("50 g", "100 g", "250 g"), (10_000, 45_000),
                           traits=("tinggal seduh", "hangat sehabis hujan", "tanpa gula")),
    "Ikan salai": Kind(("Ikan Salai Selais", "Ikan Salai Baung", "Ikan Salai Patin", "Ikan Salai Lais"),
                       ("Kering", "Asap Kayu", "Super"), ("250 g", "500 g", "1 kg"), (50_000, 200_000),
                       traits=("diasap dengan kayu laban", "untuk gulai asam pedas", "tahan sebulan")),
    "Udang dan terasi": Kind(("Terasi Udang", "Udang Kering", "Ebi", "Cincalok"),
                             ("Rebon", "Sungai Apit", "Pesisir", "Super"), ("100 g", "250 g", "500 g"),
                             (15_000, 90_000), traits=("harum dan tidak pahit", "dijemur di tepi laut")),
    "Tenun Siak": Kind(("Kain Tenun Songket", "Selendang Tenun", "Sarung Tenun", "Kain Tenun Siak"),
                       ("Pucuk Rebung", "Siku Keluang", "Benang Emas", "Bunga Tanjung"), ("",),
                       (250_000, 1_500_000), food=False,
                       traits=("ditenun tangan", "dua bulan pengerjaan", "motif Melayu Siak")),
    "Busana Melayu": Kind(("Tanjak Melayu", "Batik Tabir", "Baju Kurung", "Teluk Belanga", "Kain Samping"),
                          ("Songket", "Cap", "Tulis", "Anak-anak", "Dewasa"), ("",), (100_000, 600_000), food=False,
                          traits=("siap pakai", "dijahit penjahit kampung", "motif tabir")),
    "Anyaman": Kind(("Tikar Pandan", "Tas Anyaman Pandan", "Topi Anyaman", "Bakul Rotan", "Tudung Saji"),
                    ("Pandan Duri", "Rotan", "Lidi Nipah", "Warna Alam"), ("", "Kecil", "Besar"), (25_000, 250_000),
                    food=False, traits=("dianyam ibu-ibu kampung", "kuat dan ringan")),
    "Cendera mata": Kind(("Miniatur Istana Siak", "Miniatur Balai Kerapatan", "Gantungan Kunci Siak",
                          "Miniatur Jembatan Tengku Agung"),
                         ("Kayu", "Resin", "Ukir"), ("", "Kecil", "Besar"), (15_000, 400_000), food=False,
                         traits=("buatan pengrajin kampung", "cocok untuk oleh-oleh")),
}


def catalogue_generate(*, products: int, seed: int = 1) -> int:
    """Make the catalogue hold `products` generated products of this seed, spread over the
    approved shops and the leaf categories KINDS names; the number created (a second run
    with the same numbers creates none). The search index is not written (rebuild it after)."""
    done = StockRecord.objects.filter(partner_sku__contains=f"-{SKU_PREFIX}-{seed}-").count()
    rng = random.Random(seed * 1_000_003 + done)
    shops = list(Bumkam.objects.filter(status=ShopStatus.APPROVED).select_related("kampung", "partner")
                 .order_by("pk"))
    leaves = [category for category in Category.objects.order_by("path")
              if category.name in KINDS and category.is_leaf()]
    if not shops or not leaves:
        raise ValueError("Belum ada toko atau kategori: muat data demo lebih dulu (manage.py load_demo).")
    producers: dict[int, list[int | None]] = {shop.pk: [None] for shop in shops}
    for producer_id, shop_id in Producer.objects.values_list("pk", "bumkam_id"):
        producers.setdefault(shop_id, [None]).append(producer_id)
    product_class = village_product_class()
    first = done
    while done < products:
        size = min(BATCH, products - done)
        with transaction.atomic():
            _batch(rng, size=size, start=done, seed=seed, shops=shops, leaves=leaves, producers=producers,
                   product_class=product_class)
        done += size
    return done - first


def _batch(rng, *, size, start, seed, shops, leaves, producers, product_class) -> None:
    rows = []
    for n in range(start, start + size):
        shop, category = rng.choice(shops), rng.choice(leaves)
        kind = KINDS[category.name]
        title = " ".join(part for part in (rng.choice(kind.names), rng.choice(kind.variants),
                                             rng.choice(kind.sizes)) if part)
        low, high = kind.prices
        rows.append((n, shop, category, kind, title, round(rng.randint(low, high), -3)))
    made = Product.objects.bulk_create([
        Product(
            product_class=product_class, title=title, slug=slugify(title)[:255],
            description=_description(rng, title=title, kind=kind, shop=shop),
            producer_id=rng.choice(producers[shop.pk]), weight_grams=rng.choice((100, 250, 500, 1000, 2000)),
            halal_number=f"ID{rng.randrange(10**13, 10**14)}" if kind.food and rng.random() < 0.7 else "",
            pirt_number=(f"{rng.randrange(10**14, 10**15)}-{rng.randrange(10, 30)}"
                         if kind.food and rng.random() < 0.6 else ""),
        )
        for _n, shop, _category, kind, title, _price in rows
    ])
    StockRecord.objects.bulk_create([
        StockRecord(product=product, partner=shop.partner, partner_sku=f"{shop.kampung.code}-{SKU_PREFIX}-{seed}-{n}",
                    price=price, price_currency="IDR",
                    num_in_stock=0 if rng.random() < SOLD_OUT else rng.randrange(1, 200))
        for product, (n, shop, _category, _kind, _title, price) in zip(made, rows)
    ])
    ProductCategory.objects.bulk_create([
        ProductCategory(product=product, category=category)
        for product, (_n, _shop, category, _kind, _title, _price) in zip(made, rows)
    ])
    # listed over the last two years, so 'newest' has something to sort
    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalogue_product SET date_created = now() - random() * interval '730 days' "
                       "WHERE id = ANY(%s)", [[product.pk for product in made]])


def _description(rng, *, title, kind, shop) -> str:
    traits = rng.sample(kind.traits, min(2, len(kind.traits)))
    return f"{title} dari {shop.kampung.name}, {', '.join(traits)}. Dikirim oleh {shop.name} ke seluruh Indonesia."


# The renditions the pages show, as their templates ask for them (oscar_thumbnail size and options):
# a product card (portal, village home, catalogue, category, storefront, search), the product page's
# photo (Oscar's gallery), the basket's line and a manager's list of goods.
RENDITIONS = (
    ("320x320", {"crop": "center", "upscale": False}),
    ("440x400", {"upscale": False}),
    ("80x80", {"upscale": False}),
    ("128x128", {"crop": "center", "upscale": False}),
)
PHOTO_DIR = "images/products/skala"


def photos_generate(*, seed: int = 1) -> int:
    """Give every generated product of this seed without a photo one, with its renditions made.

    The photo is a hard link to a demo photo of the same category under the product's own
    name, so each product has its own file and its own renditions (sorl-thumbnail keys them
    by file name) while the disk holds the demo's few hundred pictures. The renditions of
    each demo photo are made once by sorl-thumbnail itself; every product's are hard links to
    them under the names sorl-thumbnail computes, with its key-value rows written in bulk,
    so the pages find them ready exactly as if a visitor had asked for them before."""
    from django.core.files.storage import default_storage
    from oscar.core.thumbnails import get_thumbnailer
    from sorl.thumbnail import default as sorl
    from sorl.thumbnail.images import ImageFile
    from sorl.thumbnail.kvstores.base import add_prefix
    from sorl.thumbnail.models import KVStore

    ProductImage = get_model("catalogue", "ProductImage")
    generated = Product.objects.filter(stockrecords__partner_sku__contains=f"-{SKU_PREFIX}-{seed}-")
    pool: dict[int, list[str]] = {}
    for name, category_id in (ProductImage.objects.exclude(product__in=generated)
                              .values_list("original", "product__categories")):
        if default_storage.exists(name):  # a photo row whose file is gone (replaced, restored) is no model
            pool.setdefault(category_id, []).append(name)
    pictures = sorted({name for names in pool.values() for name in names})
    if not pictures:
        raise ValueError("Belum ada foto produk demo: muat data demo lebih dulu (manage.py load_demo).")

    # Each demo photo's renditions, made by sorl-thumbnail, and the options it fills in for them.
    thumbnailer, options_used = get_thumbnailer(), {}
    real_filename = sorl.backend._get_thumbnail_filename

    def filename(source, geometry, options):
        options_used[geometry] = dict(options)
        return real_filename(source, geometry, options)

    sorl.backend._get_thumbnail_filename = filename
    try:
        made = {(picture, geometry): thumbnailer.generate_thumbnail(picture, size=geometry, **dict(options))
                for picture in pictures for geometry, options in RENDITIONS}
    finally:
        del sorl.backend._get_thumbnail_filename
    sizes = {picture: sorl.kvstore.get(ImageFile(picture)).size for picture in pictures}

    todo = list(generated.filter(images__isnull=True).values_list("pk", "categories").order_by("pk"))
    rng, folders = random.Random(seed), set()

    def link(source: str, target: str) -> None:
        path = default_storage.path(target)
        folder = path.rsplit("/", 1)[0]
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        try:
            os.link(default_storage.path(source), path)
        except FileExistsError:
            pass

    for start in range(0, len(todo), BATCH):
        images, rows = [], []
        for product_id, category_id in todo[start:start + BATCH]:
            picture = rng.choice(pool.get(category_id) or pictures)
            name = f"{PHOTO_DIR}/{seed}/{product_id % 1000:03d}/{product_id}.jpg"
            link(picture, name)
            images.append(ProductImage(product_id=product_id, original=name, display_order=0))
            source = ImageFile(name)
            source.set_size(sizes[picture])
            rows.append(KVStore(key=add_prefix(source.key), value=source.serialize()))
            thumbnail_keys = []
            for geometry, _options in RENDITIONS:
                ready = made[picture, geometry]
                thumbnail = ImageFile(real_filename(source, geometry, options_used[geometry]), sorl.storage)
                link(ready.name, thumbnail.name)
                thumbnail.set_size(ready.size)
                rows.append(KVStore(key=add_prefix(thumbnail.key), value=thumbnail.serialize()))
                thumbnail_keys.append(thumbnail.key)
            rows.append(KVStore(key=add_prefix(source.key, "thumbnails"), value=json.dumps(thumbnail_keys)))
        with transaction.atomic():
            ProductImage.objects.bulk_create(images)
            KVStore.objects.bulk_create(rows, ignore_conflicts=True)
    return len(todo)
