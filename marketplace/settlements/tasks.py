"""Payouts run by `manage.py run_worker`: durable, and safe to run again after a crash."""

from django_tasks import task


@task()
def send_payouts(provider_code: str) -> int:
    from .payouts import payouts_send

    sent, _batch = payouts_send(provider_code=provider_code)
    return len(sent)
