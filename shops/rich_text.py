"""The one cleaner of user HTML on the commerce side (product descriptions, shop stories).

A manager's text is shown to every visitor, the regency admin included, so it is
cleaned on its way in (model saves, forms, the import) by nh3 (the Rust `ammonia`
sanitizer) to the few tags a description needs, and a template that must output it
as HTML passes it through `clean_html` again rather than marking it safe. It lives in
`shops`, the lowest layer, so that shops, the catalogue fork and marketplace all use
the same rules. Wagtail's rich text has its own whitelist (cms/rich_text.py).
"""

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Elements whose content is code or a document of its own: dropped whole, not unwrapped.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript", "textarea",
                        "title", "svg", "math", "xmp", "noembed", "noframes", "select"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS, clean_content_tags=DROPPED_WITH_CONTENT, attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES, link_rel="noopener noreferrer nofollow", strip_comments=True,
)


def clean_html(text: str | None) -> str:
    """User HTML reduced to paragraphs, emphasis, lists and plain links; idempotent."""
    if not text:
        return ""
    return _cleaner.clean(str(text)).strip()
