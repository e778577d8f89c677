"""Uploaded files, checked by what they contain and never by what they are called.

One door for every upload a person sends us: `checked_image` (Pillow opens, decodes
and re-encodes it, which drops EXIF and anything appended) and `checked_document`
(an image, or a PDF that pypdf can read). Each returns a `CheckedFile` whose name is
random and whose extension is the real format, so a file is only ever served as the
type it is.

Private files (transfer proofs; later, residents' documents for letters) live in
`PrivateStorage`, outside MEDIA_ROOT and without any URL: they reach a browser only
through a view that checks who asks and answers with `private_file_response`.
"""

import io
import uuid
from struct import error as struct_error
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 25_000_000

# Pillow's format name -> (extension, content type, save options).
IMAGE_FORMATS = {
    "JPEG": (".jpg", "image/jpeg", {"quality": 88, "optimize": True}),
    "PNG": (".png", "image/png", {"optimize": True}),
    "WEBP": (".webp", "image/webp", {"quality": 85}),
}
# How a stored private file is served, by the extension we gave it; anything else is a download.
SERVED_TYPES = {ext: (content_type, True) for ext, content_type, _options in IMAGE_FORMATS.values()}
SERVED_TYPES[".pdf"] = ("application/pdf", False)

NOT_A_PHOTO = _("Berkas ini bukan foto yang bisa dibaca. Kirim JPEG, PNG atau WebP.")


@dataclass(frozen=True)
class CheckedFile:
    """Content we made or verified ourselves, with the extension of its real format."""

    content: bytes
    extension: str
    content_type: str
    width: int = 0
    height: int = 0

    def as_file(self, prefix: str = "") -> ContentFile:
        return CheckedContentFile(self.content, name=f"{prefix}{uuid.uuid4().hex}{self.extension}")


class CheckedContentFile(ContentFile):
    """A file that has been through the door; saving it does not check it again."""


def _read(upload, limit: int) -> bytes:
    if upload.size is not None and upload.size > limit:
        raise ValidationError(_("Berkas terlalu besar: paling banyak %(mb)d MB.") % {"mb": limit // (1024 * 1024)})
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if len(data) > limit:
        raise ValidationError(_("Berkas terlalu besar: paling banyak %(mb)d MB.") % {"mb": limit // (1024 * 1024)})
    if not data:
        raise ValidationError(_("Berkas kosong."))
    return data


def _too_many_pixels(max_pixels: int) -> ValidationError:
    return ValidationError(_("Gambar terlalu besar: paling banyak %(mp)d megapiksel.") % {"mp": max_pixels // 1_000_000})


def decoded_image(data: bytes, *, formats, max_pixels: int, invalid, wrong_format=None):
    """The image Pillow decodes whole from `data`, upright; a ValidationError for a file
    that is not one of `formats`, is truncated or corrupt, or decompresses past `max_pixels`."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in formats:
                    message = wrong_format or _("Gambar harus %(formats)s, bukan %(kind)s.")
                    raise ValidationError(message % {"formats": ", ".join(sorted(formats)), "kind": image.format})
                if image.size[0] * image.size[1] > max_pixels:
                    raise _too_many_pixels(max_pixels)
                image.load()  # decodes every pixel: a truncated or corrupt file fails here
                upright = ImageOps.exif_transpose(image)
                upright.format = image.format
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(max_pixels) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, struct_error, MemoryError):
        raise ValidationError(invalid) from None
    return upright


def checked_image(upload, *, max_bytes: int = MAX_UPLOAD_BYTES, max_pixels: int = MAX_IMAGE_PIXELS,
                  min_side: int = 0, invalid=NOT_A_PHOTO) -> CheckedFile:
    """A JPEG, PNG or WebP photo decoded whole by Pillow and saved again: its orientation
    applied, its metadata and whatever trailed the pixels gone."""
    image = decoded_image(_read(upload, max_bytes), formats=IMAGE_FORMATS, max_pixels=max_pixels, invalid=invalid,
                          wrong_format=_("Foto harus JPEG, PNG atau WebP, bukan %(kind)s."))
    kind = image.format
    if min(image.size) < min_side:
        raise ValidationError(_("Foto terlalu kecil: paling sedikit %(side)d × %(side)d piksel.") % {"side": min_side})
    extension, content_type, options = IMAGE_FORMATS[kind]
    if kind == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif kind != "JPEG" and image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
        image = image.convert("RGBA")
    buffer = io.BytesIO()
    image.save(buffer, format=kind, **options)  # no exif=, no pnginfo=: metadata is not copied
    return CheckedFile(buffer.getvalue(), extension, content_type, *image.size)


PRODUCT_PHOTO_MIN_SIDE = 200


def checked_product_photo(upload) -> CheckedContentFile:
    """The one door for a product photo or a shop logo, whichever form or service sends it."""
    if isinstance(upload, CheckedContentFile):
        return upload
    return checked_image(upload, min_side=PRODUCT_PHOTO_MIN_SIDE).as_file()


def checked_field_photo(field_file):
    """For a model's save/clean: a new, unchecked upload goes through the door; a stored file
    (or none) is left alone."""
    if not field_file or getattr(field_file, "_committed", True):
        return field_file
    upload = getattr(field_file, "file", field_file)
    if isinstance(upload, CheckedContentFile):
        return field_file
    return checked_product_photo(upload)


def checked_pdf(upload, *, max_bytes: int = MAX_UPLOAD_BYTES) -> CheckedFile:
    """A PDF by its content: the %PDF- header and pages pypdf can read. Kept as its pages
    only, written again: the document's actions and scripts (/OpenAction, JavaScript in
    /Names, a page's /AA), its attachments and its annotations (links that run actions,
    form fields) are left behind, so the file an operator opens does only show pages.
    Always served as a download with its own type."""
    from pypdf import PdfReader, PdfWriter

    data = _read(upload, max_bytes)
    if not data.startswith(b"%PDF-"):
        raise ValidationError(_("Kirim foto JPEG, PNG atau WebP, atau berkas PDF."))
    try:
        reader = PdfReader(io.BytesIO(data))
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page, excluded_keys=("/AA", "/Annots"))
        out = io.BytesIO()
        writer.write(out)
    except Exception:  # pypdf raises many kinds for a damaged or encrypted file; all mean "cannot read"
        writer = None
    if writer is None or not writer.pages:
        raise ValidationError(_("Berkas PDF ini rusak atau tidak bisa dibaca."))
    cleaned = out.getvalue()
    if len(cleaned) > max_bytes:
        raise ValidationError(_("Berkas terlalu besar: paling banyak %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)})
    return CheckedFile(cleaned, ".pdf", "application/pdf")


def checked_document(upload, *, max_bytes: int = MAX_UPLOAD_BYTES) -> CheckedFile:
    """A photo or a PDF of a paper: what a buyer or a resident sends as proof."""
    _read(upload, max_bytes)
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return checked_pdf(upload, max_bytes=max_bytes)
    return checked_image(upload, max_bytes=max_bytes, invalid=_("Kirim foto JPEG, PNG atau WebP, atau berkas PDF."))


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files outside MEDIA_ROOT, without a URL: served only by a view that checks who asks."""

    def __init__(self, **kwargs):
        kwargs.setdefault("file_permissions_mode", 0o640)
        kwargs.setdefault("directory_permissions_mode", 0o750)
        super().__init__(**kwargs)

    @property
    def base_location(self):
        root = Path(self._location or settings.PRIVATE_MEDIA_ROOT).resolve()
        media = Path(settings.MEDIA_ROOT).resolve()
        if root == media or media in root.parents:
            raise ImproperlyConfigured("PRIVATE_MEDIA_ROOT must lie outside MEDIA_ROOT.")
        return root

    @property
    def location(self):
        return str(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a view that checks who asks.")


def private_storage():
    """The field's storage, as a callable so that migrations do not freeze a path."""
    return PrivateStorage()


def random_name(folder: str, filename: str) -> str:
    """For upload_to: a random name under `folder`, keeping only an extension we serve."""
    extension = Path(filename).suffix.lower()
    return f"{folder}/{uuid.uuid4().hex}{extension if extension in SERVED_TYPES else '.bin'}"


def private_file_response(field_file, *, download_name: str) -> FileResponse:
    """A private file, inert whatever it holds: its own type by the extension we gave it,
    a download unless it is an image we re-encoded, never sniffed, cached or scripted."""
    extension = Path(field_file.name).suffix.lower()
    content_type, inline = SERVED_TYPES.get(extension, ("application/octet-stream", False))
    field_file.open("rb")
    response = FileResponse(field_file, content_type=content_type, as_attachment=not inline,
                            filename=f"{download_name}{extension}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
