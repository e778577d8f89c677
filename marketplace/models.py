"""The commerce domain's own records live in their stages (checkout, orders, payments,
settlements), and the outbox in `mail`; Django finds them through this module, the
`marketplace` app's."""

from .checkout.models import Checkout, payment_proof_upload_to, unguessable_code
from .mail.models import OutboxMail
from .orders.models import Complaint, ComplaintMessage, ComplaintPhoto, ShopOrder, ShopOrderEvent
from .payments.models import PaymentDifference, ProviderEvent, Refund, RefundStatus, TransferReceipt

__all__ = ["Checkout", "Complaint", "ComplaintMessage", "ComplaintPhoto", "OutboxMail", "PaymentDifference",
           "ProviderEvent", "Refund", "RefundStatus", "ShopOrder", "ShopOrderEvent", "TransferReceipt",
           "payment_proof_upload_to", "unguessable_code"]
