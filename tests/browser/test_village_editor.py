import pytest
from playwright.sync_api import expect

from .signing_in import sign_in_admin

pytestmark = pytest.mark.browser

TITLE = "Musyawarah kampung menyepakati jalan usaha tani"


def test_an_editor_publishes_news_that_visitors_see_on_their_village_only(live_url, phone, read_db):
    from cms.models import NewsIndexPage, NewsPage

    news_index = NewsIndexPage.objects.get(url_path__contains="/bunga-raya/")

    # Given the editor of Kampung Bunga Raya signed in to the admin
    editor = sign_in_admin(phone, live_url, "editor.bungaraya")

    # When they write a news article and publish it
    editor.goto(f"{live_url}/admin/pages/add/cms/newspage/{news_index.pk}/")
    editor.fill("#id_title", TITLE)
    editor.fill("#id_summary", "Warga sepakat membangun jalan usaha tani sepanjang dua kilometer.")
    expect(editor.locator("#id_slug")).not_to_have_value("")  # Wagtail fills the slug (no eval: the admin's CSP)
    editor.click("footer [data-w-dropdown-target=toggle]")
    editor.click("button[name=action-publish]")
    editor.wait_for_url(f"{live_url}/admin/pages/{news_index.pk}/")
    assert TITLE in editor.content()

    # Then a visitor sees it on Bunga Raya's home page and can open it
    visitor = phone.new_page()
    visitor.goto(f"{live_url}/kampung/bunga-raya/")
    visitor.click(f"text={TITLE}")
    assert visitor.locator("h1").inner_text() == TITLE
    assert "Warga sepakat membangun jalan usaha tani" in visitor.content()

    # And not on another village's home page
    visitor.goto(f"{live_url}/kampung/kerinci-kanan/")
    assert visitor.locator("h1").inner_text() == "Kampung Kerinci Kanan"
    assert TITLE not in visitor.content()

    published = NewsPage.objects.get(title=TITLE)
    assert published.live and published.get_parent().pk == news_index.pk
    assert published.owner.username == "editor.bungaraya"
