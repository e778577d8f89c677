"""A local stand-in for the few Stripe endpoints we call, so that the real `stripe` client
code runs in tests without Stripe's servers. Objects follow Stripe's API reference
(PaymentIntent, Refund, Transfer, Event); idempotency keys are honoured as Stripe does:
the same key replays the first answer. Webhook events are signed with real HMACs.
"""

import hashlib
import hmac
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

WEBHOOK_SECRET = "whsec_test_pasar_kampung"
_ids = itertools.count(1)


def _id(prefix):
    return f"{prefix}_test{next(_ids):08d}"


def _nest(pairs):
    """Stripe's form encoding (metadata[checkout]=x) back into dicts."""
    out = {}
    for key, value in pairs:
        if "[" in key:
            head, rest = key.split("[", 1)
            out.setdefault(head, {})[rest.rstrip("]").split("][")[0]] = value
        else:
            out[key] = value
    return out


class FakeStripe:
    def __init__(self):
        self.objects = {}
        self.requests = []  # (method, path, params, idempotency key)
        self.replies = {}  # idempotency key -> (status, body)
        self.hang_seconds = 0
        self.fail_with = None  # (status, error dict) for the next matching path prefix
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                fake._answer(self, "GET", {})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                fake._answer(self, "POST", _nest(parse_qsl(self.rfile.read(length).decode())))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    # --- the API ---------------------------------------------------------------------

    def _answer(self, handler, method, params):
        key = handler.headers.get("Idempotency-Key")
        self.requests.append((method, handler.path, params, key))
        if self.hang_seconds:
            time.sleep(self.hang_seconds)
        with self.lock:
            if key and key in self.replies:
                status, body = self.replies[key]
            else:
                status, body = self._route(method, handler.path, params)
                if key and method == "POST":
                    self.replies[key] = (status, body)
        payload = json.dumps(body).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting
            pass

    def _route(self, method, path, params):
        if self.fail_with and path.startswith(self.fail_with[0]):
            _prefix, status, error = self.fail_with
            return status, {"error": error}
        parts = path.split("?")[0].strip("/").split("/")[1:]  # drop "v1"
        if parts == ["payment_intents"] and method == "POST":
            intent = {"id": _id("pi"), "object": "payment_intent", "amount": int(params["amount"]),
                      "amount_received": 0, "currency": params["currency"], "status": "requires_payment_method",
                      "metadata": params.get("metadata", {}), "transfer_group": params.get("transfer_group"),
                      "receipt_email": params.get("receipt_email"), "latest_charge": None,
                      "created": int(time.time()), "livemode": False}
            intent["client_secret"] = f"{intent['id']}_secret_fake"
            return 200, self._store(intent)
        if parts[:1] == ["payment_intents"] and len(parts) >= 2:
            intent = self.objects.get(parts[1])
            if intent is None:
                return 404, {"error": {"type": "invalid_request_error", "code": "resource_missing",
                                       "message": f"No such payment_intent: '{parts[1]}'"}}
            if parts[2:] == ["cancel"]:
                intent["status"] = "canceled"
            return 200, intent
        if parts == ["refunds"]:
            intent = self.objects[params["payment_intent"]]
            refund = {"id": _id("re"), "object": "refund", "amount": int(params["amount"]),
                      "currency": intent["currency"], "payment_intent": intent["id"], "charge": intent["latest_charge"],
                      "status": "succeeded", "metadata": params.get("metadata", {}), "created": int(time.time())}
            return 200, self._store(refund)
        if parts == ["transfers"]:
            transfer = {"id": _id("tr"), "object": "transfer", "amount": int(params["amount"]),
                        "currency": params["currency"], "destination": params["destination"],
                        "transfer_group": params.get("transfer_group"), "reversed": False,
                        "created": int(time.time())}
            return 200, self._store(transfer)
        return 404, {"error": {"type": "invalid_request_error", "message": f"Unrecognized request URL ({path})"}}

    def _store(self, obj):
        self.objects[obj["id"]] = obj
        return obj

    # --- what Stripe would do on its side, and the events it would send --------------

    def intent_for(self, checkout):
        return self.objects[checkout.payment_intent_id]

    def pay(self, checkout, status="succeeded"):
        intent = self.intent_for(checkout)
        intent["status"] = status
        if status == "succeeded":
            intent["amount_received"] = intent["amount"]
            intent["latest_charge"] = intent["latest_charge"] or _id("ch")
        return intent

    def charge_refunded(self, checkout, rupiah):
        intent = self.intent_for(checkout)
        return {"id": intent["latest_charge"] or _id("ch"), "object": "charge", "payment_intent": intent["id"],
                "amount": intent["amount"], "amount_captured": intent["amount"], "amount_refunded": rupiah * 100,
                "currency": intent["currency"], "refunded": rupiah * 100 == intent["amount"], "status": "succeeded"}


def event(kind, obj, event_id=None):
    return {"id": event_id or _id("evt"), "object": "event", "api_version": "2026-10-28.endive",
            "created": int(time.time()), "livemode": False, "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None}, "type": kind, "data": {"object": dict(obj)}}


def signed(body: dict, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> tuple[bytes, str]:
    """The body and the Stripe-Signature header, exactly as Stripe makes them."""
    payload = json.dumps(body).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return payload, f"t={timestamp},v1={signature}"
