import csv
import io

import pytest
from django.core.management import call_command

from marketplace.settlements.models import LedgerTransaction, PayoutStatus
from marketplace.settlements.payouts import PayoutError, payout_confirm, payout_create, payout_fail, payouts_send
from marketplace.settlements.services import balance, shop_account, settlements_run
from tests.settlements.conftest import after_window

pytestmark = pytest.mark.django_db


@pytest.fixture
def payout(delivered):
    settlement = settlements_run(now=after_window())[0]
    return payout_create(settlement=settlement)


def test_a_statement_is_paid_through_a_bank_batch_and_the_shop_is_owed_that_much_less(payout):
    shop = payout.settlement.bumkam
    owed_before = balance(shop_account(shop))

    sent, batch = payouts_send()
    rows = list(csv.reader(io.StringIO(batch.decode())))
    payout_confirm(payout=payout, bank_reference="BRK-778899")

    assert [p.pk for p in sent] == [payout.pk]
    assert rows[1][:4] == [shop.bank_name, shop.bank_account_number, shop.bank_account_holder, str(payout.amount)]
    assert rows[1][5] == payout.idempotency_key
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.PAID and payout.bank_reference == "BRK-778899"
    assert balance(shop_account(shop)) == owed_before + payout.amount
    call_command("check_ledger")


def test_a_crashed_and_repeated_confirmation_pays_once(payout):
    payouts_send()

    for _ in range(3):  # the task is run again after a crash that followed the bank's answer
        payout_confirm(payout=payout, bank_reference="BRK-1")

    assert LedgerTransaction.objects.filter(key=payout.idempotency_key).count() == 1
    assert payouts_send() == ([], b"")  # nothing is sent to the bank a second time


def test_a_failed_payout_returns_to_payable_and_is_sent_again(payout):
    payouts_send()

    payout_fail(payout=payout)
    resent, _batch = payouts_send()
    payout_confirm(payout=payout, bank_reference="BRK-2")

    assert [p.pk for p in resent] == [payout.pk]
    payout.refresh_from_db()
    assert payout.attempts == 2 and payout.status == PayoutStatus.PAID
    with pytest.raises(PayoutError):
        payout_fail(payout=payout)
    assert LedgerTransaction.objects.filter(key=payout.idempotency_key).count() == 1


def test_a_payout_cannot_be_confirmed_before_it_is_sent(payout):
    with pytest.raises(PayoutError, match="belum dikirim"):
        payout_confirm(payout=payout, bank_reference="BRK-3")


def test_one_statement_makes_one_payout(payout):
    assert payout_create(settlement=payout.settlement).pk == payout.pk
