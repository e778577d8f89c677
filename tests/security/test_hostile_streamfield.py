"""Stream posts a village editor's browser would never send (Wagtail's stream fields post
`<field>-count`, `-N-type`, `-N-order`, `-N-deleted`, and each block's own keys, a rich text
block's as JSON): the page form again with a message in Indonesian, nothing saved."""

import pytest
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.models import NewsPage

MESSAGE = "Isi bagian ini tidak terbaca (data formulir rusak)."


@pytest.fixture
def news(db):
    return NewsPage.objects.filter(url_path__contains="/bunga-raya/").first()


def _post(news, **patch):
    data = nested_form_data({"title": news.title, "slug": news.slug, "date": "2026-11-20", "author": "",
                             "summary": "Ringkasan", "body": streamfield([("paragraph", rich_text("<p>Halo</p>"))]),
                             "tags": "", "action-publish": "action-publish"})
    for key, value in patch.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


MALFORMED = {
    "count not a number": {"body-count": "abc"},
    "count past the blocks sent": {"body-count": "99999999"},
    "order missing": {"body-0-order": None},
    "deleted missing": {"body-0-deleted": None},
    "type missing": {"body-0-type": None},
    "order not a number": {"body-0-order": "x"},
    "rich text JSON garbage": {"body-0-value": "{not json"},
    "rich text JSON a list": {"body-0-value": "[1, 2]"},
    "image block id not a number": {"body-0-type": "image", "body-0-value": None, "body-0-value-image": "abc",
                                    "body-0-value-alt_text": "", "body-0-value-decorative": ""},
}


@pytest.mark.parametrize("patch", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_stream_post_is_the_form_again_and_saves_nothing(editor, news, patch):
    revisions = news.revisions.count()
    body = news.body.get_prep_value()

    response = editor.post(f"/admin/pages/{news.pk}/edit/", _post(news, **patch))

    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    news.refresh_from_db()
    assert news.revisions.count() == revisions and news.body.get_prep_value() == body


def test_an_unknown_block_type_is_dropped_as_wagtail_does(editor, news):
    response = editor.post(f"/admin/pages/{news.pk}/edit/", _post(news, **{"body-0-type": "nonexistent"}))

    assert response.status_code == 302


def test_a_well_formed_stream_post_still_publishes(editor, news):
    response = editor.post(f"/admin/pages/{news.pk}/edit/", _post(news))

    assert response.status_code == 302
    news.refresh_from_db()
    assert "Halo" in str(news.body)
