"""Every URL pattern of the project, filled with village B's objects.

The list comes from the URL resolver, so a URL added tomorrow is probed tomorrow: a
pattern whose parameters the table below cannot fill fails the suite until it is
given a filler or listed in UNPROBED with its reason.
"""

import itertools
import re
from dataclasses import dataclass

from django.urls import URLResolver, get_resolver
from django.utils.regex_helper import normalize

# Patterns probed by nobody, and why. Keys are URL templates (as normalize() writes them).
UNPROBED = {
    # Public by design: B's published goods, pages and files are meant for everyone.
    "%(_0)s": "Wagtail's serve view: the regency portal and every village site are public",
    "toko/": "the public shop home",
    "toko/catalogue/": "the public catalogue",
    "toko/catalogue/%(product_slug)s_%(pk)s/": "a public product page",
    "toko/catalogue/%(product_slug)s_%(product_pk)s/reviews/": "public reviews of a product",
    "toko/catalogue/%(product_slug)s_%(product_pk)s/reviews/%(pk)s/": "a public review",
    "toko/catalogue/category/%(category_slug)s_%(pk)s/": "a public category",
    "toko/catalogue/ranges/%(slug)s/": "a public range",
    "toko/offers/": "public offers",
    "toko/offers/%(slug)s/": "a public offer",
    "toko/search/": "public product search",
    "toko/search/saran/": "public product-name suggestions for the search box (names of goods for sale only)",
    "toko/wilayah/": "public official area names for address pickers",
    "toko/lacak-pesanan/": "the guest's order lookup: public form, answers only to a reference or order number "
                           "with its checkout's e-mail or phone, failures rate-limited (tests/orders/test_lookup.py)",
    "surat/lacak/": "a resident's lookup of their letter request: public form, answers only to a tracking code with "
                    "the applicant's birth date or NIK, failures rate-limited (tests/letters/test_tracking.py)",
    "sitemap.xml": "the public sitemap",
    "verifikasi/%(code)s/": "the public verification of an issued letter: names the letter, its village and the "
                            "applicant's initials only (tests/letters/test_verification.py)",
    "verifikasi/%(code)s/sertifikat-kabupaten.crt": "the regency's public certificate, for PDF readers to trust "
                                                     "(tests/letters/test_verification.py)",
    "healthz": "health check, no data",
    "robots.txt": "the public robots.txt, no data",
    "dokumen/%(_0)s/%(_1)s": "Wagtail's document serve: village documents are published files (private files "
                            "live behind their own checked views)",
    "media/%(path)s": "public media (product and page pictures), served only when SERVE_MEDIA is on",
    # Capability URLs: the secret in the address is the authorisation.
    "toko/pesanan/%(reference)s/": "the buyer's checkout page: its 50-bit random reference is the key",
    "toko/pesanan/%(reference)s/%(number)s/diterima/": "the buyer's 'received' button: the checkout's reference is the key",
    "toko/pesanan/%(reference)s/%(number)s/komplain/": "the buyer's complaint page: the checkout's reference is the key",
    "toko/pesanan/%(reference)s/%(number)s/komplain/batalkan/":
        "the buyer's complaint withdrawal: the checkout's reference is the key",
    "toko/wishlists/%(key)s/": "Oscar's shared wishlist: its random key is the key (private lists 404 for others)",
    # No object of another tenant in the address.
    "_util/authenticate_with_password/%(page_view_restriction_id)s/%(page_id)s/":
        "password form of a page view restriction; the demo has none, and the page it shows is public",
    "dokumen/authenticate_with_password/%(restriction_id)s/":
        "password form of a collection view restriction; the demo has none",
    "toko/stripe/webhook/": "Stripe's webhook: signature-checked, probed by tests/payments",
    "i18n/setlang/": "language switch, no data",
    "admin/failwhale/": "Wagtail's deliberate 500 for testing error pages (staff only in practice)",
    "admin/test404/": "Wagtail's deliberate 404",
    "admin/sprite/": "icon sprite, no data",
    "admin/jsi18n/": "JavaScript translations, no data",
}


def fillers(b) -> dict:
    """Values for each parameter: either one value, a list (each probed), or a dict of
    URL-template prefix -> value where the same name means different things."""
    pk_by_prefix = {
        "admin/api/main/pages/": b.draft.pk, "admin/api/main/images/": b.image.pk,
        "admin/api/main/documents/": b.document.pk,
        "admin/images/chooser/chosen/": b.image.pk, "admin/documents/chooser/chosen/": b.document.pk,
        "admin/collections/": b.collection.pk, "admin/bumkam/": b.bumkam.pk, "admin/kampung/": b.kampung.pk,
        "admin/users/": b.manager.pk, "admin/groups/": b.editor_group.pk, "admin/sites/": 1,
        "admin/pages/": b.draft.pk, "admin/settings/": 1,
        "admin/workflows/tasks/": b.task.pk, "admin/workflows/": b.workflow.pk,
        "toko/accounts/addresses/": b.address.pk, "toko/accounts/alerts/create/": b.product.pk,
        "toko/accounts/alerts/cancel/": b.alert.pk, "toko/accounts/notifications/": b.notification.pk,
        "toko/catalogue/": b.review.pk, "toko/basket/add/": b.product.pk, "toko/basket/vouchers/": b.voucher.pk,
        "toko/dashboard/catalogue/attribute-option-group/": b.option_group.pk,
        "toko/dashboard/catalogue/categories/": b.category.pk, "toko/dashboard/catalogue/option/": b.option.pk,
        "toko/dashboard/catalogue/product-type/": b.product_class.pk,
        "toko/dashboard/catalogue/products/": b.product.pk, "toko/dashboard/offers/": b.offer.pk,
        "toko/dashboard/pages/": b.flatpage.pk, "toko/dashboard/partners/": b.partner.pk,
        "toko/dashboard/ranges/": b.range.pk, "toko/dashboard/reviews/": b.review.pk,
        "toko/dashboard/shipping/weight-based/": {"bands": b.band.pk, "": b.weight_based.pk},
        "toko/dashboard/users/alerts/": b.alert.pk, "toko/dashboard/users/": b.buyer.pk,
        "toko/dashboard/vouchers/sets/": b.voucher_set.pk, "toko/dashboard/vouchers/": b.voucher.pk,
        "toko/kelola/pembayaran/": b.payout.pk, "toko/bukti-transfer/": b.checkout.pk,
        "admin/rekening-bumkam/": b.payout_change.pk, "toko/kelola/penyelesaian/": b.settlement.pk,
        "toko/kelola/komplain/": b.complaint.pk, "toko/komplain/foto/": b.complaint_photo.pk,
        "toko/kelola/produk/": b.product.pk,
        "admin/surat/": b.letter_request.pk, "admin/surat/berkas/": b.letter_document.pk,
        "admin/surat/jenis/": b.letter_kind.pk, "surat/": b.letter_document.pk,
    }
    return {
        "pk": pk_by_prefix,
        "page_id": b.draft.pk, "parent_page_id": {"admin/pages/add/": b.news_index.pk, "": [b.home.pk, b.news_index.pk]},
        "kampung_id": b.kampung.pk, "page_to_move_id": b.draft.pk, "destination_id": b.news_index.pk, "page_pk": b.home.pk,
        "revision_id": b.revision.pk, "revision_id_a": b.revision.pk, "revision_id_b": b.second_revision.pk,
        "workflow_state_id": b.workflow_state.pk, "task_state_id": b.task_state.pk, "task_id": b.task.pk,
        "workflow_pk": b.workflow.pk, "action_name": {
            "admin/api/": ["publish", "delete", "unpublish", "copy", "move", "revert_to_page_revision"],
            "": ["approve", "reject"]},
        "image_id": b.image.pk, "document_id": b.document.pk, "doc_id": b.document.pk,
        "collection_id": b.collection.pk, "uploaded_file_id": b.upload.pk, "redirect_id": b.redirect.pk,
        "filter_spec": "max-165x165", "session_id": b.session.pk, "object_id": b.draft.pk,
        "content_type_app_name": "cms", "content_type_model_name": ["newspage", "kampunghomepage"],
        "app_label": {"admin/bulk/": "(bulk)", "admin/editing-sessions/": "wagtailcore",
                      "admin/pages/create/": "cms", "admin/workflows/tasks/add/": "wagtailcore"},
        "model_name": {"admin/bulk/": "(bulk)", "admin/editing-sessions/": "page", "admin/pages/create/": "newspage",
                       "admin/workflows/tasks/add/": "groupapprovaltask", "admin/settings/": "none",
                       "admin/tag-autocomplete/": "newspagetag"},
        # No settings model is registered: Wagtail's settings URLs answer 404 to everyone.
        "app_name": {"admin/tag-autocomplete/": "cms", "admin/settings/": "none"},
        "number": b.order.number, "order_number": b.order.number, "reference": b.checkout.reference,
        "line_id": b.line.pk, "note_id": b.note.pk, "hash": "0" * 40,
        "product_pk": b.product.pk, "product_slug": b.product.slug, "parent_pk": b.product.pk,
        "product_class_slug": b.product_class.slug, "parent": b.category.pk, "category_slug": b.category.slug,
        "partner_pk": b.partner.pk, "user_pk": b.manager.pk, "method_pk": b.weight_based.pk,
        "email_id": b.email.pk, "key": {"toko/accounts/wishlists/": b.wishlist.key,
                                        "toko/accounts/alerts/": b.alert.key},
        "to_key": b.other_wishlist.key, "line_pk": b.wish_line.pk, "slug": {"toko/dashboard/comms/": "ORDER_PLACED"},
        "action": {"toko/accounts/addresses/": ["default_for_shipping", "default_for_billing"]},
        "uidb64": "MTIzNDU", "token": "bukan-token-asli",
        # A resident's letter: B's real tracking code, a secret that is not its own (the secret is the key).
        "code": b.letter_request.code, "secret": "bukan-rahasia-kerinci",
    }


# Wagtail's bulk actions: (app_label, model_name, actions, the ids of B's objects).
def bulk_targets(b):
    return [
        ("wagtailcore", "page", ["delete", "publish", "unpublish", "move", "add_to_collection"], [b.draft.pk, b.home.pk]),
        ("wagtailimages", "image", ["delete", "add_tags", "add_to_collection"], [b.image.pk]),
        ("wagtaildocs", "document", ["delete", "add_tags", "add_to_collection"], [b.document.pk]),
        ("auth", "user", ["delete", "set_active_state", "assign_role"], [b.manager.pk, b.editor.pk]),
    ]


@dataclass(frozen=True)
class Probe:
    template: str
    url: str
    name: str


def url_templates():
    """(template, parameter names, route name) for every pattern the resolver knows."""
    def walk(patterns, prefix, namespace):
        for p in patterns:
            regex = p.pattern.regex.pattern.removeprefix("^")
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + regex,
                                namespace + (f"{p.namespace}:" if p.namespace else ""))
            else:
                for template, params in normalize(prefix + regex):
                    yield template, tuple(params), namespace + (p.name or "")

    seen = set()
    for row in walk(get_resolver().url_patterns, "", ""):
        if row[0] not in seen:
            seen.add(row[0])
            yield row


def _choose(value, template):
    if isinstance(value, dict):
        for prefix in sorted(value, key=len, reverse=True):
            if template.startswith(prefix) or (prefix and prefix in template):
                return _choose(value[prefix], template)
        return None
    return value if isinstance(value, list) else [value]


def probes(b) -> tuple[list[Probe], list[str]]:
    """The URLs to request, and the templates the table could not fill."""
    table = fillers(b)
    out, unfilled = [], []
    for template, params, name in url_templates():
        if template in UNPROBED:
            continue
        if template.startswith("admin/bulk/"):
            for app_label, model_name, actions, ids in bulk_targets(b):
                query = "&".join(f"id={pk}" for pk in ids)
                for action in actions:
                    url = "/" + template % {"app_label": app_label, "model_name": model_name, "action": action}
                    out.append(Probe(template, f"{url}?{query}", name))
            continue
        choices = [_choose(table.get(param), template) for param in params]
        if any(c is None for c in choices):
            unfilled.append(template)
            continue
        for combo in itertools.product(*choices):
            out.append(Probe(template, "/" + template % dict(zip(params, map(str, combo))), name))
    return out, unfilled


LOGIN_PATHS = re.compile(r"^(/admin/login/|/toko/accounts/login/|/toko/dashboard/login/|/admin/$)")
