"""A buyer searches on a 390 px phone: with JavaScript, suggestions as they type, a kecamatan
facet and the Terlaris order; without it, the plain form, a facet link and the second page."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def shown_total(page) -> int:
    return int(re.match(r"(\d+)", page.locator(".search-total").inner_text()).group(1))


def test_with_javascript_a_buyer_picks_a_suggestion_narrows_by_kecamatan_and_sorts(live_url, browser, read_db):
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    page = context.new_page()
    page.goto(f"{live_url}/kampung/bunga-raya/")

    # The header's box, in sight on a village site without opening the menu, offers names as one types
    box = page.locator("#site-q")
    assert box.is_visible()
    box.press_sequentially("kripik", delay=40)
    options = page.locator(".search-suggestions [role=option]")
    options.first.wait_for(state="visible")
    assert box.get_attribute("aria-expanded") == "true"
    names = options.all_inner_texts()
    assert names and all("keripik" in name.lower() for name in names)
    fits(page)
    picked = names[0]
    with page.expect_navigation():
        options.first.click()
    assert query_of(page)["q"] == [picked]
    assert shown_total(page) >= 1
    assert page.locator(".product-grid li").first.bounding_box()["y"] < PHONE["height"]
    fits(page)

    # Narrow by a kecamatan facet (filters folded behind one button on the phone)
    page.click(".facet-filters summary")
    facet = page.locator('section[aria-labelledby="facet-kecamatan"] .facet-values a').first
    kecamatan = facet.inner_text().split(" (")[0]
    count = int(re.search(r"\((\d+)\)", facet.inner_text()).group(1))
    with page.expect_navigation():
        facet.click()
    assert "kecamatan" in query_of(page) and query_of(page)["q"] == [picked]
    assert shown_total(page) == count
    assert page.locator(".search-applied", has_text=f"Kecamatan: {kecamatan}").is_visible()
    fits(page)

    # Sort by Terlaris: the words and the kecamatan stay
    with page.expect_navigation():
        page.locator(".search-sort a", has_text="Terlaris").click()
    assert query_of(page)["sort_by"] == ["best-selling"] and "kecamatan" in query_of(page)
    assert page.locator(".search-sort a[aria-current=true]").inner_text() == "Terlaris"
    assert shown_total(page) == count
    fits(page)
    context.close()


def test_without_javascript_the_form_a_facet_link_and_page_two_work(live_url, browser, read_db):
    context = browser.new_context(viewport=PHONE, locale="id-ID", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_url}/")

    # The plain form: no suggestion list without scripts, the search still goes
    page.fill("#site-q", "siak")
    with page.expect_navigation():
        page.locator(".site-search button[type=submit]").click()
    assert page.locator(".search-suggestions").count() == 0
    assert query_of(page)["q"] == ["siak"]
    everything = shown_total(page)
    fits(page)

    # A facet link with more than a page of products, opened from the folded filters
    page.click(".facet-filters summary")
    links = page.locator(".facet-values a")
    href, count = next((link.get_attribute("href"), int(re.search(r"\((\d+)\)", link.inner_text()).group(1)))
                       for link in links.all() if int(re.search(r"\((\d+)\)", link.inner_text()).group(1)) > 24)
    with page.expect_navigation():
        page.locator(f'.facet-values a[href="{href}"]').click()
    assert shown_total(page) == count < everything
    assert query_of(page)["q"] == ["siak"]
    fits(page)

    # Page 2 keeps the words and the filter
    narrowed = query_of(page)
    with page.expect_navigation():
        page.locator(".pagination a", has_text="Berikutnya").click()
    assert query_of(page) == {**narrowed, "page": ["2"]}
    assert "Halaman 2 dari" in page.locator(".pagination").inner_text()
    assert page.locator(".product-grid li").count() >= 1
    fits(page)
    context.close()
