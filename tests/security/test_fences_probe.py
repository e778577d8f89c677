"""Every URL of the project, asked by the people of village A for the objects of village B.

Roles: anonymous, a buyer, the manager of shop A (Bunga Raya) and the editor of village
A. Targets: Kerinci Kanan's pages, media, products, orders, statements, payouts and its
buyer's account (tests/security/fences_world.py). Each URL is asked with GET and with a
hostile POST, redirects not followed. A probe holds when the answer is a redirect, 4xx, or
a 200 without any of B's markers (bar those its own address carries), and when no row of any table was written.
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client

from .fences_urls import LOGIN_PATHS, UNPROBED, probes, url_templates
from .fences_world import SECRET, build_village_b

pytestmark = pytest.mark.django_db

# Writes a request may make whoever asks, the asker's own traces: their session, profile,
# basket, thumbnails, rate-limit counters (throttle_cache) and django-axes' login log.
OWN_BOOKKEEPING = {"django_session", "wagtailusers_userprofile", "basket_basket", "thumbnail_kvstore",
                   "throttle_cache", "axes_accesslog", "axes_accessattempt"}
ROLES = ["anonymous", "buyer", "manager", "editor"]


def _written():
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables")
        return dict(cursor.fetchall())


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _client(role):
    client = Client(raise_request_exception=False)
    User = get_user_model()
    if role == "buyer":
        client.force_login(User.objects.create_user("pembeli.bungaraya", "pembeli@bungaraya.test", "rahasia-a"))
    elif role == "manager":
        client.force_login(User.objects.get(username="pengelola.bungaraya"))
    elif role == "editor":
        client.force_login(User.objects.get(username="editor.bungaraya"))
    return client


def _hostile_body(b):
    return {
        "title": "Diretas", "slug": "diretas", "action-publish": "1", "action": "delete", "status": "delivered",
        "id": [b.draft.pk, b.product.pk], "selected_product": b.product.pk, "product": b.product.pk,
        "partner": b.partner.pk, "amount": "1", "bank_reference": "X", "reference": b.checkout.reference,
        "confirm": "1", "q": SECRET, "name": "Diretas", "email": "diretas@example.test",
    }


def _ask(client, method, url, data=None):
    before = _written()
    try:
        with transaction.atomic():
            response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
            body = _body(response)
    except Exception as error:  # a crash is a finding, not a reason to stop probing
        return None, f"{type(error).__name__}: {error}"[:200], {}
    after = _written()
    writes = {table: n - before.get(table, 0) for table, n in after.items()
              if n != before.get(table, 0) and table not in OWN_BOOKKEEPING}
    return response, body, writes


@pytest.fixture
def village_b():
    return build_village_b()


def test_every_url_pattern_is_probed_or_listed_with_a_reason(village_b):
    _found, unfilled = probes(village_b)
    known = {template for template, _params, _name in url_templates()}

    assert unfilled == [], f"URL patterns the probe cannot fill; add a filler or list them in UNPROBED: {unfilled}"
    assert set(UNPROBED) <= known, f"UNPROBED lists patterns that no longer exist: {set(UNPROBED) - known}"


def probe_as(role, b):
    """(failures, refused, answered) of every probe of B's objects by this role of A."""
    client = _client(role)
    found, _unfilled = probes(b)
    failures, refused, answered = [], 0, 0
    for probe in found:
        url = probe.url
        if "%(" not in probe.template and "?" not in url:
            url += "?search=Rahasia" if url.startswith("/admin/api/") else "?q=Rahasia&title=Rahasia"
        for method, data in (("get", None), ("post", _hostile_body(b))):
            response, body, writes = _ask(client, method, url, data)
            if response is None:
                failures.append(f"{method.upper()} {url}: crashed {body}")
                continue
            status = response.status_code
            leaked = [m for m in b.markers if m not in url and (m in body or m in response.get("Location", ""))]
            if writes:
                failures.append(f"{method.upper()} {url}: {status} wrote {writes}")
            if status >= 500:
                failures.append(f"{method.upper()} {url}: {status}")
            elif leaked and status < 300:
                failures.append(f"{method.upper()} {url}: {status} shows {leaked}")
            elif status in (400, 403, 404, 405, 500) or (300 <= status < 400 and LOGIN_PATHS.match(response["Location"])):
                refused += 1
            else:
                answered += 1
    return failures, refused, answered


@pytest.mark.parametrize("role", ROLES)
def test_village_b_is_fenced_from_every_role_of_village_a(role, village_b):
    failures, refused, answered = probe_as(role, village_b)

    total = refused + answered + len(failures)
    print(f"\nfences[{role}]: {refused + answered}/{total} probes held "
          f"({refused} refused, {answered} answered without village B's data)")
    assert failures == [], "\n".join(failures)
