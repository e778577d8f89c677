"""The village office's letter queue in the Wagtail admin, and the regency's figures.

Fences (cms.letters.permissions): a village editor works their own kampung's requests; a
request, document or kind of another village is a 404, as if it did not exist; an admin
user with no village at all gets 403; the regency admin sees everything. Every move goes
through cms.letters.services, which refuses a stale one (LetterRefused): a double submit
shows a message and changes nothing. NIK, KK and documents are shown here, to the
operator, and never leave through a URL without this check."""

from pathlib import Path
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from marketplace.exports import csv_response
from marketplace.files import SERVED_TYPES, private_file_response
from marketplace.html import whatsapp_url
from marketplace.sites import site_url
from shops.models import Kampung, Kecamatan
from shops.services import is_regency_admin

from . import services
from .admin_forms import LetterKindForm, LetterSettingsForm
from .kinds import KINDS
from .models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    LetterKind,
    LetterRequest,
    LetterSequence,
    LetterStatus,
    RequestDocument,
)
from .pdf import LetterContent, indonesian_date
from .permissions import operates, operator_kampung_ids, requests_for
from .selectors import tracking_path, verification_path
from .stats import letter_stats

PER_PAGE = 50
NOTE_STATUSES = (LetterStatus.INCOMPLETE, LetterStatus.REJECTED)
OPEN_TAB = "terbuka"


def _operator(request) -> set[int] | None:
    """The kampung the user works (None: all); 403 for an admin user of no village."""
    kampung_ids = operator_kampung_ids(request.user)
    if kampung_ids is not None and not kampung_ids:
        raise PermissionDenied
    return kampung_ids


def _own_request(request, pk) -> LetterRequest:
    _operator(request)
    return get_object_or_404(requests_for(request.user).select_related("kind", "kampung__kecamatan"), pk=pk)


# --- the queue ----------------------------------------------------------------------------

def queue(request):
    kampung_ids = _operator(request)
    regency = kampung_ids is None
    today = timezone.localdate()
    requests = requests_for(request.user)
    chosen_kampung = request.GET.get("kampung", "")
    if regency and chosen_kampung.isdigit():
        requests = requests.filter(kampung_id=int(chosen_kampung))
    counts = dict(requests.values_list("status").annotate(n=Count("pk")).order_by())
    tabs = [(OPEN_TAB, _("Terbuka"), sum(counts.get(status, 0) for status in OPEN_STATUSES))]
    tabs += [(value, label, counts.get(value, 0)) for value, label in LetterStatus.choices]
    tabs.append(("semua", _("Semua"), sum(counts.values())))
    tab = request.GET.get("status", OPEN_TAB)
    if tab not in {value for value, _label, _count in tabs}:
        tab = OPEN_TAB

    overdue = Case(When(Q(status__in=OPEN_STATUSES, due_on__lt=today), then=Value(True)),
                   default=Value(False), output_field=BooleanField())
    is_open = Case(When(status__in=OPEN_STATUSES, then=Value(True)), default=Value(False),
                   output_field=BooleanField())
    requests = requests.select_related("kind", "kampung").annotate(overdue=overdue, still_open=is_open)
    if tab == OPEN_TAB:
        requests = requests.filter(status__in=OPEN_STATUSES)
    elif tab != "semua":
        requests = requests.filter(status=tab)
    if tab in CLOSED_STATUSES:
        requests = requests.order_by("-closed_at", "-pk")
    else:  # what is open first, the overdue first among it, then by the promised day
        requests = requests.order_by("-still_open", "-overdue", "due_on", "submitted_at", "pk")
    page = Paginator(requests, PER_PAGE).get_page(request.GET.get("p"))

    base_query = {"kampung": chosen_kampung} if regency and chosen_kampung else {}
    return TemplateResponse(request, "letters/admin/queue.html", {
        "page_title": _("Permohonan surat"), "header_title": _("Permohonan surat"), "header_icon": "mail",
        "page": page, "tab": tab, "today": today, "regency": regency,
        "tabs": [(value, label, count, "?" + urlencode({**base_query, "status": value})) for value, label, count in tabs],
        "page_query": urlencode({**base_query, "status": tab}),
        "kampung_choices": Kampung.objects.filter(letter_requests__isnull=False).distinct()
        .select_related("kecamatan").order_by("name") if regency else [],
        "chosen_kampung": chosen_kampung,
    })


# --- one request ------------------------------------------------------------------------

def _status_message(letter_request: LetterRequest) -> str:
    return _("Permohonan %(kind)s Anda (kode %(code)s) berstatus: %(status)s. Lihat di %(url)s") % {
        "kind": letter_request.kind.title, "code": letter_request.code,
        "status": letter_request.get_status_display(), "url": site_url(tracking_path(letter_request))}


def _last_mail(letter_request: LetterRequest):
    from marketplace.mail.models import OutboxMail

    if not letter_request.email:
        return None
    return OutboxMail.objects.filter(to__contains=[letter_request.email]).order_by("-pk").first()


def _label(name: str) -> str:
    """A kept value's label when its kind no longer names it: never the raw key."""
    return name.replace("_", " ").strip().capitalize() or "-"


def _text(value) -> str:
    return "\n".join(map(str, value)) if isinstance(value, list) else str(value)


def _details(letter_request: LetterRequest) -> list[tuple[str, str]]:
    """The kind's fields with their labels, in the kind's order, then anything else kept.
    A village field's code ("tujuan_kode") is followed by the name the form derived from
    it ("tujuan_desa"), labelled "Kampung/desa tujuan"."""
    spec = KINDS.get(letter_request.kind.code)
    details = dict(letter_request.details or {})
    rows = []
    for field in spec.fields if spec else ():
        if field.name in details:
            rows.append((field.label, _text(details.pop(field.name))))
        derived = field.name.removesuffix("_kode") + "_desa"
        if field.kind == "village" and derived in details:
            label = str(field.label).removeprefix("Kode ").strip()
            rows.append((label[:1].upper() + label[1:], _text(details.pop(derived))))
    rows += [(_label(name), _text(value)) for name, value in details.items()]
    return rows


PREVIEW_NUMBER = _lazy("(nomor diberikan saat ditandatangani)")


def _preview(letter_request: LetterRequest):
    """The letter as signing would write it today (pdf.LetterContent), the number still to come."""
    return LetterContent.for_request(
        letter_request, letter_settings=services.letter_settings_for(letter_request.kampung),
        number=str(PREVIEW_NUMBER), verification_code="pratinjau", issued_on=timezone.localdate())


def request_detail(request, pk):
    """Opening a request is recorded in its trail; a new one is now being checked, when one
    of the village's own operators opens it (the regency admin only looks)."""
    letter_request = _own_request(request, pk)
    opened = services.request_open(letter_request=letter_request, user=request.user,
                                   begins_review=operates(request.user, letter_request))
    letter_request.status = opened.status
    documents = [(document, SERVED_TYPES.get(Path(document.file.name).suffix.lower(), ("", False))[1])
                 for document in letter_request.documents.all()]
    issued = getattr(letter_request, "letter", None) if letter_request.status == LetterStatus.DONE else None
    may_sign = letter_request.status == LetterStatus.APPROVED
    preview = _preview(letter_request) if may_sign else None
    return TemplateResponse(request, "letters/admin/request.html", {
        "page_title": _("Permohonan %(code)s") % {"code": letter_request.code},
        "header_title": _("Permohonan %(code)s") % {"code": letter_request.code}, "header_icon": "mail",
        "letter_request": letter_request, "details": _details(letter_request), "documents": documents,
        "events": letter_request.events.select_related("actor"), "overdue": letter_request.is_overdue(),
        "whatsapp": whatsapp_url(letter_request.phone, _status_message(letter_request)),
        "tracking_url": site_url(tracking_path(letter_request)), "last_mail": _last_mail(letter_request),
        "issued": issued, "verification_url": site_url(verification_path(issued.verification_code)) if issued else "",
        "may_review": letter_request.status in (LetterStatus.SUBMITTED, LetterStatus.REVIEWING),
        "may_sign": may_sign, "preview": preview,
        "preview_date": indonesian_date(preview.issued_on) if preview else "",
        # the note of an earlier "ask for more" is history (the trail keeps it) once answered
        "show_note": bool(letter_request.note) and letter_request.status in NOTE_STATUSES,
        "may_reject": letter_request.status in OPEN_STATUSES,
    })


def document(request, pk):
    """A resident's document, to that village's operators only; each look is in the trail."""
    _operator(request)
    found = get_object_or_404(RequestDocument.objects.select_related("request"),
                              pk=pk, request__in=requests_for(request.user))
    services.document_viewed(document=found, user=request.user)
    name = f"{found.request.code}-{slugify(found.requirement)[:40] or 'berkas'}"
    return private_file_response(found.file, download_name=name)


def issued_pdf(request, pk):
    letter_request = _own_request(request, pk)
    issued = getattr(letter_request, "letter", None)
    if issued is None or not issued.pdf:
        raise Http404
    return private_file_response(issued.pdf, download_name=f"surat-{letter_request.code}")


def _move(request, pk, move, success):
    """Run one service move on an own request; a refusal or a missing note is a message."""
    letter_request = _own_request(request, pk)
    try:
        move(letter_request)
    except services.LetterRefused as refused:
        messages.error(request, str(refused))
    except ValidationError as invalid:
        messages.error(request, " ".join(invalid.messages))
    else:
        messages.success(request, success % {"code": letter_request.code})
    return redirect("letters_request", pk=letter_request.pk)


@require_POST
def request_ask_more(request, pk):
    return _move(request, pk, lambda r: services.request_ask_more(
        letter_request=r, user=request.user, note=request.POST.get("note", "")),
        _("Permohonan %(code)s dikembalikan ke pemohon untuk dilengkapi."))


@require_POST
def request_approve(request, pk):
    return _move(request, pk, lambda r: services.request_approve(letter_request=r, user=request.user),
                 _("Permohonan %(code)s disetujui; surat siap ditandatangani."))


@require_POST
def request_sign(request, pk):
    if request.POST.get("sudah_dibaca") != "ya":
        messages.error(request, _("Centang \"Saya sudah membaca isi surat\" setelah memeriksa isinya, "
                                  "lalu tandatangani."))
        return redirect("letters_request", pk=_own_request(request, pk).pk)
    return _move(request, pk, lambda r: services.letter_sign(letter_request=r, user=request.user),
                 _("Surat untuk permohonan %(code)s ditandatangani dan terbit."))


@require_POST
def request_reject(request, pk):
    return _move(request, pk, lambda r: services.request_reject(
        letter_request=r, user=request.user, reason=request.POST.get("reason", "")),
        _("Permohonan %(code)s ditolak; pemohon melihat alasannya."))


# --- a village's settings and wording ---------------------------------------------------------

def _own_kampung_queryset(request):
    kampung_ids = _operator(request)
    kampung = Kampung.objects.select_related("kecamatan")
    return kampung if kampung_ids is None else kampung.filter(pk__in=kampung_ids)


def settings_index(request):
    kampung = _own_kampung_queryset(request).order_by("kecamatan__name", "name")
    if len(kampung) == 1:
        return redirect("letters_settings", kampung_id=kampung[0].pk)
    return TemplateResponse(request, "letters/admin/settings_index.html", {
        "page_title": _("Pengaturan surat"), "header_title": _("Pengaturan surat"), "header_icon": "cog",
        "page": Paginator(kampung, PER_PAGE).get_page(request.GET.get("p")),
    })


def letter_settings(request, kampung_id):
    kampung = get_object_or_404(_own_kampung_queryset(request), pk=kampung_id)
    current = services.letter_settings_for(kampung)
    form = LetterSettingsForm(request.POST if request.method == "POST" else None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_settings_update(kampung=kampung, acting_user=request.user, **{
                field: form.cleaned_data[field] for field in form.Meta.fields})
        except ValidationError as invalid:
            form.add_error(None, invalid)
        else:
            messages.success(request, _("Pengaturan surat %(kampung)s disimpan.") % {"kampung": kampung})
            return redirect("letters_settings", kampung_id=kampung.pk)
    if request.method == "POST":
        messages.error(request, _("Pengaturan belum disimpan: periksa isian yang ditandai."))
    kinds = list(LetterKind.objects.filter(kampung=kampung).order_by("title"))
    return TemplateResponse(request, "letters/admin/settings.html", {
        "page_title": _("Pengaturan surat %(kampung)s") % {"kampung": kampung},
        "header_title": _("Pengaturan surat"), "header_icon": "cog",
        "kampung": kampung, "form": form, "kinds": kinds,
        "example": _next_number(current, kinds[0] if kinds else None) if current.number_format else "",
        "example_kind": kinds[0] if kinds else None,
    }, status=400 if request.method == "POST" else 200)


def _next_number(letter_settings, kind) -> str:
    """The number the village's next letter this year would get (the sequence moves only on signing)."""
    today = timezone.localdate()
    last = LetterSequence.objects.filter(kampung=letter_settings.kampung, year=today.year).values_list(
        "last", flat=True).first() or 0
    return services.letter_number(letter_settings, classification=kind.classification if kind else "470",
                                  sequence=last + 1, when=today)


def letter_kind(request, pk):
    kind = get_object_or_404(LetterKind.objects.select_related("kampung"),
                             pk=pk, kampung__in=_own_kampung_queryset(request))
    form = LetterKindForm(request.POST if request.method == "POST" else None, instance=kind)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Isi %(title)s disimpan.") % {"title": kind.title})
            return redirect("letters_settings", kampung_id=kind.kampung_id)
        messages.error(request, _("Isi surat belum disimpan: periksa isian yang ditandai."))
    return TemplateResponse(request, "letters/admin/kind.html", {
        "page_title": _("%(title)s · %(kampung)s") % {"title": kind.title, "kampung": kind.kampung},
        "header_title": kind.title, "header_icon": "doc-full", "kind": kind, "form": form,
    }, status=400 if request.method == "POST" else 200)


# --- the regency's figures ---------------------------------------------------------------

def _stats_filters(request):
    today = timezone.localdate()
    year = request.GET.get("tahun", str(today.year))
    month = request.GET.get("bulan", "")
    kecamatan = request.GET.get("kecamatan", "")
    return {
        "year": int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None,
        "month": int(month) if month.isdigit() and 1 <= int(month) <= 12 else None,
        "kecamatan_id": int(kecamatan) if kecamatan.isdigit() else None,
    }


def statistics(request):
    if not is_regency_admin(request.user):
        raise PermissionDenied
    chosen = _stats_filters(request)
    rows, total = letter_stats(**chosen)
    this_year = timezone.localdate().year
    return TemplateResponse(request, "letters/admin/statistics.html", {
        "page_title": _("Statistik layanan surat"), "header_title": _("Statistik layanan surat"),
        "header_icon": "table", "rows": rows, "total": total, "chosen": chosen,
        "years": range(this_year, this_year - 5, -1),
        "months": list(MONTHS.items()),
        "kecamatan": Kecamatan.objects.order_by("name"), "query": request.GET.urlencode(),
    })


def statistics_csv(request):
    if not is_regency_admin(request.user):
        raise PermissionDenied
    chosen = _stats_filters(request)
    rows, total = letter_stats(**chosen)
    period = "-".join(str(part) for part in (chosen["year"], chosen["month"]) if part) or "semua"
    header = ["kecamatan", "kampung", "jenis surat", "permohonan", "selesai", "ditolak", "terbuka",
              "median waktu selesai (jam)", "terlambat", "persen terlambat"]
    return csv_response(f"statistik-surat-{period}.csv", header, [
        [row.kecamatan, row.kampung, row.kind, row.requests, row.done, row.rejected, row.open,
         row.median_hours, row.overdue, row.overdue_share] for row in [*rows, total]])
