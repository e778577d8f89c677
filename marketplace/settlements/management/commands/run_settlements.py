from django.core.management.base import BaseCommand

from marketplace.html import rupiah
from marketplace.settlements.services import settlements_run


class Command(BaseCommand):
    help = "Buat laporan penyelesaian per BUMKam untuk pesanan yang sudah diterima dan lewat masa retur (mingguan)."

    def handle(self, *args, **options):
        for settlement in settlements_run():
            self.stdout.write(f"{settlement.number} {settlement.bumkam}: {rupiah(settlement.totals()['net'])}")
