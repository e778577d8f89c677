from django import template
from django.utils.safestring import mark_safe

from marketplace import html
from shops.rich_text import clean_html as _clean_html

register = template.Library()


@register.simple_tag(takes_context=True)
def product_json_ld(context, product, session):
    """schema.org Product: what a search engine shows as price, availability and seller."""
    request = context["request"]
    shop = product.shop  # the stock record's partner: who sells it, not who made it
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.get_title(),
        "description": product.description,
        "url": request.build_absolute_uri(product.get_absolute_url()),
        "sku": session.stockrecord.partner_sku if session.stockrecord else None,
    }
    image = product.primary_image()
    if getattr(image, "original", None):
        data["image"] = request.build_absolute_uri(image.original.url)
    if session.price.exists:
        data["offers"] = {
            "@type": "Offer",
            "price": int(session.price.incl_tax),
            "priceCurrency": "IDR",
            "availability": "https://schema.org/InStock" if session.availability.is_available_to_buy
            else "https://schema.org/OutOfStock",
            "seller": _seller(shop) if shop else None,
        }
    return html.json_ld_script(data)


def _seller(shop) -> dict:
    kampung = shop.kampung
    return {"@type": "Organization", "name": shop.name, "address": {
        "@type": "PostalAddress", "addressLocality": str(kampung),
        "addressRegion": f"Kecamatan {kampung.kecamatan.name}", "addressCountry": "ID"}}


@register.simple_tag
def whatsapp_url(number: str, message: str) -> str:
    return html.whatsapp_url(number, message)


@register.simple_tag
def basket_shops(basket):
    from marketplace.checkout.selectors import basket_by_shop

    return basket_by_shop(basket)


@register.filter
def clean_html(value) -> str:
    """The only way a template outputs a manager's HTML: through the sanitizer, never `|safe`."""
    return mark_safe(_clean_html(value))  # nh3's output is the whitelist only


@register.filter
def phone(number) -> str:
    """A stored 62812... number as people read it: 0812-7654-3210."""
    return html.phone_display(str(number or ""))


@register.filter
def with_shop_orders(orders) -> list:
    """A page of Oscar's orders, each with its shop order, checkout and shop from three queries
    for the whole page, not three per order (the buyer's order history)."""
    from django.db.models import prefetch_related_objects

    orders = list(orders)
    prefetch_related_objects(orders, "shop_order__checkout", "shop_order__bumkam")
    return orders


@register.filter
def has_dashboard_access(user) -> bool:
    """What `perms.partner.dashboard_access` answers (Django's ModelBackend: an active user, a
    superuser, or the permission given to the user or one of their groups), in one query, not
    two, asked once per request by the menu of every page."""
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    if not getattr(user, "is_active", False):
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_dashboard_access"):
        user._dashboard_access = Permission.objects.filter(
            Q(user=user) | Q(group__user=user), content_type__app_label="partner", codename="dashboard_access",
        ).exists()
    return user._dashboard_access
