from django.core.management.base import BaseCommand

from cms.demo import load_demo


class Command(BaseCommand):
    help = "Muat data demo Kabupaten Siak (wilayah, BUMKam, produk, situs kampung, akun demo). Aman diulang."

    def handle(self, *args, **options):
        logins = load_demo(stdout=self.stdout if options["verbosity"] > 1 else None)
        self.stdout.write("Akun demo (kata sandi sama untuk semua):")
        for login in logins:
            self.stdout.write(f"  {login.role:<40} {login.username:<24} {login.email:<32} {login.password}")
