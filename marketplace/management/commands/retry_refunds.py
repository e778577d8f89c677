from django.core.management.base import BaseCommand

from marketplace.payments.services import refunds_retry


class Command(BaseCommand):
    help = "Kirim ulang pengembalian dana kartu yang tertunda (kunci idempotensi yang sama: tidak pernah ganda)."

    def handle(self, *args, **options):
        self.stdout.write(f"{refunds_retry()} pengembalian dikirim ulang.")
