"""The APBKam figures of a transparency page, computed once for its HTML, chart and CSV."""

from dataclasses import dataclass

from marketplace.exports import csv_writer

from .models.transparency import BudgetKind

QUARTERS = ("I", "II", "III", "IV")


def percent(part: int, whole: int) -> float:
    return round(part * 100 / whole, 1) if whole else 0.0


@dataclass(frozen=True)
class BudgetRow:
    kind: str
    kind_label: str
    name: str
    planned: int
    quarters: tuple[int, int, int, int]

    @property
    def realised(self) -> int:
        return sum(self.quarters)

    @property
    def percent(self) -> float:
        return percent(self.realised, self.planned)


@dataclass(frozen=True)
class BudgetGroup:
    kind: str
    label: str
    rows: tuple[BudgetRow, ...]

    @property
    def planned(self) -> int:
        return sum(r.planned for r in self.rows)

    @property
    def quarters(self) -> tuple[int, ...]:
        return tuple(sum(r.quarters[q] for r in self.rows) for q in range(4))

    @property
    def realised(self) -> int:
        return sum(self.quarters)

    @property
    def percent(self) -> float:
        return percent(self.realised, self.planned)

    @property
    def cumulative_percent(self) -> tuple[float, ...]:
        """Realisation by the end of each quarter, as Dana Desa is released (10 %, 50 %, 100 %…)."""
        running, result = 0, []
        for amount in self.quarters:
            running += amount
            result.append(percent(running, self.planned))
        return tuple(result)

    @property
    def cumulative_by_quarter(self) -> list[tuple[str, float]]:
        return list(zip(QUARTERS, self.cumulative_percent))

    def chart(self) -> list[dict]:
        """Bar lengths in percent of the largest budget line: HTML bars under readable labels, which a
        phone shows at its own text size (an SVG scaled down to 390 px made its labels unreadable)."""
        largest = max((r.planned for r in self.rows), default=0) or 1
        return [
            {"row": r, "planned": round(r.planned * 100 / largest, 1),
             "realised": round(min(r.realised, largest) * 100 / largest, 1)}
            for r in self.rows
        ]


@dataclass(frozen=True)
class BudgetReport:
    year: int
    groups: tuple[BudgetGroup, ...]


def budget_report(*, page, year: int) -> BudgetReport:
    lines = page.budget_lines.filter(year=year).order_by("kind", "sort_order", "pk")
    groups = []
    for kind, label in BudgetKind.choices:
        rows = tuple(
            BudgetRow(kind=kind, kind_label=str(label), name=line.name, planned=line.planned, quarters=line.quarters)
            for line in lines if line.kind == kind
        )
        if rows:
            groups.append(BudgetGroup(kind=kind, label=str(label), rows=rows))
    return BudgetReport(year=year, groups=tuple(groups))


CSV_HEADER = ["Tahun", "Jenis", "Uraian", "Anggaran", *(f"Realisasi TW {q}" for q in QUARTERS),
              "Total realisasi", "Persentase realisasi"]


def budget_csv(report: BudgetReport, out) -> None:
    """Integer rupiah and a dot decimal, so that a spreadsheet reads the figures as numbers."""
    writer = csv_writer(out)
    writer.writerow(CSV_HEADER)
    for group in report.groups:
        for row in group.rows:
            writer.writerow([report.year, row.kind_label, row.name, row.planned, *row.quarters, row.realised, f"{row.percent:.1f}"])
        writer.writerow([report.year, group.label, f"Jumlah {group.label}", group.planned, *group.quarters,
                         group.realised, f"{group.percent:.1f}"])
