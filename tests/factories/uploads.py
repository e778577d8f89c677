"""Files a person might send us, good and hostile, made in memory."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(fmt="PNG", size=(320, 240), color=(200, 30, 30), **save_options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt, **save_options)
    return buffer.getvalue()


def jpeg_with_exif(size=(300, 200), orientation=6) -> bytes:
    """A camera photo: rotated by its EXIF orientation, carrying a maker and a GPS position."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "KameraRahasia"
    exif[0x8825] = {2: (1.0, 2.0, 3.0)}  # GPSInfo: latitude
    return image_bytes("JPEG", size, exif=exif.tobytes())


def bomb_png(side=12_000) -> bytes:
    """144 megapixels of zeros: a few hundred kilobytes on the wire, gigabytes once decoded."""
    buffer = io.BytesIO()
    Image.new("1", (side, side)).save(buffer, format="PNG")
    return buffer.getvalue()


def truncated_jpeg() -> bytes:
    whole = image_bytes("JPEG", (800, 600), quality=95)
    return whole[: len(whole) // 2]


def pdf_bytes(trailer: bytes = b"") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue() + trailer


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("bukti.html", "<script>alert(1)</script>")
    return buffer.getvalue()


SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)
