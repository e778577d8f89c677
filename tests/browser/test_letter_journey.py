"""A resident of Bunga Raya asks for a surat pindah from a phone, the village office asks
for one more paper, approves and signs; the resident downloads the letter, and the public
verification page tells the issued file from a changed copy. Another village's operator
and an anonymous visitor reach nothing of it."""

import io
import re

import pytest
from PIL import Image

from .signing_in import sign_in_admin

PHONE = {"width": 390, "height": 844}
pytestmark = pytest.mark.browser


@pytest.fixture
def papers(tmp_path):
    """Three phone photos of papers, as the camera would hand them over."""
    paths = []
    for index, colour in enumerate(["ivory", "lightblue", "wheat"]):
        path = tmp_path / f"IMG_2026112{index}.jpg"
        Image.new("RGB", (1200, 800), colour).save(path, "JPEG")
        paths.append(path)
    return paths


@pytest.fixture
def other_operator(read_db):
    """An editor of Kerinci Kanan: a village office, but not this one."""
    from django.contrib.auth import get_user_model

    from cms.services import village_editor_add
    from shops.models import Kampung

    user, created = get_user_model().objects.get_or_create(username="editor.kerincikanan",
                                                           defaults={"email": "editor.kk@siakkab.test"})
    if created:
        user.set_password("pasar-kampung-2026")
        user.save()
    village_editor_add(kampung=Kampung.objects.get(code="14.08.07.2001"), user=user)
    return user


def service_url() -> str:
    from cms.models import ServicePage

    return ServicePage.objects.live().get(online_letter="pindah", url_path__contains="/bunga-raya/").url


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_surat_pindah_from_request_to_a_verified_letter(live_url, read_db, other_operator, browser, papers,
                                                          tmp_path):
    resident = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, accept_downloads=True)
    phone = resident.new_page()
    phone.goto(live_url + service_url())
    phone.get_by_role("link", name=re.compile("Ajukan online")).first.click()
    no_sideways_scroll(phone)

    phone.fill("#id_nama", "Rahmat Hidayat")
    phone.fill("#id_tanggal_lahir", "1987-05-14")
    phone.fill("#id_nik", "1408081405870099")
    phone.fill("#id_no_kk", "1408 0812 0115 0042")
    phone.fill("#id_hp", "0812-7654-3210")
    phone.fill("#id_tujuan_kode", "14.71.02.1001")
    phone.fill("#id_tujuan_alamat", "Jl. Sudirman No. 10, Pekanbaru")
    phone.fill("#id_alasan", "pekerjaan")
    slots = phone.locator("input[type=file][name^=berkas_]")
    for index in range(slots.count()):
        slots.nth(index).set_input_files(papers[index % len(papers)])
    phone.check("#id_setuju")
    phone.fill("#id_nik", "1408081505870099")  # a slip: the day in the NIK is not the birth date
    phone.get_by_role("button", name="Kirim permohonan").click()

    assert "tidak sama dengan tanggal lahir" in phone.inner_text(".letter-form")
    assert phone.input_value("#id_nama") == "Rahmat Hidayat"  # nothing typed is lost
    assert phone.locator(".letter-kept").count() == slots.count()  # nor any photo
    phone.fill("#id_nik", "1408081405870099")
    phone.check("#id_setuju")
    phone.get_by_role("button", name="Kirim permohonan").click()

    phone.wait_for_url(re.compile(r"/surat/[A-Z0-9]{8}/[\w-]+/$"))
    tracking_url = phone.url
    code = tracking_url.rstrip("/").split("/")[-2]
    assert code in phone.inner_text("body") and "Diajukan" in phone.inner_text("body")
    no_sideways_scroll(phone)

    # The village office, also on a phone: the request is in its queue; it asks for more.
    office_context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, accept_downloads=True)
    office = sign_in_admin(office_context, live_url, "editor.bungaraya")
    office.goto(f"{live_url}/admin/surat/")
    office.get_by_role("link", name=re.compile(code)).first.click()
    office.wait_for_url(re.compile(r"/admin/surat/\d+/$"))  # not the queue still unloading
    request_url = office.url
    assert "Rahmat Hidayat" in office.inner_text("body") and "Diperiksa" in office.inner_text("body")
    office.fill("#letters-note", "Mohon tambahkan surat pengantar RT/RW.")
    office.get_by_role("button", name="Minta dilengkapi").click()
    office.wait_for_load_state()
    assert "Perlu dilengkapi" in office.inner_text("body")

    # The other village's operator and an anonymous visitor reach nothing of it.
    elsewhere = browser.new_context(viewport=PHONE)
    stranger = sign_in_admin(elsewhere, live_url, other_operator.username)
    assert stranger.goto(request_url).status == 404
    stranger.goto(f"{live_url}/admin/surat/")
    assert code not in stranger.inner_text("body")
    document_href = office.locator("a[href*='/admin/surat/berkas/']").first.get_attribute("href")
    assert stranger.goto(live_url + document_href).status == 404
    anonymous = browser.new_context(viewport=PHONE).new_page()
    anonymous.goto(live_url + document_href)
    assert "/admin/login/" in anonymous.url
    assert anonymous.goto(tracking_url.replace(code, code[::-1])).status == 404
    forged = re.sub(r"/([\w-]+)/$", "/x" + "A" * 31 + "/", tracking_url)
    assert anonymous.goto(forged).status == 404

    # The resident sees the note and adds the paper.
    phone.goto(tracking_url)
    body = phone.inner_text("body")
    assert "Perlu dilengkapi" in body and "surat pengantar RT/RW" in body
    phone.fill("input[name=tambahan_0_persyaratan]", "Surat pengantar RT/RW")
    phone.set_input_files("input[type=file][name=tambahan_0]", papers[2])
    phone.get_by_role("button", name="Kirim kelengkapan").click()
    phone.wait_for_load_state()
    assert "Diperiksa" in phone.inner_text("body")

    # The office approves and signs.
    office.goto(request_url)
    assert "Surat pengantar RT/RW" in office.inner_text("body")
    office.get_by_role("button", name="Setujui").click()
    office.wait_for_load_state()
    assert "Rahmat Hidayat" in office.inner_text("#letters-preview")  # the letter's text, read before signing
    office.get_by_label("Saya sudah membaca isi surat").check()
    office.get_by_role("button", name=re.compile("Tandatangani")).click()
    office.wait_for_load_state()
    assert "Selesai" in office.inner_text("body")

    # The resident downloads the signed letter.
    phone.goto(tracking_url)
    assert "Selesai" in phone.inner_text("body")
    with phone.expect_download() as download:
        phone.get_by_role("link", name=re.compile("Unduh surat")).click()
    letter = tmp_path / "surat.pdf"
    download.value.save_as(letter)
    issued = letter.read_bytes()
    assert issued.startswith(b"%PDF-") and b"/ByteRange" in issued

    # Anyone verifies it; a changed copy fails.
    phone.get_by_role("link", name=re.compile("verifikasi", re.I)).click()
    assert "/verifikasi/" in phone.url
    verify_url = phone.url
    page_text = phone.inner_text("body")
    assert "R.H." in page_text and "Rahmat" not in page_text and "1408081405870099" not in page_text
    phone.set_input_files("#id_berkas", letter)
    phone.get_by_role("button", name="Periksa berkas").click()
    phone.wait_for_load_state()
    assert "sama persis" in phone.inner_text(".verify-result")
    assert "sah" in phone.inner_text(".verify-signature")
    no_sideways_scroll(phone)

    at = issued.index(b"Pasar Kampung")  # one letter of the document's information, inside what is signed
    forged_letter = tmp_path / "surat-diubah.pdf"
    forged_letter.write_bytes(issued[:at] + b"Pasar Kampunk" + issued[at + 13:])
    phone.goto(verify_url)
    phone.set_input_files("#id_berkas", forged_letter)
    phone.get_by_role("button", name="Periksa berkas").click()
    phone.wait_for_load_state()
    assert "BERBEDA" in phone.inner_text(".verify-result")
    assert "TIDAK SAH" in phone.inner_text(".verify-signature")

    for context in (resident, office_context, elsewhere):
        context.close()
