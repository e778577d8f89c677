import logging

import stripe
from django.http import HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import stripe_gateway
from .stripe_events import UnknownEvent, event_handle

logger = logging.getLogger(__name__)


@csrf_exempt  # Stripe signs the body instead
@require_POST
def stripe_webhook(request):
    """400 and no write for anything not signed by Stripe with our secret, or not ours to apply."""
    if not stripe_gateway.card_enabled():
        return HttpResponseBadRequest("Pembayaran kartu tidak aktif.")
    try:
        event = stripe_gateway.webhook_event(request.body, request.headers.get("Stripe-Signature", ""))
    except (ValueError, stripe.SignatureVerificationError) as error:
        logger.warning("rejected Stripe webhook: %s", error)
        return HttpResponseBadRequest("Tanda tangan webhook tidak sah.")
    except (TypeError, AttributeError, KeyError) as error:  # signed, but its JSON is not an object
        logger.warning("malformed Stripe webhook: %s", error)
        return HttpResponseBadRequest("Peristiwa tidak dikenal: isinya bukan objek peristiwa.")
    try:
        result = event_handle(event)
    except UnknownEvent as error:
        return HttpResponseBadRequest(f"Peristiwa tidak dikenal: {error}")
    return JsonResponse({"event": event.id, "result": result})
