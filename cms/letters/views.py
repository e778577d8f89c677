"""The public side of a letter: the resident asks for it on a service page, follows it by
its secret link, adds what the office asks for and downloads the signed letter; anyone
holding a letter checks it on its verification page.

Nothing here has an account behind it: the tracking link's secret is the key, compared in
constant time; a wrong code or secret is a page that does not exist. Every page carries
personal data, so none is cached, indexed or listed in the sitemap."""

import datetime
import hashlib
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from marketplace.files import private_file_response
from marketplace.throttle import client_ip, limit_reached, rate_limit, too_many

from .forms import (
    DOCUMENT_ACCEPT,
    LetterFileForm,
    LetterRequestForm,
    LookupForm,
    MoreDocumentsForm,
    requirement_labels,
    slots_keep,
    slots_stashed_names,
)
from .models import IssuedLetter, LetterKind, LetterRequest, LetterStatus, SigningKey
from .selectors import (
    request_promise,
    request_timeline,
    tracking_path,
    verification_path,
)
from .services import (
    LetterRefused,
    letter_kinds_ensure,
    request_complete,
    request_submit,
)
from .signing import verify
from .stash import stash_discard


def private_page(response):
    """A page for one resident only: not kept by any cache, not shown by search engines."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _ip_key(what: str, request) -> str:
    return f"letters:{what}:ip:{client_ip(request) or 'unknown'}"


def _stash_holder(request) -> str:
    """The browser session that may read back the files it stashed (a resident has no account)."""
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key


def _writes_allowed(request, form) -> bool:
    """Only what writes counts: a request sent, or files stashed for a correction. A slip
    without new files costs nothing, so residents behind one address (a carrier's shared
    address, the village office's kiosk) are not shut out by each other's typing."""
    if not (form.is_valid() or any(slot.checked is not None for slot in form.slots)):
        return True
    limit, period = settings.THROTTLE_LETTER_POSTS_PER_IP
    return rate_limit(_ip_key("writes", request), limit=limit, period=period)


TOO_MANY_WRITES = gettext_lazy(
    "Terlalu banyak permohonan dan berkas terkirim dari jaringan Anda dalam satu jam. Isian Anda masih di "
    "halaman ini; coba kirim lagi nanti, atau datang ke kantor kampung.")


def _writes_refused(form) -> int:
    """The form sent back as typed, with the reason; its new files are not stashed (nothing
    more is written for this address). Returns the status."""
    form.add_error(None, TOO_MANY_WRITES)
    for slot in form.slots:
        slot.checked = None
    return 429


# --- asking for a letter -------------------------------------------------------------------

def _kind_for(page) -> LetterKind:
    kampung = page.kampung_home().kampung
    kind = LetterKind.objects.filter(kampung=kampung, code=page.online_letter).first()
    if kind is None:
        kind = next(kind for kind in letter_kinds_ensure(kampung=kampung) if kind.code == page.online_letter)
    return kind


@sensitive_post_parameters()
def request_form(request, *, page):
    """The "Ajukan online" form of a ServicePage (its route `ajukan/`)."""
    if not page.online_letter or page.kampung_home() is None:
        raise Http404
    kind = _kind_for(page)
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    holder = _stash_holder(request) if request.method == "POST" else ""
    form = LetterRequestForm(data, files, kind_code=kind.code, requirements=requirement_labels(page.requirements),
                             holder=holder, origin_code=kind.kampung.code)
    status = 200
    if request.method == "POST":
        if not _writes_allowed(request, form):
            status = _writes_refused(form)
        elif form.is_valid():
            letter_request = request_submit(
                kind=kind, service_page=page, promised_days=page.promised_days, applicant=form.applicant(),
                details=form.details(), documents=form.documents())
            stash_discard(slots_stashed_names(form.slots))
            return redirect(tracking_path(letter_request))
        else:
            slots_keep(form.slots, holder=holder)
            status = 400
    return private_page(render(request, "letters/request_form.html", {
        "page": page, "kind": kind, "form": form, "accept": DOCUMENT_ACCEPT,
        "kampung": page.kampung_home().kampung,
    }, status=status))


# --- following it --------------------------------------------------------------------------

def _request_or_404(code: str, secret: str) -> LetterRequest:
    letter_request = (LetterRequest.objects.select_related("kind", "kampung__kecamatan", "service_page")
                      .filter(code=code.upper()).first())
    if letter_request is None or not constant_time_compare(secret, letter_request.secret):
        raise Http404
    return letter_request


def _reapply_url(letter_request: LetterRequest) -> str:
    """After a refusal, the same service's form, if it is still offered online."""
    page = letter_request.service_page
    if letter_request.status != LetterStatus.REJECTED or page is None or not page.live:
        return ""
    page = page.specific
    return f"{page.url}ajukan/" if getattr(page, "online_letter", "") else ""


def _requirements_of(letter_request: LetterRequest) -> list[str]:
    page = letter_request.service_page
    return requirement_labels(getattr(page.specific, "requirements", "")) if page is not None else []


@sensitive_post_parameters()
def tracking(request, code: str, secret: str):
    letter_request = _request_or_404(code, secret)
    more = None
    status = 200
    if letter_request.status == LetterStatus.INCOMPLETE:
        data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
        holder = _stash_holder(request) if request.method == "POST" else ""
        more = MoreDocumentsForm(data, files, requirements=_requirements_of(letter_request), holder=holder)
        if request.method == "POST":
            if not _writes_allowed(request, more):
                status = _writes_refused(more)
            elif more.is_valid():
                try:
                    request_complete(letter_request=letter_request, documents=more.documents(),
                                     note=more.cleaned_data["catatan"])
                except (LetterRefused, ValidationError) as error:
                    more.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
                else:
                    stash_discard(slots_stashed_names(more.slots))
                    messages.success(request, _("Terima kasih, kiriman Anda sudah diterima dan akan diperiksa petugas."))
                    return redirect(tracking_path(letter_request))
            if status != 429:
                slots_keep(more.slots, holder=holder)
                status = 400
    elif request.method == "POST":
        messages.info(request, _("Permohonan ini sedang tidak menunggu kiriman dari Anda."))
        return redirect(tracking_path(letter_request))
    link = request.build_absolute_uri(tracking_path(letter_request))
    letter = getattr(letter_request, "letter", None) if letter_request.status == LetterStatus.DONE else None
    share = _("Permohonan %(kind)s di %(kampung)s, kode %(code)s: %(link)s") % {
        "kind": letter_request.kind.title, "kampung": letter_request.kampung.name, "code": letter_request.code,
        "link": link}
    return private_page(render(request, "letters/tracking.html", {
        "letter_request": letter_request, "timeline": request_timeline(letter_request),
        "promise": request_promise(letter_request), "documents": letter_request.documents.all(),
        "letter": letter, "verify_path": verification_path(letter.verification_code) if letter else "",
        "link": link, "whatsapp_share": f"https://wa.me/?text={quote(share)}", "more": more, "accept": DOCUMENT_ACCEPT,
        "requirements": _requirements_of(letter_request) if more is not None else [],
        "reapply_url": _reapply_url(letter_request),
    }, status=status))


def document(request, code: str, secret: str, pk: int):
    """One of the resident's own documents; the secret link is the key."""
    letter_request = _request_or_404(code, secret)
    found = get_object_or_404(letter_request.documents, pk=pk)
    return private_page(private_file_response(found.file, download_name=f"berkas-{letter_request.code}-{found.pk}"))


def letter_download(request, code: str, secret: str):
    """The signed letter, once the request is done."""
    letter_request = _request_or_404(code, secret)
    letter = getattr(letter_request, "letter", None)
    if letter_request.status != LetterStatus.DONE or letter is None or not letter.pdf:
        raise Http404
    return private_page(private_file_response(letter.pdf, download_name=f"surat-{letter_request.code}"))


# --- finding it again ----------------------------------------------------------------------
# A code and a birth date (or NIK): the birth date is easy to guess at, so its failures are
# counted per client and per code; a client past the limit is answered before any lookup.

@sensitive_post_parameters()
def lookup(request):
    form = LookupForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        limit, period = settings.THROTTLE_LETTER_LOOKUP_FAILURES
        ip_key = _ip_key("lookup", request)
        code_key = f"letters:lookup:code:{(request.POST.get('kode') or '').strip().upper()[:20]}"
        # A birth date can be guessed from many addresses, so its failures count per code too;
        # an NIK cannot, and must still open the request once strangers have locked the birth date.
        by_birth_date = not (request.POST.get("nik") or "").strip()
        if limit_reached(ip_key, limit=limit) or (by_birth_date and limit_reached(code_key, limit=limit)):
            return _lookup_refused(request, period)
        if form.is_valid():
            found = _lookup(**form.cleaned_data)
            if found is not None:
                return redirect(tracking_path(found))
            form.add_error(None, _("Tidak ada permohonan dengan kode dan tanggal lahir atau NIK itu. Periksa "
                                   "keduanya seperti tertulis saat permohonan dikirim."))
        if by_birth_date:
            rate_limit(code_key, limit=limit, period=period)
        if not rate_limit(ip_key, limit=limit, period=period):
            return _lookup_refused(request, period)
        status = 400
    return private_page(render(request, "letters/lookup.html", {"form": form}, status=status))


def _lookup(*, kode: str, tanggal_lahir, nik: str) -> LetterRequest | None:
    letter_request = LetterRequest.objects.filter(code=kode).first()
    if letter_request is None:
        return None
    if tanggal_lahir and tanggal_lahir == letter_request.birth_date:
        return letter_request
    if nik and constant_time_compare(nik, letter_request.nik):
        return letter_request
    return None


def _lookup_refused(request, period: int):
    return too_many(request, retry_after=datetime.timedelta(seconds=period), message=_(
        "Terlalu banyak pencarian permohonan yang tidak cocok. Tautan permohonan juga ada di e-mail "
        "atau pesan WhatsApp yang Anda simpan."))


@require_http_methods(["GET", "HEAD", "POST"])
def letter_verify(request, code):
    """Which letter the code names, and whether the file in hand is that letter: its
    hash against the one kept at signing, and its signature. No personal data beyond the
    applicant's initials: the page is public, the code printed on paper."""
    letter = get_object_or_404(
        IssuedLetter.objects.select_related("kampung__kecamatan__regency"), verification_code=code.strip().upper())
    form, result, status = LetterFileForm(), None, 200
    if request.method == "POST":
        limit, period = settings.LETTERS_VERIFY_UPLOADS_PER_IP
        if not rate_limit(_ip_key("verify", request), limit=limit, period=period):
            return too_many(request, retry_after=datetime.timedelta(seconds=period), message=_(
                "Terlalu banyak berkas diperiksa dari jaringan Anda."))
        form = LetterFileForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data["berkas"]
            result = {"same": hashlib.sha256(data).hexdigest() == letter.sha256, "signature": verify(data)}
        else:
            status = 400
    return render(request, "letters/verify.html", {
        "letter": letter, "kampung": letter.kampung, "form": form, "result": result,
        "authority": _authority_of(letter),
    }, status=status)


def _authority_of(letter: IssuedLetter) -> SigningKey | None:
    return SigningKey.objects.filter(regency=letter.kampung.kecamatan.regency, kampung=None,
                                     revoked_at__isnull=True).first()


@require_http_methods(["GET", "HEAD"])
def authority_certificate(request, code):
    """The regency's certificate, public by nature: installed as trusted in a PDF reader
    (Adobe, Foxit, Okular), it makes the reader show the letter's signature as valid."""
    letter = get_object_or_404(IssuedLetter.objects.select_related("kampung__kecamatan__regency"),
                               verification_code=code.strip().upper())
    authority = _authority_of(letter)
    if authority is None:
        raise Http404
    response = HttpResponse(authority.certificate_pem, content_type="application/x-pem-file")
    name = slugify(letter.kampung.kecamatan.regency.name) or "kabupaten"
    response["Content-Disposition"] = f'attachment; filename="sertifikat-{name}.crt"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
