"""Oscar's product editor posted without its formsets (category, images, recommendations,
stock records): the form again with a 400, and no product left behind."""

import pytest
from oscar.core.loading import get_model

from .conftest import row_counts

Product = get_model("catalogue", "Product")
CREATE = "/toko/dashboard/catalogue/products/create/produk-kampung/"


@pytest.mark.parametrize("who", ["manager", "regency_admin"])
@pytest.mark.parametrize("post", [
    {"title": "Produk yatim", "structure": "standalone"},
    {"title": "Produk yatim", "structure": "standalone", "stockrecords-TOTAL_FORMS": "abc"},
    {"title": "Produk yatim", "structure": "standalone", "stockrecords-TOTAL_FORMS": "1", "stockrecords-INITIAL_FORMS": "0"},
    {},
], ids=["no formsets", "count not a number", "only one formset", "nothing"])
def test_a_product_post_without_its_formsets_saves_no_product(request, who, post):
    client = request.getfixturevalue(who)
    before = row_counts()

    response = client.post(CREATE, post)

    assert response.status_code == 400
    assert "Formulir tidak lengkap" in response.content.decode()
    assert row_counts() == before and not Product.objects.filter(title="Produk yatim").exists()


def test_an_update_without_its_formsets_changes_nothing(manager):
    product = Product.objects.get(stockrecords__partner_sku="14.08.06.2001-madu-sialang")
    before = row_counts()

    response = manager.post(f"/toko/dashboard/catalogue/products/{product.pk}/", {"title": "Diganti", "structure": "standalone"})

    assert response.status_code in (400, 404)  # 404 when the product is not the manager's shop's
    product.refresh_from_db()
    assert product.title != "Diganti" and row_counts() == before
