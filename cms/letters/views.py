"""The letters' pages: the public verification of an issued letter."""

import datetime
import hashlib

from django import forms
from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from marketplace.files import MAX_UPLOAD_BYTES
from marketplace.throttle import client_ip, rate_limit, too_many

from .models import IssuedLetter
from .signing import verify


class LetterFileForm(forms.Form):
    """The file in hand: read whole (up to 5 MB) because its hash is what is compared."""

    berkas = forms.FileField(label=gettext_lazy("Berkas surat (PDF)"), allow_empty_file=False, error_messages={
        "required": gettext_lazy("Pilih berkas PDF surat yang ingin diperiksa."),
        "empty": gettext_lazy("Berkas kosong."),
        "invalid": gettext_lazy("Kirim berkas PDF surat yang ingin diperiksa."),
    })

    def clean_berkas(self) -> bytes:
        upload = self.cleaned_data["berkas"]
        limit_mb = MAX_UPLOAD_BYTES // (1024 * 1024)
        too_big = forms.ValidationError(_("Berkas terlalu besar: paling banyak %(mb)d MB. Surat asli dari "
                                          "kampung jauh lebih kecil.") % {"mb": limit_mb})
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise too_big
        data = upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise too_big
        if b"%PDF-" not in data[:1024]:
            raise forms.ValidationError(_("Berkas ini bukan PDF. Kirim berkas PDF surat yang Anda terima."))
        return data


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
        if not rate_limit(f"letters:verify:ip:{client_ip(request) or 'unknown'}", limit=limit, period=period):
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
    }, status=status)
