from django.core.management.base import BaseCommand, CommandError

from search.backends import engines
from search.indexing import IndexUnavailable, rebuild, sync_pending


class Command(BaseCommand):
    help = ("Indeks pencarian: --rebuild membangun ulang tanpa menghentikan pencarian "
            "(Elasticsearch: indeks baru lalu alias dipindah sekali jalan); --sync menulis perubahan yang tertunda.")

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--rebuild", action="store_true")
        action.add_argument("--sync", action="store_true")

    def handle(self, *args, **options):
        names = ", ".join(engine.name for engine in engines())
        try:
            if options["rebuild"]:
                replayed = rebuild()
                self.stdout.write(f"Indeks dibangun ulang ({names}); {replayed} perubahan selama pembangunan diterapkan.")
            else:
                self.stdout.write(f"{sync_pending()} perubahan ditulis ({names}).")
        except IndexUnavailable as error:
            raise CommandError(f"Mesin pencari tidak terjangkau: {error}") from error
