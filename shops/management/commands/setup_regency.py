from django.core.management.base import BaseCommand, CommandError

from shops.services import UnknownRegency, regency_setup


class Command(BaseCommand):
    help = "Buat kabupaten/kota beserta semua kecamatan dan kampungnya dari kode Kemendagri (mis. 14.08)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="kode Kemendagri kabupaten/kota, mis. 14.08 (Siak) atau 35.10 (Banyuwangi)")

    def handle(self, *args, code, **options):
        try:
            result = regency_setup(code=code)
        except UnknownRegency as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{result.regency.name}: {result.kecamatan_count} kecamatan, "
            f"{result.kampung_count} kampung/kelurahan ({result.created} baru)."
        )
