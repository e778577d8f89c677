import re

import pytest

from tests.factories.uploads import image_bytes

pytestmark = pytest.mark.browser


@pytest.fixture
def sktm_online(read_db):
    """Bunga Raya's SKTM page marked online for the test, as it was afterwards."""
    from cms.models import ServicePage

    page = ServicePage.objects.live().get(url_path__contains="/bunga-raya/", title__startswith="Surat keterangan tidak")
    before = (page.online_letter, page.promised_days)
    ServicePage.objects.filter(pk=page.pk).update(online_letter="sktm", promised_days=1)
    yield page
    ServicePage.objects.filter(pk=page.pk).update(online_letter=before[0], promised_days=before[1])


@pytest.mark.parametrize("javascript", [False, True], ids=["js-off", "js-on"])
def test_a_resident_asks_for_an_sktm_from_a_phone_and_lands_on_the_tracking_page(
        live_url, browser, sktm_online, tmp_path, javascript):
    from cms.letters.models import LetterRequest

    photo = tmp_path / "foto-ktp.jpg"
    photo.write_bytes(image_bytes("JPEG", (640, 480)))
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID",
                                  java_script_enabled=javascript)
    page = context.new_page()

    # Given the village's SKTM page, with its "Ajukan online" button
    page.goto(f"{live_url}{sktm_online.url}")
    page.click("text=Ajukan online")
    page.wait_for_url(re.compile(r".*/ajukan/$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # When the resident fills it in, one NIK digit wrong, with a photo of every requirement
    name = f"Warga Peramban {'Satu' if javascript else 'Dua'}"
    page.fill("#id_nama", name)
    page.fill("#id_tanggal_lahir", "1990-07-15")
    page.fill("#id_nik", "1408081507900")
    page.fill("#id_no_kk", "1408081203150002")
    page.fill("#id_hp", "0812 7654 3210")
    page.fill("#id_keperluan", "Berobat dengan BPJS PBI")
    for slot in page.locator("input[type=file]").all():
        slot.set_input_files(str(photo))
    page.check("#id_setuju")
    page.click("text=Kirim permohonan")
    page.wait_for_load_state()

    # Then the slip is named, and neither what was typed nor the photos are lost
    assert "NIK harus 16 angka" in page.inner_text(".letter-form")
    assert page.input_value("#id_nama") == name
    assert page.locator(".letter-kept").count() == 4
    assert "foto-ktp.jpg sudah terunggah" in page.inner_text(".letter-kept >> nth=0")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # and once corrected, the request is sent and they land on its tracking page
    page.fill("#id_nik", "1408081507900001")
    page.check("#id_setuju")
    page.click("text=Kirim permohonan")
    page.wait_for_url(re.compile(r".*/surat/[0-9A-Z]{8}/[\w-]+/$"))
    letter_request = LetterRequest.objects.get(applicant_name=name)
    assert page.inner_text("#kode") == letter_request.code
    assert letter_request.documents.count() == 4
    assert "Janji layanan: 1 hari kerja" in page.inner_text(".letter-promise-box")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
