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


# --- Stripe Connect: separate charges and transfers ------------------------------------


@pytest.fixture
def connect_payout(delivered, settings):
    from tests.stripe_fake import WEBHOOK_SECRET, FakeStripe

    fake = FakeStripe()
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = "sk_test_x", "pk_test_x"
    settings.STRIPE_WEBHOOK_SECRET, settings.STRIPE_API_BASE = WEBHOOK_SECRET, fake.url
    settings.STRIPE_CONNECT_ENABLED = True
    rice_order, _honey = delivered
    rice_order.bumkam.stripe_account_id = "acct_bungaraya"
    rice_order.bumkam.save(update_fields=["stripe_account_id"])
    payout = payout_create(settlement=settlements_run(now=after_window())[0])
    yield payout, fake
    fake.close()


def transfers_made(fake):
    return [o for o in fake.objects.values() if o["object"] == "transfer"]


def test_connect_pays_each_checkout_in_its_transfer_group(connect_payout):
    payout, fake = connect_payout
    owed_before = balance(shop_account(payout.settlement.bumkam))

    call_command("send_payouts", "--provider", "stripe_connect")

    payout.refresh_from_db()
    (transfer,) = transfers_made(fake)
    checkout = payout.settlement.lines.get().shop_order.checkout
    assert payout.provider == "stripe_connect" and payout.status == PayoutStatus.PAID
    assert transfer["amount"] == payout.amount * 100 and transfer["destination"] == "acct_bungaraya"
    assert transfer["transfer_group"] == checkout.reference
    assert [r[3] for r in fake.requests] == [f"{payout.idempotency_key}-{checkout.reference}"]
    assert payout.transfers == {checkout.reference: transfer["id"]}
    assert balance(shop_account(payout.settlement.bumkam)) == owed_before + payout.amount
    call_command("check_ledger")


@pytest.mark.parametrize("crash_point", ["before recording the transfer", "before confirming the payout"])
def test_a_payout_task_that_crashes_after_stripe_answered_and_runs_3_more_times_pays_once(
        connect_payout, monkeypatch, crash_point):
    from marketplace.settlements import payouts as payouts_module
    from marketplace.settlements.tasks import send_payouts

    payout, fake = connect_payout
    real_transfer, real_confirm = payouts_module.stripe_gateway.transfer_create, payouts_module.payout_confirm

    def answered_then_killed(real):
        def call(**kwargs):
            real(**kwargs)
            raise SystemExit("worker killed")
        return call

    if crash_point == "before recording the transfer":
        monkeypatch.setattr(payouts_module.stripe_gateway, "transfer_create", answered_then_killed(real_transfer))
    else:
        monkeypatch.setattr(payouts_module, "payout_confirm", answered_then_killed(lambda **kw: None))
    with pytest.raises(SystemExit):
        send_payouts.call("stripe_connect")
    monkeypatch.setattr(payouts_module.stripe_gateway, "transfer_create", real_transfer)
    monkeypatch.setattr(payouts_module, "payout_confirm", real_confirm)

    for _ in range(3):
        send_payouts.call("stripe_connect")

    payout.refresh_from_db()
    assert len(transfers_made(fake)) == 1  # the same key again: Stripe answers with the same transfer
    asked = [r for r in fake.requests if r[1] == "/v1/transfers"]
    assert len(asked) == (2 if crash_point == "before recording the transfer" else 1)
    assert len({r[3] for r in asked}) == 1
    assert payout.status == PayoutStatus.PAID
    assert LedgerTransaction.objects.filter(key=payout.idempotency_key).count() == 1


def test_a_failed_connect_transfer_returns_to_payable_and_is_retried_without_paying_twice(connect_payout):
    payout, fake = connect_payout
    fake.fail_with = ("/v1/transfers", 400, {"type": "invalid_request_error", "code": "balance_insufficient",
                                             "message": "Insufficient funds in Stripe account."})
    payouts_send(provider_code="stripe_connect")
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.PENDING and not LedgerTransaction.objects.filter(key=payout.idempotency_key).exists()

    fake.fail_with = None
    fake.replies.clear()  # Stripe does not keep the result of a request it refused for a day after
    payouts_send(provider_code="stripe_connect")
    payouts_send(provider_code="stripe_connect")

    payout.refresh_from_db()
    assert payout.status == PayoutStatus.PAID and payout.attempts == 2 and len(transfers_made(fake)) == 1
