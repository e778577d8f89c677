"""The regency's oversight figures: per kampung and per kind of letter, how many requests,
how many done, refused and still open, the median time from submission to closing, and
the share that broke the service's promised time. Read-only; regency admins only (the view)."""

import datetime
from dataclasses import dataclass

from django.db.models import Aggregate, Count, DurationField, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import OPEN_STATUSES, LetterRequest, LetterStatus


class Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5): the middle value, between the two middle ones
    when the count is even (Django has no ordered-set aggregate of its own)."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()
    allow_distinct = False


@dataclass(frozen=True)
class StatsRow:
    kampung: str
    kecamatan: str
    kind: str
    requests: int
    done: int
    rejected: int
    open: int
    overdue: int
    median: datetime.timedelta | None

    @property
    def overdue_share(self) -> float:
        """Percent of the requests closed after their due day, or open past it."""
        return round(100 * self.overdue / self.requests, 1) if self.requests else 0.0

    @property
    def median_text(self) -> str:
        return duration_text(self.median)

    @property
    def median_hours(self) -> float | None:
        return None if self.median is None else round(self.median.total_seconds() / 3600, 1)


def _aggregates(today: datetime.date) -> dict:
    closed = Q(closed_at__isnull=False)
    return {
        "requests": Count("pk"),
        "done": Count("pk", filter=Q(status=LetterStatus.DONE)),
        "rejected": Count("pk", filter=Q(status=LetterStatus.REJECTED)),
        "open": Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        # closed after the due day (in the regency's time), or open and already past it
        "overdue": Count("pk", filter=closed & Q(closed_at__date__gt=F("due_on"))
                         | Q(status__in=OPEN_STATUSES, due_on__lt=today)),
        "median": Median(F("closed_at") - F("submitted_at"), filter=closed),
    }


def letter_stats(*, year: int | None = None, month: int | None = None, kecamatan_id: int | None = None,
                 today: datetime.date | None = None) -> tuple[list[StatsRow], StatsRow]:
    """(one row per kampung and kind of letter, the total), for the requests submitted in
    the period (a year, or a month of it) in one kecamatan or the whole regency."""
    today = today or timezone.localdate()
    requests = LetterRequest.objects.all()
    if year:
        requests = requests.filter(submitted_at__year=year)
        if month:
            requests = requests.filter(submitted_at__month=month)
    if kecamatan_id:
        requests = requests.filter(kampung__kecamatan_id=kecamatan_id)
    aggregates = _aggregates(today)
    grouped = (requests.values("kampung_id", "kind_id", "kampung__name", "kampung__kecamatan__name", "kind__title")
               .annotate(**aggregates).order_by("kampung__kecamatan__name", "kampung__name", "kind__title"))
    rows = [StatsRow(kampung=row["kampung__name"], kecamatan=row["kampung__kecamatan__name"],
                     kind=row["kind__title"], **{name: row[name] for name in aggregates}) for row in grouped]
    total = requests.aggregate(**aggregates)
    return rows, StatsRow(kampung=_("Semua kampung"), kecamatan="", kind=_("Semua jenis"), **total)


def duration_text(value: datetime.timedelta | None) -> str:
    """'2 hari 3 jam', '5 jam', '40 menit': how long a request took, as an office reads it."""
    if value is None:
        return "-"
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(days)d hari %(hours)d jam") % {"days": days, "hours": hours} if hours else \
            _("%(days)d hari") % {"days": days}
    if hours:
        return _("%(hours)d jam") % {"hours": hours}
    return _("%(minutes)d menit") % {"minutes": minutes}
