"""`make bench`: what a letter costs the village office's server. Figures, not pass/fail."""

import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.letters.services import letter_sign, request_approve
from cms.letters.signing import verify
from tests.letters.signing_world import letter_bytes, submitted, village

pytestmark = pytest.mark.django_db
ROUNDS = 15


def test_signing_and_verifying_a_letter(django_user_model):
    kampung = village()
    operator = django_user_model.objects.get(username="editor.bungaraya")
    letter_sign(letter_request=request_approve(letter_request=submitted(kampung), user=operator), user=operator)  # the keys
    signing, verifying, sizes = [], [], []
    for _ in range(ROUNDS):
        approved = request_approve(letter_request=submitted(kampung), user=operator)
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            letter = letter_sign(letter_request=approved, user=operator)
        signing.append((time.perf_counter() - start) * 1000)
        data = letter_bytes(letter)
        sizes.append(len(data))
        start = time.perf_counter()
        assert verify(data).valid
        verifying.append((time.perf_counter() - start) * 1000)
    print(f"\nBENCH letter number + PDF + PAdES signature  median {statistics.median(signing):6.1f} ms  "
          f"max {max(signing):6.1f} ms  queries {len(queries)}  PDF {statistics.median(sizes) / 1024:.1f} KB")
    print(f"BENCH letter verification (hash chain, trust) median {statistics.median(verifying):6.1f} ms")
