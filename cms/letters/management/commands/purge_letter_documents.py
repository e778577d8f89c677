from django.conf import settings
from django.core.management.base import BaseCommand

from cms.letters.services import documents_purge
from cms.letters.stash import stash_purge


class Command(BaseCommand):
    help = ("Delete residents' documents of letter requests closed more than "
            "LETTERS_DOCUMENT_RETENTION_DAYS ago (the worker also does this every hour).")

    def handle(self, *args, **options):
        stash_purge()
        purged = documents_purge()
        self.stdout.write(f"{purged} permohonan: berkas dihapus (lebih dari "
                          f"{settings.LETTERS_DOCUMENT_RETENTION_DAYS} hari setelah selesai).")
