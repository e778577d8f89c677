from django.core.management.base import BaseCommand

from marketplace.orders.services import shop_orders_complete


class Command(BaseCommand):
    help = ("Selesaikan pesanan yang sudah diterima lebih dari ORDER_AUTO_COMPLETE_DAYS hari tanpa komplain terbuka "
            "(jalankan tiap jam; tugas latar belakang biasanya sudah melakukannya).")

    def handle(self, *args, **options):
        self.stdout.write(f"{shop_orders_complete()} pesanan selesai.")
