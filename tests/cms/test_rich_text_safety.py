"""Rich text keeps no script, event handler or javascript: link, however it arrives."""

import html as html_lib
import json
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield

from cms.models import NewsIndexPage, NewsPage, ServicePage

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"javascript:alert('XSS')\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<img src=`javascript:alert(1)`>",
    "<a href=\"javascript:alert(1)\">klik</a>",
    "<a href=\"JAVASCRIPT:alert(1)\">klik</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">klik</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">klik</a>",
    "<a href=\" javascript:alert(1)\">klik</a>",
    "<a href=\"java\nscript:alert(1)\">klik</a>",
    "<a href=\"vbscript:msgbox(1)\">klik</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">klik</a>",
    "<a href=\"#\" onclick=\"alert(1)\">klik</a>",
    "<a href=\"https://ok.example\" onmouseover=\"alert(1)\">klik</a>",
    "<p onmouseover=\"alert(1)\">paragraf</p>",
    "<b onclick=alert(1)>tebal</b>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<embed embedtype=\"image\" id=\"1\" onload=\"alert(1)\"/>",
    "<body onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<select onfocus=alert(1) autofocus>",
    "<textarea autofocus onfocus=alert(1)>",
    "<video><source onerror=\"alert(1)\"></video>",
    "<audio src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<form action=\"javascript:alert(1)\"><button>kirim</button></form>",
    "<button formaction=\"javascript:alert(1)\">kirim</button>",
    "<base href=\"javascript:alert(1)//\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<link rel=\"stylesheet\" href=\"javascript:alert(1)\">",
    "<style>@import 'javascript:alert(1)';</style>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<p style=\"x:expression(alert(1))\">x</p>",
    "<table background=\"javascript:alert(1)\"><tr><td>x</td></tr></table>",
    "<a href=\"javascript&colon;alert(1)\">klik</a>",
    "<a href=\"javascript:void(0)\" onclick=\"alert(1)\">klik</a>",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
]
assert len(PAYLOADS) == 50

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "data", "xlink:href", "srcdoc"}
FORBIDDEN_TAGS = {"script", "iframe", "object", "svg", "math", "style", "base", "form", "meta", "link", "input",
                  "button", "select", "textarea", "video", "audio", "details", "marquee", "body", "noscript"}


class Dangers(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag} {name}=")
            if name in URL_ATTRIBUTES and value:
                plain = re.sub(r"[\x00-\x20\x7f-\xa0`]+", "", html_lib.unescape(value)).lower()
                if plain.startswith(("javascript:", "vbscript:", "data:")):
                    self.found.append(f"{tag} {name}={value}")


def dangers(html):
    parser = Dangers()
    parser.feed(html)
    return parser.found


def content_of(response):
    page = response.content.decode()
    return page.split('<div id="content_inner">', 1)[1].split("<footer", 1)[0]


def contentstate(payloads):
    """What Draftail would post, but with every payload as text and as a link's URL."""
    blocks, entities = [], {}
    for i, payload in enumerate(payloads):
        entities[str(i)] = {"type": "LINK", "mutability": "MUTABLE", "data": {"url": payload}}
        blocks.append({"key": f"k{i}", "type": "unstyled", "depth": 0, "text": f"{payload} tautan",
                       "inlineStyleRanges": [], "data": {},
                       "entityRanges": [{"offset": len(payload) + 1, "length": 6, "key": i}]})
    return json.dumps({"blocks": blocks, "entityMap": entities})


def stored(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE page_ptr_id = %s", [pk])
        return str(cursor.fetchone()[0])


def test_the_checker_sees_the_attacks_in_the_raw_payloads():
    assert sum(1 for payload in PAYLOADS if dangers(payload)) >= 45


def test_admin_form_posts_store_and_render_nothing_dangerous(admin_client):
    service = ServicePage.objects.live().filter(url_path__contains="/bunga-raya/").first()
    form = querydict_from_html(admin_client.get(f"/admin/pages/{service.pk}/edit/").content.decode(), form_id="page-edit-form")
    form["requirements"] = contentstate(PAYLOADS)
    form["steps"] = contentstate(PAYLOADS[::-1])
    form["forms-count"] = "0"
    form["action-publish"] = "action-publish"

    response = admin_client.post(f"/admin/pages/{service.pk}/edit/", form)

    assert response.status_code == 302, response.content.decode()[:2000]
    service.refresh_from_db()
    for column in ("requirements", "steps"):
        assert "tautan" in stored("cms_servicepage", column, service.pk)
        assert dangers(stored("cms_servicepage", column, service.pk)) == []
    assert "tautan" in content_of(admin_client.get(service.url))
    assert dangers(content_of(admin_client.get(service.url))) == []


def test_admin_streamfield_posts_store_and_render_nothing_dangerous(admin_client):
    index = NewsIndexPage.objects.filter(url_path__contains="/bunga-raya/").get()
    data = nested_form_data({
        "title": "Berita uji keamanan", "slug": "berita-uji-keamanan", "date": "2026-11-20",
        "author": "", "summary": "", "tags": "",
        "body": streamfield([("paragraph", contentstate(PAYLOADS))]),
        "comments": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 1000},
        "action-publish": "action-publish",
    })

    response = admin_client.post(f"/admin/pages/add/cms/newspage/{index.pk}/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    page = NewsPage.objects.get(slug="berita-uji-keamanan")
    assert page.live
    assert "tautan" in stored("cms_newspage", "body", page.pk)
    assert dangers(json.loads(stored("cms_newspage", "body", page.pk))[0]["value"]) == []
    assert dangers(content_of(admin_client.get(page.url))) == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_imports_store_and_render_nothing_dangerous(client, payload):
    service = ServicePage.objects.live().filter(url_path__contains="/bunga-raya/").first()
    news = NewsPage.objects.live().filter(url_path__contains="/bunga-raya/").first()
    service.requirements = f"<p>Syarat {payload}</p>"
    news.body = [("paragraph", f"<p>Isi {payload}</p>")]

    service.save_revision().publish()
    news.save_revision().publish()
    ServicePage.objects.filter(pk=service.pk).update(steps=payload)

    assert dangers(stored("cms_servicepage", "requirements", service.pk)) == []
    assert dangers(stored("cms_servicepage", "steps", service.pk)) == []
    assert dangers(json.loads(stored("cms_newspage", "body", news.pk))[0]["value"]) == []
    assert dangers(content_of(client.get(service.url))) == []
    assert dangers(content_of(client.get(news.url))) == []
    assert "Syarat" in content_of(client.get(service.url))  # the harmless text survives
