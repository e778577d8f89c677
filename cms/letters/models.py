"""Residents' letter requests, the village office's settings for them, and issued letters.

NIK, KK and the documents are personal data (UU PDP 27/2022): they live only on
`LetterRequest` and `RequestDocument` (private storage, no URL), are never indexed,
logged or mailed, and the documents are deleted `LETTERS_DOCUMENT_RETENTION_DAYS` after
the request closes. `IssuedLetter` keeps what verification needs: number, village, date,
the applicant's initials and the hash of the signed file."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.files import private_storage

from .kinds import KIND_CHOICES

# No 0/O, 1/I/L: a code read aloud over the phone or copied from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def new_secret() -> str:
    return secrets.token_urlsafe(24)


class LetterStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Diajukan")
    REVIEWING = "reviewing", _("Diperiksa")
    INCOMPLETE = "incomplete", _("Perlu dilengkapi")
    APPROVED = "approved", _("Disetujui")
    DONE = "done", _("Selesai")
    REJECTED = "rejected", _("Ditolak")


OPEN_STATUSES = [LetterStatus.SUBMITTED, LetterStatus.REVIEWING, LetterStatus.INCOMPLETE, LetterStatus.APPROVED]
CLOSED_STATUSES = [LetterStatus.DONE, LetterStatus.REJECTED]


class LetterSettings(models.Model):
    """A village office's letterhead, signer and numbering."""

    kampung = models.OneToOneField("shops.Kampung", on_delete=models.CASCADE, related_name="letter_settings")
    office_address = models.CharField(_("alamat kantor"), max_length=200, blank=True)
    signer_name = models.CharField(_("nama penanda tangan"), max_length=100)
    signer_title = models.CharField(_("jabatan penanda tangan"), max_length=100, default="Penghulu")
    number_format = models.CharField(
        _("format nomor surat"), max_length=60, default="{klasifikasi}/{nomor}/{singkatan}/{tahun}",
        help_text=_("Bagian yang bisa dipakai: {klasifikasi}, {nomor} (urut per tahun, tiga angka), "
                    "{singkatan}, {bulan} (angka Romawi), {tahun}."))
    abbreviation = models.CharField(_("singkatan kampung"), max_length=20,
                                    help_text=_("Misalnya BR untuk Bunga Raya."))

    class Meta:
        verbose_name = _("pengaturan surat")
        verbose_name_plural = _("pengaturan surat")

    def __str__(self):
        return str(self.kampung)


class LetterKind(models.Model):
    """One kind of letter as one village issues it: the regency's wording, editable there."""

    kampung = models.ForeignKey("shops.Kampung", on_delete=models.CASCADE, related_name="letter_kinds")
    code = models.CharField(_("jenis"), max_length=20, choices=KIND_CHOICES)
    title = models.CharField(_("judul surat"), max_length=100)
    classification = models.CharField(_("kode klasifikasi"), max_length=10)
    template = models.TextField(
        _("isi surat"), help_text=_("Teks surat dengan isian dalam kurung kurawal, misalnya {nama} atau {keperluan}."))

    class Meta:
        verbose_name = _("jenis surat")
        verbose_name_plural = _("jenis surat")
        ordering = ["kampung", "title"]
        constraints = [models.UniqueConstraint(fields=["kampung", "code"], name="one_letter_kind_per_village")]

    def __str__(self):
        return self.title


class LetterRequest(models.Model):
    kampung = models.ForeignKey("shops.Kampung", on_delete=models.PROTECT, related_name="letter_requests")
    kind = models.ForeignKey(LetterKind, on_delete=models.PROTECT, related_name="requests",
                             verbose_name=_("jenis surat"))
    service_page = models.ForeignKey("wagtailcore.Page", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    code = models.CharField(_("kode lacak"), max_length=12, unique=True)
    secret = models.CharField(max_length=64, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=LetterStatus.choices,
                              default=LetterStatus.SUBMITTED, db_index=True)

    applicant_name = models.CharField(_("nama lengkap"), max_length=100)
    nik = models.CharField(_("NIK"), max_length=16)
    kk_number = models.CharField(_("nomor KK"), max_length=16)
    birth_date = models.DateField(_("tanggal lahir"))
    phone = models.CharField(_("nomor HP/WhatsApp"), max_length=20)
    email = models.EmailField(_("e-mail"), blank=True)
    details = models.JSONField(_("isian surat"), default=dict)

    note = models.TextField(_("catatan petugas"), blank=True)  # what is missing, or why refused
    promised_days = models.PositiveSmallIntegerField(_("janji waktu (hari kerja)"))
    submitted_at = models.DateTimeField(_("diajukan"), default=timezone.now)
    due_on = models.DateField(_("batas selesai"))
    closed_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    documents_purged_at = models.DateTimeField(_("berkas dihapus"), null=True, blank=True)

    class Meta:
        verbose_name = _("permohonan surat")
        verbose_name_plural = _("permohonan surat")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["kampung", "status", "due_on"], name="letter_queue")]

    def __str__(self):
        return f"{self.code} · {self.kind}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        if self.closed_at is not None:
            return timezone.localtime(self.closed_at).date() > self.due_on
        return today > self.due_on

    @property
    def initials(self) -> str:
        return ".".join(word[0].upper() for word in self.applicant_name.split() if word[:1].isalpha()) + "."


class RequestDocument(models.Model):
    """A photo or PDF of a requirement; private, served only through a checking view."""

    request = models.ForeignKey(LetterRequest, on_delete=models.CASCADE, related_name="documents")
    requirement = models.CharField(_("persyaratan"), max_length=150)
    file = models.FileField(storage=private_storage, upload_to="letters/%Y/%m", max_length=200)
    uploaded_at = models.DateTimeField(default=timezone.now)
    added_later = models.BooleanField(default=False)  # sent after the office asked for more

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.requirement


class LetterEvent(models.Model):
    """The audit trail of a request: who opened, changed or signed it, and when."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Diajukan pemohon")
        OPENED = "opened", _("Dibuka petugas")
        ASKED = "asked", _("Diminta melengkapi")
        COMPLETED = "completed", _("Dilengkapi pemohon")
        APPROVED = "approved", _("Disetujui")
        SIGNED = "signed", _("Ditandatangani")
        REJECTED = "rejected", _("Ditolak")
        DOCUMENT_VIEWED = "document_viewed", _("Berkas dilihat petugas")
        PURGED = "purged", _("Berkas dihapus (masa simpan habis)")

    request = models.ForeignKey(LetterRequest, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    actor_name = models.CharField(max_length=150)  # kept when the user is gone; "pemohon", "sistem"
    action = models.CharField(max_length=20, choices=Action.choices)
    status = models.CharField(max_length=12, choices=LetterStatus.choices)  # the status after
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]


class LetterSequence(models.Model):
    """The last number a village gave in a year; locked while the next is taken."""

    kampung = models.ForeignKey("shops.Kampung", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kampung", "year"], name="one_letter_sequence_per_year")]


class IssuedLetter(models.Model):
    """A signed letter: what the public verification page reads, kept after documents go."""

    request = models.OneToOneField(LetterRequest, on_delete=models.PROTECT, related_name="letter")
    kampung = models.ForeignKey("shops.Kampung", on_delete=models.PROTECT, related_name="issued_letters")
    number = models.CharField(_("nomor surat"), max_length=60)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    title = models.CharField(_("judul surat"), max_length=100)
    applicant_initials = models.CharField(max_length=20)
    verification_code = models.CharField(max_length=16, unique=True)
    pdf = models.FileField(storage=private_storage, upload_to="letters/issued/%Y", max_length=200)
    sha256 = models.CharField(max_length=64)
    signer_name = models.CharField(max_length=100)
    signer_title = models.CharField(max_length=100)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                  related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("surat terbit")
        verbose_name_plural = _("surat terbit")
        constraints = [
            models.UniqueConstraint(fields=["kampung", "year", "sequence"], name="one_letter_per_number"),
        ]

    def __str__(self):
        return self.number


class SigningKey(models.Model):
    """A certificate and its private key, the key encrypted (cms.letters.signing).

    The regency's own authority has `kampung` empty; it issues one certificate to each
    village, which signs that village's letters. Verification trusts the authority."""

    regency = models.ForeignKey("shops.Regency", on_delete=models.CASCADE, related_name="+")
    kampung = models.ForeignKey("shops.Kampung", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="signing_keys")
    certificate_pem = models.TextField()
    key_encrypted = models.BinaryField()
    not_after = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["regency"], condition=models.Q(kampung__isnull=True, revoked_at__isnull=True),
                                    name="one_live_authority_per_regency"),
            models.UniqueConstraint(fields=["kampung"], condition=models.Q(revoked_at__isnull=True),
                                    name="one_live_key_per_village"),
        ]
