"""One checkout for a basket of several shops: stock reserved exactly, one Oscar
order per BUMKam, paid once.

Oscar checks stock before placing an order and then allocates with an
unconditional UPDATE (its issue #4524), and makes one order per basket (#1519).
Here the stock records of the whole basket are locked in primary-key order (so
two baskets that share products in any order cannot deadlock), checked, then
allocated, and Oscar's own OrderCreator writes each shop's order from that
shop's part of the basket, all in one transaction.
"""

import datetime
import logging
import secrets
from dataclasses import dataclass
from decimal import Decimal

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.apps.order.utils import OrderCreator
from oscar.core import prices
from oscar.core.loading import get_class, get_model


from ..catalogue.signals import goods_changed
from ..constants import (
    MAX_CHECKOUT_TOTAL,
    UNPAID_CHECKOUT_LIFETIME_HOURS,
    CheckoutStatus,
    OrderStatus,
    PaymentMethod,
)
from ..errors import UserError
from ..files import CheckedFile
from ..html import rupiah
from ..orders.models import ShopOrder
from ..orders.services import shop_order_advance, shop_orders_placed
from ..payments import stripe_gateway
from . import emails
from .models import Checkout, unguessable_code
from .selectors import ShopPart, basket_by_shop
from .shipping import shipping_charge

logger = logging.getLogger(__name__)

Basket = get_model("basket", "Basket")
Country = get_model("address", "Country")
ShippingAddress = get_model("order", "ShippingAddress")
StockRecord = get_model("partner", "StockRecord")
Selector = get_class("partner.strategy", "Selector")


class OutOfStock(UserError):
    pass


@dataclass(frozen=True, kw_only=True)
class AddressData:
    name: str
    phone: str
    line1: str
    village_code: str  # the official code of the desa/kampung; names come from the area data
    postcode: str = ""


class ShopOrderCreator(OrderCreator):
    def create_order_model(self, user, basket, *args, **kwargs):
        return super().create_order_model(user, basket.basket, *args, **kwargs)

    def update_stock_records(self, line):
        """Allocated already, under lock, before any order was written."""


def shop_parts(basket) -> list[ShopPart]:
    """The basket's parts, one per shop, each of which must be selling."""
    if getattr(basket, "strategy", None) is None:
        basket.strategy = Selector().strategy()
    parts = basket_by_shop(basket)
    for part in parts:
        if part.bumkam is None or not part.bumkam.is_selling:
            raise UserError(_("%(product)s dijual toko yang belum dibuka.") % {"product": part.lines[0].product.get_title()})
    _within_cap(sum(part.subtotal for part in parts))
    return parts


def _within_cap(total: int) -> None:
    """Oscar's order totals hold less than Rp 10 miliar; a basket past the cap is refused, not overflowed."""
    if total > MAX_CHECKOUT_TOTAL:
        raise UserError(_("Total belanja %(total)s melebihi batas satu checkout (%(cap)s); kurangi jumlah barang "
                              "atau bagi menjadi beberapa checkout.") % {"total": rupiah(total), "cap": rupiah(MAX_CHECKOUT_TOTAL)})


class QuoteChanged(UserError):
    """What the buyer reviewed is no longer what would be placed: they review again."""


@dataclass(frozen=True)
class PartQuote:
    part: ShopPart
    charge: object  # shipping.ShippingCharge

    @property
    def total(self) -> int:
        return self.part.subtotal + self.charge.amount


@dataclass(frozen=True)
class Quote:
    """What a basket costs to one address, paid one way: what the review shows and placing charges."""

    parts: list[PartQuote]
    payment_method: str
    unique_code: int = 0

    @property
    def total(self) -> int:
        return sum(part.total for part in self.parts)

    @property
    def amount_due(self) -> int:
        return self.total + self.unique_code


def payment_methods_for(parts: list[ShopPart]) -> list[str]:
    """The payment methods every shop of the basket takes (and card only once Stripe is configured)."""
    methods = [PaymentMethod.BANK_TRANSFER.value]
    if stripe_gateway.card_enabled():
        methods.insert(0, PaymentMethod.CARD.value)
    if all(part.bumkam.allows_cash_on_delivery for part in parts):
        methods.append(PaymentMethod.CASH_ON_DELIVERY.value)
    return methods


def _quote(*, parts, village_code: str, shipping: dict[int, str], payment_method: str) -> Quote:
    if payment_method not in PaymentMethod.values:
        raise UserError(_("Pilih cara bayar."))
    if payment_method == PaymentMethod.CARD and not stripe_gateway.card_enabled():
        raise UserError(_("Pembayaran kartu belum tersedia; pilih cara bayar lain."))
    if payment_method == PaymentMethod.CASH_ON_DELIVERY:
        refusing = [p.bumkam.name for p in parts if not p.bumkam.allows_cash_on_delivery]
        if refusing:
            raise UserError(_("Bayar di tempat tidak dilayani oleh: %(shops)s.") % {"shops": ", ".join(refusing)})
    quoted = [PartQuote(part, shipping_charge(bumkam=part.bumkam, method=shipping.get(part.bumkam.pk, ""),
                                              weight_grams=part.weight_grams, village_code=village_code))
              for part in parts]
    quote = Quote(parts=quoted, payment_method=payment_method)
    _within_cap(quote.total)
    return quote


def checkout_quote(*, basket, village_code: str, shipping: dict[int, str], payment_method: str,
                   unique_code: int = 0) -> Quote:
    """The review before placing: each shop's goods and shipping, and for a transfer a unique code
    that is free now (`unique_code` kept if it still is), so the review shows the amount to transfer."""
    quote = _quote(parts=shop_parts(basket), village_code=village_code, shipping=shipping,
                   payment_method=payment_method)
    if payment_method != PaymentMethod.BANK_TRANSFER:
        return quote
    if not unique_code or _unique_code_taken(quote.total, unique_code):
        unique_code = _free_unique_code(quote.total)
    return Quote(parts=quote.parts, payment_method=payment_method, unique_code=unique_code)


def checkout_place(*, basket, email: str, address: AddressData, shipping: dict[int, str],
                   payment_method: str, user=None, request=None, unique_code: int = 0,
                   amount_due: int | None = None) -> Checkout:
    """Place the basket: the same basket placed again, even at the same moment, gives the same checkout.

    From the review, `unique_code` and `amount_due` are what the buyer saw: if placing would ask
    for any other amount, QuoteChanged is raised and nothing is placed."""
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _place(basket=basket, email=email, address=address, shipping=shipping,
                              payment_method=payment_method, user=user, request=request,
                              unique_code=unique_code, amount_due=amount_due)
        except IntegrityError:
            # Another request placed this basket a moment ago (the basket is one-to-one), or
            # another transfer of the same total took the same unique code: then try another.
            existing = Checkout.objects.filter(basket_id=basket.pk).first()
            if existing is not None:
                return existing
            if attempt == 2:
                raise


def _place(*, basket, email, address, shipping, payment_method, user, request, unique_code, amount_due):
    locked = Basket.objects.select_for_update().get(pk=basket.pk)
    existing = Checkout.objects.filter(basket=locked).first()
    if existing is not None:
        return existing
    if locked.status != Basket.OPEN or basket.is_empty:
        raise UserError(_("Keranjang ini kosong atau sudah dipesan."))

    parts = shop_parts(basket)
    quote = _quote(parts=parts, village_code=address.village_code, shipping=shipping, payment_method=payment_method)
    charges = {quoted.part.bumkam.pk: quoted.charge for quoted in quote.parts}
    is_transfer = payment_method == PaymentMethod.BANK_TRANSFER
    if is_transfer and unique_code and _unique_code_taken(quote.total, unique_code):
        raise QuoteChanged(_("Kode unik transfer Anda baru saja dipakai pembeli lain; periksa jumlah transfer "
                             "yang baru lalu pesan lagi."))
    if amount_due is not None and amount_due != quote.total + (unique_code if is_transfer else 0):
        raise QuoteChanged(_("Harga atau ongkos kirim berubah sejak ringkasan; periksa ringkasan yang baru lalu "
                             "pesan lagi."))

    _allocate_stock(basket)

    shipping_address = _shipping_address(address)
    is_cod = payment_method == PaymentMethod.CASH_ON_DELIVERY
    status = OrderStatus.PROCESSING if is_cod else OrderStatus.AWAITING_PAYMENT
    total = quote.total
    lifetime = (datetime.timedelta(hours=UNPAID_CHECKOUT_LIFETIME_HOURS) if is_transfer
                else datetime.timedelta(minutes=settings.UNPAID_CARD_CHECKOUT_LIFETIME_MINUTES))
    checkout = Checkout.objects.create(
        reference=f"PK-{unguessable_code(10)}", basket=locked, user=user if user and user.is_authenticated else None,
        email=email, phone=address.phone, payment_method=payment_method,
        status=CheckoutStatus.CASH_ON_DELIVERY if is_cod else CheckoutStatus.AWAITING_PAYMENT,
        total=total, unique_code=(unique_code or _free_unique_code(total)) if is_transfer else 0,
        expires_at=None if is_cod else timezone.now() + lifetime,
    )
    creator = ShopOrderCreator()
    for part in parts:
        charge = charges[part.bumkam.pk]
        amount = Decimal(part.subtotal + charge.amount)
        order = creator.place_order(
            basket=part, user=checkout.user, order_number=f"{unguessable_code(4)}-{unguessable_code(6)}",
            total=prices.Price("IDR", excl_tax=amount, incl_tax=amount),
            shipping_method=charge,
            shipping_charge=prices.Price("IDR", excl_tax=Decimal(charge.amount), incl_tax=Decimal(charge.amount)),
            shipping_address=_copy(shipping_address), status=status, request=request,
            guest_email="" if checkout.user else email,
        )
        ShopOrder.objects.create(checkout=checkout, order=order, bumkam=part.bumkam)
    locked.submit()
    if is_cod:  # straight into processing: each shop has a new order to pack
        shop_orders_placed(checkout.shop_orders.select_related("order", "bumkam"))
    if payment_method != PaymentMethod.CARD:  # a card checkout is confirmed once Stripe has its PaymentIntent
        transaction.on_commit(lambda: emails.checkout_placed(checkout))
    if not is_cod:
        transaction.on_commit(lambda: _schedule_expiry(checkout))
    return checkout


def card_payment_start(checkout: Checkout) -> Checkout:
    """Ask Stripe for the checkout's PaymentIntent, after its stock is reserved in orders awaiting
    payment (not before, as in Oscar's flow, where a failed placement loses a paid order: #4246).

    If Stripe cannot be asked, the checkout is undone and the buyer told so: no order, no charge.
    A PaymentIntent Stripe made before the line dropped is never confirmed, so it takes no money."""
    if checkout.payment_intent_id:
        return checkout
    try:
        intent = stripe_gateway.payment_intent_create(checkout)
    except (stripe_gateway.StripeUnavailable, stripe.StripeError) as error:
        checkout_void(checkout)
        problem = (_("Layanan pembayaran kartu tidak menjawab.") if isinstance(error, stripe_gateway.StripeUnavailable)
                   else _("Layanan pembayaran kartu menolak pesanan ini."))
        raise UserError(problem + " " + _("Pesanan belum dibuat dan tidak ada uang yang ditarik; silakan coba "
                                              "lagi atau pilih transfer bank.")) from error
    Checkout.objects.filter(pk=checkout.pk, payment_intent_id="").update(
        payment_intent_id=intent.id, payment_client_secret=intent.client_secret, provider_status=intent.status)
    checkout.refresh_from_db()
    emails.checkout_placed(checkout)
    return checkout


@transaction.atomic
def checkout_void(checkout: Checkout) -> None:
    """Undo a checkout that never reached payment: stock back on sale, basket open again."""
    checkout = Checkout.objects.select_for_update().get(pk=checkout.pk)
    if checkout.status != CheckoutStatus.AWAITING_PAYMENT or checkout.payment_intent_id:
        return
    for shop_order in checkout.shop_orders.select_related("order"):
        order = shop_order.order
        for line in order.lines.select_related("stockrecord"):
            line.stockrecord.cancel_allocation(line.quantity)
        address = order.shipping_address
        order.delete()
        if address is not None:
            address.delete()
    basket = checkout.basket
    checkout.delete()
    basket.status, basket.date_submitted = Basket.OPEN, None
    basket.save(update_fields=["status", "date_submitted"])


def _schedule_expiry(checkout: Checkout) -> None:
    from .tasks import expire_checkout  # the task module imports this one

    if expire_checkout.get_backend().supports_defer:  # the database backend in every real deployment
        expire_checkout.using(run_after=checkout.expires_at).enqueue(checkout.pk)


def _allocate_stock(basket) -> None:
    wanted = {}
    for line in basket.all_lines():
        wanted[line.stockrecord_id] = wanted.get(line.stockrecord_id, 0) + line.quantity
    records = StockRecord.objects.select_for_update().filter(pk__in=wanted).order_by("pk").select_related("product")
    for record in records:
        available = record.num_in_stock - (record.num_allocated or 0)
        if available < wanted[record.pk]:
            raise OutOfStock(
                _("Stok tidak cukup untuk %(product)s: tersisa %(left)d.")
                % {"product": record.product.get_title(), "left": max(available, 0)}
            )
    for record in records:
        StockRecord.objects.filter(pk=record.pk).update(num_allocated=Coalesce(F("num_allocated"), 0) + wanted[record.pk])
    goods_changed.send(sender=StockRecord, product_ids=[record.product_id for record in records])


def _shipping_address(data: AddressData):
    from shops.services import official_place

    place = official_place(data.village_code)
    if place is None:
        raise UserError(_("Pilih desa/kelurahan dari daftar wilayah."))
    return ShippingAddress(
        first_name=data.name, line1=data.line1, line2=f"{place['village']}, Kecamatan {place['district']}",
        line3=place["regency"], line4=place["regency"], state=place["province"], postcode=data.postcode or "-",
        country=Country.objects.get(iso_3166_1_a2="ID"), phone_number=data.phone or "",
        notes=data.village_code,
    )


def _copy(address):
    """Every shop's order keeps its own copy of the address, as Oscar expects."""
    address.pk = None
    address.save()
    return address


def _unique_code_taken(total: int, code: int) -> bool:
    return Checkout.objects.filter(status=CheckoutStatus.AWAITING_PAYMENT, payment_method=PaymentMethod.BANK_TRANSFER,
                                   total=total, unique_code=code).exists()


def _free_unique_code(total: int) -> int:
    taken = set(Checkout.objects.filter(status=CheckoutStatus.AWAITING_PAYMENT, total=total)
                .values_list("unique_code", flat=True))
    free = [code for code in range(1, 1000) if code not in taken]
    if not free:
        raise UserError(_("Terlalu banyak transfer menunggu dengan jumlah yang sama; coba beberapa menit lagi."))
    return secrets.choice(free)


def checkouts_expire(*, now=None, only=None) -> int:
    """Unpaid checkouts past their time give their stock back. Each checkout's own deferred
    task does this at its deadline; `manage.py expire_checkouts` sweeps up after an outage.
    A checkout that has received part of its transfer is left for the regency admin, who sees
    it waiting at /toko/kelola/transfer/: expiring it would keep the buyer's money with no order."""
    now = now or timezone.now()
    expired = 0
    candidates = only if only is not None else Checkout.objects.all()
    due = (candidates.filter(status=CheckoutStatus.AWAITING_PAYMENT, expires_at__lte=now)
           .exclude(transfer_receipts__isnull=False).values_list("pk", flat=True))
    for pk in due:
        with transaction.atomic():
            checkout = Checkout.objects.select_for_update().get(pk=pk)
            if checkout.status != CheckoutStatus.AWAITING_PAYMENT or checkout.transfer_receipts.exists():
                continue
            checkout.status = CheckoutStatus.EXPIRED
            checkout.save(update_fields=["status"])
            for shop_order in checkout.shop_orders.filter(order__status=OrderStatus.AWAITING_PAYMENT):
                shop_order_advance(shop_order=shop_order, status=OrderStatus.EXPIRED, acting_user=None)
            if checkout.payment_intent_id:  # so that the buyer can no longer pay it
                transaction.on_commit(lambda checkout=checkout: _payment_intent_cancel(checkout))
            expired += 1
    return expired


def _payment_intent_cancel(checkout: Checkout) -> None:
    """Best effort: a payment that still slips through is refunded when its webhook arrives."""
    try:
        stripe_gateway.payment_intent_cancel(checkout)
    except (stripe_gateway.StripeUnavailable, stripe.StripeError):
        logger.warning("could not cancel PaymentIntent of %s", checkout.reference, exc_info=True)


class ProofRefused(UserError):
    """The checkout takes no proof now (paid, expired, cancelled, or not a transfer)."""


def checkout_accepts_proof(checkout: Checkout) -> bool:
    return (checkout.payment_method == PaymentMethod.BANK_TRANSFER
            and checkout.status == CheckoutStatus.AWAITING_PAYMENT
            and (checkout.expires_at is None or checkout.expires_at > timezone.now()))


def checkout_proof_attach(*, checkout: Checkout, proof: CheckedFile) -> Checkout:
    """Store `proof` (already checked by marketplace.files) as the checkout's transfer proof."""
    with transaction.atomic():
        locked = Checkout.objects.select_for_update().get(pk=checkout.pk)
        if not checkout_accepts_proof(locked):
            raise ProofRefused(_("Transaksi ini sudah dibayar, kedaluwarsa atau ditutup: bukti transfer tidak "
                                 "diterima lagi."))
        replaced = locked.payment_proof.name
        storage = locked.payment_proof.storage
        upload = proof.as_file()
        locked.payment_proof.save(upload.name, upload, save=False)
        try:
            locked.save(update_fields=["payment_proof"])
        except Exception:
            storage.delete(locked.payment_proof.name)  # the row was not written: neither is its file
            raise
        if replaced:
            transaction.on_commit(lambda: storage.delete(replaced))
    return locked
