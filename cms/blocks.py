from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

from .rich_text import SafeRichTextBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Judul bagian"), form_classname="title", template="cms/blocks/heading.html")
    paragraph = SafeRichTextBlock(label=_("Paragraf"), features=RICH_TEXT_FEATURES)
    image = ImageBlock(label=_("Gambar"), template="cms/blocks/image.html")
    quote = blocks.BlockQuoteBlock(label=_("Kutipan"))

    class Meta:
        label = _("Isi")


class FormDocumentsBlock(blocks.StreamBlock):
    """The forms a resident can download before coming to the office."""

    document = DocumentChooserBlock(label=_("Formulir"), template="cms/blocks/document.html")

    class Meta:
        label = _("Formulir unduhan")
