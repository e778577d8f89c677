"""The one cleaner of user HTML on the commerce side (product descriptions, shop stories).

A manager's text is shown to every visitor, the regency admin included, so it is
cleaned on its way in (model saves, forms, the import) by nh3 (the Rust `ammonia`
sanitizer) to the few tags a description needs, and a template that must output it
as HTML passes it through `clean_html` again rather than marking it safe. It lives in
`shops`, the lowest layer, so that shops, the catalogue fork and marketplace all use
the same rules. Wagtail's rich text has its own whitelist (cms/rich_text.py).
"""

import re

import nh3
from django.utils.html import linebreaks

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h2", "h3", "h4", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Elements whose content is code or a document of its own: dropped whole, not unwrapped.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript", "textarea",
                        "title", "svg", "math", "xmp", "noembed", "noframes", "select"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS, clean_content_tags=DROPPED_WITH_CONTENT, attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES, link_rel="noopener noreferrer nofollow", strip_comments=True,
)


_TAG = re.compile(r"<[a-zA-Z/!]")


def clean_html(text: str | None) -> str:
    """User HTML reduced to paragraphs, headings, emphasis, lists and plain links; idempotent.

    Text typed without any tag (a textarea, an import cell) keeps its paragraphs and line
    breaks: it becomes <p> and <br> first, escaped."""
    if not text:
        return ""
    text = str(text)
    if not _TAG.search(text):
        text = linebreaks(text, autoescape=True)
    cleaned = _cleaner.clean(text).strip()
    if cleaned and not _TAG.search(cleaned):  # only text was left: a paragraph, as above
        cleaned = linebreaks(cleaned, autoescape=False)
    return cleaned
