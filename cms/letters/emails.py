"""The resident's mail at each change of status: the kind, the village, the status, the
office's note when something is missing or refused, and the tracking link. Nothing else:
no NIK, KK, birth date or documents (UU PDP), not even the applicant's name."""

from django.core.mail import send_mail
from django.utils.translation import gettext as _

from marketplace.sites import site_url

from .models import LetterRequest, LetterStatus
from .selectors import tracking_path


def status_mail(*, letter_request_id: int) -> None:
    """Called after commit by every move (cms.letters.services); sent through the outbox."""
    letter_request = LetterRequest.objects.select_related("kind", "kampung").filter(pk=letter_request_id).first()
    if letter_request is None or not letter_request.email:
        return
    status = letter_request.get_status_display()
    subject = _("Permohonan %(kind)s %(code)s: %(status)s") % {
        "kind": letter_request.kind.title, "code": letter_request.code, "status": status}
    lines = [
        _("Permohonan %(kind)s Anda di %(kampung)s (kode lacak %(code)s) kini berstatus: %(status)s.") % {
            "kind": letter_request.kind.title, "kampung": letter_request.kampung.name, "code": letter_request.code,
            "status": status},
    ]
    if letter_request.status == LetterStatus.INCOMPLETE:
        lines += ["", _("Yang perlu dilengkapi:"), letter_request.note]
    elif letter_request.status == LetterStatus.REJECTED:
        lines += ["", _("Alasan penolakan:"), letter_request.note]
    elif letter_request.status == LetterStatus.DONE:
        lines += ["", _("Surat sudah ditandatangani dan bisa diunduh di halaman permohonan.")]
    lines += ["", _("Lihat dan ikuti permohonan Anda: %(url)s") % {"url": site_url(tracking_path(letter_request))},
              "", _("Jangan teruskan e-mail ini: tautan di atas membuka permohonan Anda."),
              "", _("Kantor %(kampung)s") % {"kampung": letter_request.kampung.name}]
    send_mail(subject, "\n".join(lines), None, [letter_request.email], fail_silently=True)
