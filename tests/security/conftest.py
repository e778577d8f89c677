import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from oscar.core.loading import get_model

from cms.models import BudgetLine
from marketplace.checkout.models import Checkout
from marketplace.payments.models import ProviderEvent, Refund
from marketplace.settlements.models import LedgerEntry, LedgerTransaction

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Order = get_model("order", "Order")
Line = get_model("basket", "Line")

WATCHED = [Product, StockRecord, Order, Checkout, Refund, ProviderEvent, LedgerTransaction, LedgerEntry, BudgetLine]


def row_counts() -> dict[str, int]:
    """How many rows the tables a hostile input must never touch hold."""
    return {model.__name__: model.objects.count() for model in WATCHED}


@pytest.fixture
def unchanged(db):
    """Asserts, after the test, that no watched table gained or lost a row."""
    before = row_counts()
    yield
    assert row_counts() == before


def login(username: str) -> Client:
    """A client that answers a server error with its status instead of raising it, so that
    a test reads the 500 a visitor would see."""
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


@pytest.fixture
def manager(db):
    return login("pengelola.bungaraya")


@pytest.fixture
def regency_admin(db):
    return login("admin")


@pytest.fixture
def editor(db):
    return login("editor.bungaraya")
