"""Wagtail's image form, checking an upload with Pillow before Wagtail stores it.

Wagtail's upload field reads an image with Willow, whose frame count seeks through the
file: a truncated JPEG raised OSError there, inside form validation, and answered 500.
Decoding the whole image with Pillow first (marketplace.files.decoded_image) turns a
truncated or corrupt file, and a decompression bomb, into a form error.
Settings: WAGTAILIMAGES_IMAGE_FORM_BASE.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from marketplace.files import decoded_image

# What Wagtail accepts by default (WAGTAILIMAGES_EXTENSIONS), as Pillow names the formats.
WAGTAIL_IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP", "AVIF"}


class CheckedImageField(WagtailImageField):
    """Wagtail's field, decoding the whole image with Pillow before Willow reads it: Willow
    counts a truncated image's frames by seeking through it and raised OSError (a 500)."""

    def to_python(self, data):
        if data is not None and hasattr(data, "read"):
            data.seek(0)
            decoded_image(data.read(), formats=WAGTAIL_IMAGE_FORMATS,
                          max_pixels=getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", 128_000_000),
                          invalid=_("Berkas gambar ini rusak atau terpotong; unggah ulang dari berkas aslinya."))
            data.seek(0)
        try:
            return super().to_python(data)
        except OSError:  # whatever else Willow cannot read is the uploader's file, not our fault
            raise ValidationError(_("Berkas gambar ini rusak atau terpotong; unggah ulang dari berkas aslinya.")) from None


class CheckedImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is not None:  # the multiple uploader's edit form has no file field
            self.fields["file"] = CheckedImageField(label=field.label, required=field.required, widget=field.widget)
