"""The commerce domain's own records live in their stages (checkout, orders, payments,
settlements); Django finds them through this module, the `marketplace` app's."""

from .checkout.models import Checkout, payment_proof_upload_to, unguessable_code
from .orders.models import Complaint, ComplaintMessage, ComplaintPhoto, ShopOrder
from .payments.models import ProviderEvent, Refund, RefundStatus

__all__ = ["Checkout", "Complaint", "ComplaintMessage", "ComplaintPhoto", "ProviderEvent", "Refund", "RefundStatus", "ShopOrder", "payment_proof_upload_to",
           "unguessable_code"]
