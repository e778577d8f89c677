"""Pages that list goods cost the same number of queries however many goods they list
(issue 14 sets the budgets; these hold the line already won)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shops.models import Bumkam
from tests import factories

pytestmark = pytest.mark.django_db
BUNGA_RAYA = "14.08.08.2001"


def queries_for(client, url) -> int:
    client.get(url)  # caches of the first visit (site root, menus) out of the count
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/kampung/bunga-raya/toko/", "/kampung/bunga-raya/", "/"])
def test_a_page_of_product_cards_costs_no_query_per_card(client, url):
    bumkam = Bumkam.objects.get(kampung__code=BUNGA_RAYA)
    before = queries_for(client, url)

    for index in range(6):
        factories.product(bumkam=bumkam, title=f"Produk tambahan {index}", is_flagship=index == 0)

    assert queries_for(client, url) == before
