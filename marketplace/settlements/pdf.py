"""A statement as a PDF a BUMKam treasurer can print: A4, Helvetica, text only.

PDF's own standard fonts need no font file and no library; a statement is lines of text,
so a few dozen lines of PDF syntax are simpler than a new dependency."""

A4 = (595, 842)
MARGIN = 50
LEADING = 14
LINES_PER_PAGE = (A4[1] - 2 * MARGIN) // LEADING


def _escape(text: str) -> bytes:
    text = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return text.encode("cp1252", errors="replace")


def pdf_document(lines: list[tuple[str, bool]], *, title: str) -> bytes:
    """`lines` are (text, bold) pairs; columns line up because the body is set in Courier."""
    pages = [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)] or [[]]
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", None,  # the page tree is written once pages are known
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier-Bold /Encoding /WinAnsiEncoding >>",
               b"<< /Title (" + _escape(title) + b") /Producer (Pasar Kampung) >>"]
    kids = []
    for number, page in enumerate(pages, start=1):
        stream = [b"BT", f"{MARGIN} {A4[1] - MARGIN} Td {LEADING} TL".encode()]
        for text, bold in page:
            stream.append(b"/F%d 9 Tf (" % (2 if bold else 1) + _escape(text) + b") Tj T*")
        stream += [b"/F1 8 Tf", f"0 -{LEADING} Td".encode(),
                   b"(" + _escape(f"Halaman {number} dari {len(pages)}") + b") Tj", b"ET"]
        content = b"\n".join(stream)
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>" % (A4[0], A4[1], len(objects)))
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))

    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
