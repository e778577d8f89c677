from django.core.management.base import BaseCommand

from marketplace.checkout.services import checkouts_expire


class Command(BaseCommand):
    help = "Batalkan checkout transfer yang lewat batas bayar dan kembalikan stoknya (jalankan tiap beberapa menit)."

    def handle(self, *args, **options):
        self.stdout.write(f"{checkouts_expire()} checkout kedaluwarsa.")
