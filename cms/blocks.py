from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError, StreamValue
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

from .rich_text import SafeRichTextBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class PostedStreamValue(StreamValue):
    """A stream read from a post that was not Wagtail's own (a count that is no number, a key
    missing, a block type that does not exist): empty, and refused by `clean`."""

    malformed = True


class TolerantStreamBlock(blocks.StreamBlock):
    """A stream whose malformed post is a form error, not a 500.

    Wagtail reads a stream from `<prefix>-count`, `-N-type`, `-N-order`, `-N-deleted` and each
    child's own keys (a rich text block's JSON) and trusts them: `int()` of a count or order
    that is no number raises ValueError, a missing key KeyError, garbage JSON ValueError, all
    from the form's field cleaning, so the page editor answers 500. Reading happens here, at
    the top of the stream, so one catch covers every child block; the editor gets the page
    form again with the message, and nothing is saved.
    """

    def value_from_datadict(self, data, files, prefix):
        try:
            return super().value_from_datadict(data, files, prefix)
        except (KeyError, ValueError, TypeError, AttributeError, IndexError):
            return PostedStreamValue(self, [])

    def clean(self, value):
        if getattr(value, "malformed", False):
            raise StreamBlockValidationError(non_block_errors=[ValidationError(
                _("Isi bagian ini tidak terbaca (data formulir rusak). Muat ulang halaman lalu isi lagi."))])
        return super().clean(value)


class BodyBlock(TolerantStreamBlock):
    heading = blocks.CharBlock(label=_("Judul bagian"), form_classname="title", template="cms/blocks/heading.html")
    paragraph = SafeRichTextBlock(label=_("Paragraf"), features=RICH_TEXT_FEATURES)
    image = ImageBlock(label=_("Gambar"), template="cms/blocks/image.html")
    quote = blocks.BlockQuoteBlock(label=_("Kutipan"))

    class Meta:
        label = _("Isi")


class FormDocumentsBlock(TolerantStreamBlock):
    """The forms a resident can download before coming to the office."""

    document = DocumentChooserBlock(label=_("Formulir"), template="cms/blocks/document.html")

    class Meta:
        label = _("Formulir unduhan")
