"""Rich text that is clean however it arrives.

Wagtail's editor filters what an editor types, but `RichTextField` and
`RichTextBlock` store whatever they are given: an import, a script or a crafted
form post can put a `<script>`, an `onerror=` or a `javascript:` link into the
database. Every value is therefore passed through a whitelist on its way in
(form cleaning, model saves, revisions) in Wagtail's own stored format, which
keeps internal links (`<a linktype="page" id="3">`) and embeds
(`<embed embedtype="image" …/>`).
"""

from wagtail.blocks import RichTextBlock
from wagtail.fields import RichTextField
from wagtail.rich_text import RichText
from wagtail.whitelist import DEFAULT_ELEMENT_RULES, Whitelister, attribute_rule, check_url

# Elements whose content is code, not text: dropped whole rather than unwrapped.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "template", "noscript", "textarea", "title", "svg", "math"}


class StoredRichTextWhitelister(Whitelister):
    element_rules = {
        **DEFAULT_ELEMENT_RULES,
        "a": attribute_rule({"href": check_url, "linktype": True, "id": True}),
        "embed": attribute_rule({"embedtype": True, "id": True, "format": True, "alt": True, "url": check_url}),
    }

    def clean_tag_node(self, doc, tag):
        if tag.name in DROPPED_WITH_CONTENT or (tag.name == "embed" and not well_formed_embed(tag.attrs)):
            tag.decompose()
            return
        super().clean_tag_node(doc, tag)


def well_formed_embed(attrs: dict) -> bool:
    """An embed Wagtail can render; anything else would fail the page with a 500."""
    from wagtail.images.formats import get_image_formats

    if attrs.get("embedtype") == "image":
        return str(attrs.get("id", "")).isdigit() and attrs.get("format") in {f.name for f in get_image_formats()}
    if attrs.get("embedtype") == "media":
        return bool(check_url(attrs.get("url", ""))) and attrs.get("url", "").startswith(("http://", "https://"))
    return False


_whitelister = StoredRichTextWhitelister()


def sanitise(html: str | None) -> str:
    if not html:
        return html or ""
    return _whitelister.clean(str(html))


class SafeRichTextField(RichTextField):
    def to_python(self, value):
        return sanitise(super().to_python(value))

    def get_prep_value(self, value):
        return super().get_prep_value(sanitise(value))

    def pre_save(self, model_instance, add):
        value = sanitise(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class SafeRichTextBlock(RichTextBlock):
    def to_python(self, value):
        return RichText(sanitise(value))

    def get_prep_value(self, value):
        source = value.source if isinstance(value, RichText) else value
        return sanitise(source)

    def clean(self, value):
        value = super().clean(value)
        return RichText(sanitise(value.source))

    class Meta:
        icon = "pilcrow"
