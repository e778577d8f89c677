"""A statement as a PDF a BUMKam treasurer can print: A4, the lines as a real table (fpdf2),
each figure in its own column under its own heading."""

from fpdf import FPDF
from fpdf.fonts import FontFace

from ..pdf import FONT, new_pdf, pdf_text

MARGIN = 15
LABEL_WIDTHS = (26, 20)  # mm: order number, date received; the figures share the rest


class _Statement(FPDF):
    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.cell(0, 5, f"Halaman {self.page_no()} dari {{nb}}", align="C")


def statement_pdf(*, title: str, heading: list[str], columns: list[str], rows: list[list[str]],
                  total: list[str], notes: list[tuple[str, bool]], signers: tuple[str, str], created) -> bytes:
    """`heading`: the title line then plain lines; `columns` the table's headings (two
    labels, then figures); `rows` and `total` its cells as text; `notes` (text, bold) under
    the table; `signers` the two who sign the printed copy."""
    pdf = new_pdf(title=title, author=heading[1] if len(heading) > 1 else "", created=created,
                  document_class=_Statement)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    width = pdf.epw

    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(width, 7, pdf_text(heading[0]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9.5)
    for line in heading[1:]:
        pdf.multi_cell(width, 5, pdf_text(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    figures = len(columns) - len(LABEL_WIDTHS)
    figure_width = (width - sum(LABEL_WIDTHS)) / figures
    widths = (*LABEL_WIDTHS, *([figure_width] * figures))
    align = ("LEFT",) * len(LABEL_WIDTHS) + ("RIGHT",) * figures
    pdf.set_font(FONT, "", 8)
    with pdf.table(col_widths=widths, width=width, text_align=align, line_height=4.2, padding=1,
                   headings_style=FontFace(emphasis="BOLD", fill_color=(232, 238, 233)),
                   repeat_headings=1) as table:
        for cells in [columns, *rows]:
            row = table.row()
            for cell in cells:
                row.cell(pdf_text(cell))
        row = table.row(style=FontFace(emphasis="BOLD"))
        for cell in total:
            row.cell(pdf_text(cell))

    pdf.ln(4)
    for text, bold in notes:
        pdf.set_font(FONT, "B" if bold else "", 9.5)
        pdf.multi_cell(width, 5, pdf_text(text), new_x="LMARGIN", new_y="NEXT")

    if pdf.will_page_break(35):
        pdf.add_page()
    pdf.ln(10)
    pdf.set_font(FONT, "", 9.5)
    half, blank = width / 2, "(______________________)"
    for left, right, space_after in [(*signers, 20), (blank, blank, 0)]:
        pdf.cell(half, 5, pdf_text(left), align="C")
        pdf.cell(half, 5, pdf_text(right), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(space_after)
    return bytes(pdf.output())
