from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")


class OutboxMail(models.Model):
    """One e-mail as it was asked to be sent; delivered at least once, never silently lost."""

    status = models.CharField(_("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED)
    from_email = models.CharField(_("pengirim"), max_length=254)
    to = models.JSONField(_("penerima"), default=list)
    cc = models.JSONField(default=list, blank=True)
    bcc = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    subject = models.TextField(_("subjek"))
    body = models.TextField(_("isi"))
    html = models.TextField(_("isi HTML"), blank=True)
    attachments = models.JSONField(default=list, blank=True, help_text=_("[nama, isi base64, jenis MIME]"))
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)

    class Meta:
        verbose_name = _("surat keluar")
        verbose_name_plural = _("surat keluar")
        ordering = ["pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{', '.join(self.recipients())}: {self.subject}"

    def recipients(self) -> list[str]:
        return [*self.to, *self.cc, *self.bcc]
