import json
from urllib.parse import quote

from django.utils.html import format_html
from django.utils.safestring import mark_safe

# The characters that could close the <script> element or start markup, escaped as in
# Django's json_script, so that shop or editor text can never break out of JSON-LD.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def thousands(amount) -> str:
    """A whole number the Indonesian way: '25.000'."""
    return f"{int(amount):,}".replace(",", ".")


def rupiah(amount) -> str:
    """Rupiah for plain text (e-mail, messages, labels): 'Rp 25.000'; templates use Oscar's currency filter."""
    return "Rp " + thousands(amount)


def phone_display(number: str) -> str:
    """62812... (as PhoneField keeps it) written the way Indonesians read it out: 0812-7654-3210."""
    if not number.startswith("62"):
        return number
    local = "0" + number[2:]
    return "-".join(part for part in (local[:4], local[4:8], local[8:]) if part)


def whatsapp_url(number: str, message: str) -> str:
    return f"https://wa.me/{number}?text={quote(message)}"


def json_ld_script(data: dict) -> str:
    text = json.dumps({k: v for k, v in data.items() if v not in (None, "")}, ensure_ascii=False)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text.translate(_JSON_ESCAPES)))
