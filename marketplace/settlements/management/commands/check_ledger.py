from django.core.management.base import BaseCommand, CommandError

from marketplace.settlements.selectors import ledger_problems


class Command(BaseCommand):
    help = ("Periksa buku besar: tiap transaksi seimbang; tiap checkout: utang toko + komisi + pengembalian = "
            "diterima; tunai COD seluruhnya tercatat dipegang toko.")

    def handle(self, *args, **options):
        problems = ledger_problems()
        if problems:
            raise CommandError("Buku besar tidak cocok:\n" + "\n".join(problems))
        self.stdout.write("Buku besar cocok.")
