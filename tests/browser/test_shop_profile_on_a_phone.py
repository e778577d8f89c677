import pytest

from .signing_in import sign_in_shop

pytestmark = pytest.mark.browser


def test_a_manager_sets_courier_rates_by_zone_on_a_phone_without_javascript(live_url, browser, read_db):
    from shops.models import Bumkam

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID", java_script_enabled=False)
    page = sign_in_shop(context, live_url, "bungaraya@siakkab.test")
    page.goto(f"{live_url}/toko/kelola/toko/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.fill("#id_pickup_hours", "Senin-Sabtu 08.00-16.00")
    page.fill("#id_courier_per_kg_kecamatan", "6.500")
    page.fill("#id_courier_per_kg_province", "-1")
    page.click("form.shop-profile-form button[type=submit]")
    page.wait_for_load_state()

    # refused, on a page that still fits, with what was typed still there
    assert "Jumlah minimal Rp" in page.inner_text("form.shop-profile-form")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.input_value("#id_courier_per_kg_kecamatan") == "6.500"
    assert page.input_value("#id_pickup_hours") == "Senin-Sabtu 08.00-16.00"

    page.fill("#id_courier_per_kg_province", "15.000")
    page.click("form.shop-profile-form button[type=submit]")
    page.wait_for_load_state()

    assert "Profil toko disimpan" in page.content()
    shop = Bumkam.objects.get(kampung__code="14.08.08.2001")
    assert shop.courier_rate("kecamatan")[0] == 6500 and shop.courier_rate("province")[0] == 15000
    assert shop.pickup_hours == "Senin-Sabtu 08.00-16.00"
    context.close()
