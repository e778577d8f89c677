"""The benchmark's scale data (make bench): a province's kampung with their shops and sites,
a catalogue with photos and renditions, a year of past orders. Each step makes only what is
missing, so a second run costs seconds. It lives beside load_demo in cms because the kampung
sites are Wagtail pages (imports run shops <- marketplace <- cms)."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cms.models import KampungHomePage
from cms.scale import kampung_sites_bulk_create, sites_made_later
from marketplace.catalogue.scale import catalogue_generate, photos_generate
from marketplace.orders.scale import orders_generate
from shops.models import Kampung
from shops.scale import province_setup, shops_bulk_create


class Command(BaseCommand):
    help = ("Data skala untuk make bench: kampung beberapa kabupaten (kode Kemendagri), BUMKam dan situsnya, "
            "N produk berfoto, N pesanan lama. Jalankan setelah load_demo, di basis data bench sendiri. Aman diulang.")

    def add_arguments(self, parser):
        parser.add_argument("--villages", type=int, default=1000, help="kampung paling sedikit (default 1000)")
        parser.add_argument("--products", type=int, default=100_000, help="produk buatan (default 100000)")
        parser.add_argument("--orders", type=int, default=50_000, help="pesanan lama (default 50000)")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, villages, products, orders, seed, **options):
        if not KampungHomePage.objects.exists():
            raise CommandError("Muat data demo lebih dulu (manage.py load_demo).")
        started, changed = time.monotonic(), False

        def step(label: str, count: int) -> None:
            self.stdout.write(f"[{time.monotonic() - started:6.0f} s] {label}: {count}")

        with sites_made_later():
            province = province_setup(villages=villages)
        step(f"kampung di {', '.join(province.regencies)}", province.kampung)
        made = shops_bulk_create(regencies=province.regencies)
        changed |= bool(made)
        step("BUMKam baru", made)
        made = kampung_sites_bulk_create(kampung=list(
            Kampung.objects.filter(kecamatan__regency__code__in=province.regencies, home_page__isnull=True)
            .select_related("kecamatan__regency").order_by("code")))
        step("situs kampung baru", made)
        try:
            made = catalogue_generate(products=products, seed=seed)
            changed |= bool(made)
            step("produk baru", made)
            made = photos_generate(seed=seed)
            step("foto produk baru (dengan ukuran tampilnya)", made)
            made = orders_generate(orders=orders, seed=seed)
            changed |= bool(made)
            step("pesanan lama baru", made)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if changed:
            call_command("search_index", rebuild=True, stdout=self.stdout)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # plan for the data just made (see generate_catalogue)
            step("indeks pencarian dibangun ulang", 1)
        self.stdout.write(f"Selesai dalam {time.monotonic() - started:.0f} detik.")
