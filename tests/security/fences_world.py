"""Village B's private objects (Kerinci Kanan), each carrying a marker no page of A may show.

Built by the same services a user's action calls where one exists; the rest (Oscar's
regency-wide offers, vouchers, ranges) directly, as a regency admin would in the dashboard.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone
from oscar.core.loading import get_model
from wagtail.admin.models import EditingSession
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Task, UploadedFile, Workflow

from marketplace.constants import OrderStatus
from cms.models import KampungHomePage, NewsIndexPage, NewsPage
from cms.services import editor_group_name
from marketplace.payments.services import payment_confirm_bank_transfer
from marketplace.files import checked_image
from marketplace.orders.models import ComplaintPhoto
from marketplace.orders.services import complaint_decide, complaint_open, shop_order_advance
from marketplace.settlements.payouts import payout_create
from marketplace.settlements.services import settlements_run
from shops.models import Bumkam
from shops.services import payout_account_change_request
from tests import factories
from tests.factories.uploads import image_bytes

BUNGA_RAYA, KERINCI_KANAN = "14.08.08.2001", "14.08.07.2001"
SECRET = "Rahasia Kerinci"


@dataclass
class VillageB:
    """Everything of Kerinci Kanan a probe aims at, and the text that must not leak."""

    objects: dict
    markers: list[str] = field(default_factory=list)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


def build_village_b() -> VillageB:
    User = get_user_model()
    admin = User.objects.get(username="admin")
    bumkam = Bumkam.objects.get(kampung__code=KERINCI_KANAN)
    home = KampungHomePage.objects.get(kampung__code=KERINCI_KANAN)
    manager = User.objects.get(username="pengelola.kerincikanan")
    editor = User.objects.create_user("editor.kerincikanan", "editor.rahasia@kerinci.test", "rahasia-kampung-b")
    editor.groups.add(Group.objects.get(name=editor_group_name(bumkam.kampung)))
    buyer = User.objects.create_user("pembeli.kerinci", "rahasia.kerinci@pembeli.test", "rahasia-pembeli-b")

    # Pages: a draft in moderation, with a revision, an editing session and a redirect.
    news_index = NewsIndexPage.objects.child_of(home).get()
    draft = news_index.add_child(instance=NewsPage(title=f"Draf {SECRET}", summary="-", live=False, owner=editor))
    revision = draft.save_revision(user=editor)
    second_revision = draft.save_revision(user=editor)
    workflow = Workflow.objects.filter(active=True).first()
    workflow_state = workflow.start(draft, editor) if workflow else None
    task_state = workflow_state.current_task_state if workflow_state else None
    session = EditingSession.objects.create(
        user=editor, content_type=ContentType.objects.get(app_label="wagtailcore", model="page"),
        object_id=str(draft.pk), last_seen_at=timezone.now())
    redirect = Redirect.objects.create(old_path="/rahasia-kerinci", redirect_page=draft)

    # Media of B's collection.
    collection = Collection.objects.get(name=str(bumkam.kampung))
    document = get_document_model().objects.create(
        title=f"Dokumen {SECRET}", collection=collection, uploaded_by_user=editor,
        file=ContentFile(b"%PDF-1.4 rahasia", name="rahasia-kerinci.pdf"))
    image = get_image_model().objects.filter(collection=collection).first()
    image.title = f"Gambar {SECRET}"
    image.save(update_fields=["title"])
    upload = UploadedFile.objects.create(file=ContentFile(b"x", name="rahasia.txt"), uploaded_by_user=editor)

    # Shop: a hidden product, an order from B's own buyer carried through to a payout.
    product = factories.product(bumkam=bumkam, title=f"Produk {SECRET}", stock=50)
    basket = factories.basket((product, 2), owner=buyer)
    checkout = factories.place(basket, email=buyer.email, user=buyer)
    payment_confirm_bank_transfer(checkout=checkout, amount_received=checkout.amount_due, acting_user=admin)
    shop_order = checkout.shop_orders.get()
    for status in (OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.DELIVERED):
        shop_order_advance(shop_order=shop_order, status=status, acting_user=admin)
    # A complaint with a photo, decided before the order is settled.
    complaint = complaint_open(shop_order=shop_order, reason="damaged", text=f"Komplain {SECRET}", acting_user=buyer,
                               photos=[checked_image(ContentFile(image_bytes(), name="foto.png"))])
    complaint_decide(complaint=complaint, outcome="rejected", note=f"Ditolak {SECRET}", acting_user=admin)
    settlement = next(s for s in settlements_run(now=timezone.now() + datetime.timedelta(days=30))
                      if s.bumkam_id == bumkam.pk)
    payout = payout_create(settlement=settlement)
    order = shop_order.order
    order.notes.create(user=manager, message=f"Catatan {SECRET}")
    product.is_public = False
    product.save(update_fields=["is_public"])

    # The buyer's account: address, alert, wishlist, e-mail, notification, review.
    UserAddress = get_model("address", "UserAddress")
    Country = get_model("address", "Country")
    address = UserAddress.objects.create(user=buyer, first_name="Siti", line1=f"Jalan {SECRET}", line4="Siak",
                                         postcode="28773", country=Country.objects.get(pk="ID"))
    alert = get_model("customer", "ProductAlert").objects.create(user=buyer, product=product)
    wishlist = get_model("wishlists", "WishList").objects.create(owner=buyer, name=f"Daftar {SECRET}")
    wishlist.add(product)
    wish_line = wishlist.lines.get()
    other_wishlist = get_model("wishlists", "WishList").objects.create(owner=buyer, name=f"Daftar lain {SECRET}")
    email = get_model("communication", "Email").objects.create(
        user=buyer, email=buyer.email, subject=f"Surel {SECRET}", body_text="-")
    notification = get_model("communication", "Notification").objects.create(
        recipient=buyer, subject=f"Pemberitahuan {SECRET}")
    review = get_model("reviews", "ProductReview").objects.create(
        product=product, user=buyer, score=5, title=f"Ulasan {SECRET}", body="-", status=1)

    # Oscar's regency-wide objects: only staff may reach their dashboard pages.
    Range = get_model("offer", "Range")
    offer_range = Range.objects.create(name=f"Koleksi {SECRET}", is_public=True)
    offer_range.add_product(product)
    condition = get_model("offer", "Condition").objects.create(range=offer_range, type="Count", value=1)
    benefit = get_model("offer", "Benefit").objects.create(range=offer_range, type="Percentage", value=5)
    offer = get_model("offer", "ConditionalOffer").objects.create(
        name=f"Promo {SECRET}", slug="promo-rahasia-kerinci", condition=condition, benefit=benefit)
    now = timezone.now()
    voucher = get_model("voucher", "Voucher").objects.create(
        name=f"Kupon {SECRET}", code="RAHASIAKERINCI", start_datetime=now, end_datetime=now + datetime.timedelta(days=9))
    voucher_set = get_model("voucher", "VoucherSet").objects.create(
        name=f"Set kupon {SECRET}", count=1, code_length=12, start_datetime=now,
        end_datetime=now + datetime.timedelta(days=9))
    option = get_model("catalogue", "Option").objects.create(name=f"Opsi {SECRET}", code="opsi-rahasia")
    option_group = get_model("catalogue", "AttributeOptionGroup").objects.create(name=f"Grup {SECRET}")
    weight_based = get_model("shipping", "WeightBased").objects.create(name=f"Ongkir {SECRET}")
    band = weight_based.bands.create(upper_limit=5, charge=10000)
    from django.contrib.flatpages.models import FlatPage
    from django.contrib.sites.models import Site as DjangoSite
    flatpage = FlatPage.objects.create(url="/rahasia-kerinci/", title=f"Halaman {SECRET}", content="-")
    flatpage.sites.add(DjangoSite.objects.get_current())
    stock_alert = get_model("partner", "StockAlert").objects.create(
        stockrecord=product.stockrecords.get(), threshold=100)

    payout_change = payout_account_change_request(
        bumkam=bumkam, acting_user=manager, bank_name="Bank Rahasia", bank_account_number="9988776655",
        bank_account_holder=f"Pemilik {SECRET}")

    # A resident's letter request to B's office, with a document (issue 13): its link's secret is the key.
    from cms.letters.models import LetterKind
    from cms.letters.services import letter_kinds_ensure, request_submit
    from marketplace.files import checked_document

    letter_kinds_ensure(kampung=bumkam.kampung)
    letter_kind = LetterKind.objects.get(kampung=bumkam.kampung, code="sktm")
    letter_request = request_submit(
        kind=letter_kind, promised_days=3, details={"keperluan": f"Keperluan {SECRET}"},
        documents=[("KTP", checked_document(ContentFile(image_bytes(), name="ktp.png")))],
        applicant={"applicant_name": f"Pemohon {SECRET}", "nik": "1408074507900009", "kk_number": "1408070101200009",
                   "birth_date": datetime.date(1990, 7, 5), "phone": "6281299990000", "email": "pemohon.rahasia@kerinci.test"})

    objects = dict(
        letter_kind=letter_kind, letter_request=letter_request, letter_document=letter_request.documents.get(),
        payout_change=payout_change, admin=admin, bumkam=bumkam, kampung=bumkam.kampung, partner=bumkam.partner, home=home, manager=manager,
        editor=editor, editor_group=Group.objects.get(name=editor_group_name(bumkam.kampung)), buyer=buyer,
        news_index=news_index, draft=draft, revision=revision, second_revision=second_revision,
        workflow=workflow, workflow_state=workflow_state, task_state=task_state,
        task=task_state.task if task_state else Task.objects.first(), session=session, redirect=redirect,
        collection=collection, document=document, image=image, upload=upload,
        product=product, product_class=product.get_product_class(), category=product.get_categories().first(),
        complaint=complaint, complaint_photo=ComplaintPhoto.objects.get(message__complaint=complaint),
        checkout=checkout, order=order, line=order.lines.first(), note=order.notes.get(), settlement=settlement,
        payout=payout, address=address, alert=alert, wishlist=wishlist, wish_line=wish_line,
        other_wishlist=other_wishlist, email=email, notification=notification, review=review,
        range=offer_range, offer=offer, voucher=voucher, voucher_set=voucher_set, option=option,
        option_group=option_group, weight_based=weight_based, band=band, flatpage=flatpage, stock_alert=stock_alert,
    )
    markers = [SECRET, order.number, checkout.reference, buyer.email, manager.email, editor.email,
               letter_request.nik, letter_request.code]
    return VillageB(objects=objects, markers=markers)
