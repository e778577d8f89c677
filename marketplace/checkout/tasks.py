"""Background work of checkouts, run by `manage.py run_worker`.

Idempotent: a task cut off by a crash runs again (marketplace.worker)."""

from django_tasks import task


@task()
def expire_checkout(checkout_id: int) -> bool:
    """Deferred to the checkout's payment deadline when it is placed; durable in the database."""
    from .models import Checkout
    from .services import checkouts_expire

    return checkouts_expire(only=Checkout.objects.filter(pk=checkout_id)) == 1
