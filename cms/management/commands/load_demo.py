import io

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from cms.demo import load_demo


class Command(BaseCommand):
    help = "Muat data demo Kabupaten Siak (wilayah, BUMKam, produk, situs kampung, akun demo). Aman diulang."

    def handle(self, *args, **options):
        logins = load_demo(stdout=self.stdout if options["verbosity"] > 1 else None)
        self.stdout.write("Akun demo (kata sandi sama untuk semua):")
        for login in logins:
            self.stdout.write(f"  {login.role:<40} {login.username:<24} {login.email:<32} {login.password}")
        # The demo's products are journalled for the index as they are made; the worker would
        # write them soon, but the site is served at once: write them now.
        try:
            call_command("search_index", "--sync", stdout=self.stdout if options["verbosity"] > 0 else io.StringIO())
        except CommandError as error:  # Elasticsearch away: the worker keeps trying
            self.stderr.write(f"Indeks pencarian belum lengkap ({error}); pekerja latar akan mencoba lagi.")
