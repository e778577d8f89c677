from django.core.management.base import BaseCommand

from marketplace.mail.services import outbox_send_queued


class Command(BaseCommand):
    help = "Kirim semua surat keluar yang masih menunggu (untuk cron, atau setelah server surat mati)."

    def add_arguments(self, parser):
        parser.add_argument("--failed", action="store_true",
                            help="coba sekali lagi juga surat yang sudah ditandai gagal")

    def handle(self, *args, failed=False, **options):
        counts = outbox_send_queued(include_failed=failed)
        self.stdout.write("{sent} surat terkirim, {queued} masih menunggu, {failed} gagal.".format(**counts))
