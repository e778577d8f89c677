from django.core.management.base import BaseCommand

from marketplace.html import rupiah
from marketplace.settlements.payouts import payout_create
from marketplace.settlements.selectors import settlements_waiting
from marketplace.settlements.services import settlements_run


class Command(BaseCommand):
    help = ("Buat laporan penyelesaian per BUMKam untuk pesanan yang sudah diterima dan lewat masa retur, "
            "beserta pembayarannya (jalankan mingguan dari cron).")

    def handle(self, *args, **options):
        made = settlements_run()
        if not made:
            self.stdout.write("Tidak ada laporan penyelesaian dibuat: " + "; ".join(settlements_waiting()) + ".")
        for settlement in made:
            payout = payout_create(settlement=settlement)
            owed = rupiah(payout.amount) if payout else "tidak ada pembayaran (toko berutang komisi COD)"
            self.stdout.write(f"{settlement.number} {settlement.bumkam}: {owed}")
