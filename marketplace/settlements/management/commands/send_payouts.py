from django.core.management.base import BaseCommand, CommandError

from marketplace.payments.models import Provider
from marketplace.settlements.payouts import PROVIDERS, PayoutError, payouts_send


class Command(BaseCommand):
    help = ("Kirim pembayaran yang menunggu: berkas transfer massal untuk bank (--output), atau transfer "
            "Stripe Connect. Aman dijalankan ulang: tidak ada yang dibayar dua kali.")

    def add_arguments(self, parser):
        parser.add_argument("--provider", choices=sorted(PROVIDERS), default=Provider.BANK_BATCH.value)
        parser.add_argument("--output", help="berkas CSV untuk bank (bank_batch)")

    def handle(self, *args, provider, output, **options):
        if provider == Provider.BANK_BATCH and not output:
            raise CommandError("Sebutkan --output untuk berkas transfer massal.")
        try:
            sent, batch = payouts_send(provider_code=provider)
        except PayoutError as error:
            raise CommandError(str(error)) from error
        if output and sent:
            with open(output, "wb") as handle:
                handle.write(batch)
        self.stdout.write(f"{len(sent)} pembayaran dikirim lewat {provider}.")
