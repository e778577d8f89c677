"""A query of several words finds what has every one of them, and nothing else."""

import re

import pytest
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
pytestmark = pytest.mark.django_db


def found(client, q: str) -> int:
    html = client.get("/toko/search/", {"q": q}).content.decode()
    match = re.search(r"(\d+)\s+produk", html)
    return int(match.group(1)) if match else 0


def test_two_words_find_the_products_with_both_not_the_whole_catalogue(client):
    on_sale = Product.objects.filter(is_public=True).count()
    honey = Product.objects.filter(is_public=True, title__icontains="madu").count()

    both = found(client, "madu sialang")
    nonsense = client.get("/toko/search/", {"q": "kopi xyzzyq"}).content.decode()

    assert 0 < both <= honey < on_sale
    assert "Tidak ada produk yang cocok" in nonsense


def test_one_word_still_finds_every_product_that_has_it(client):
    honey = Product.objects.filter(is_public=True, title__icontains="madu").count()

    assert found(client, "madu") >= honey > 0
