"""The commerce domain's own records live in their stages (checkout, orders, payments,
settlements); Django finds them through this module, the `marketplace` app's."""

from .checkout.models import Checkout, payment_proof_upload_to, unguessable_code
from .orders.models import ShopOrder, ShopOrderEvent
from .payments.models import ProviderEvent, Refund, RefundStatus

__all__ = ["Checkout", "ProviderEvent", "Refund", "RefundStatus", "ShopOrder", "ShopOrderEvent",
           "payment_proof_upload_to", "unguessable_code"]
