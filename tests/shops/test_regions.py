import csv

import pytest
from django.core.management import CommandError, call_command

from shops.models import Kampung, Kecamatan, Regency
from shops.services import AREA_DATA, regency_setup

pytestmark = pytest.mark.django_db


def official_counts(code):
    with open(AREA_DATA / "districts.csv", encoding="utf-8") as f:
        districts = {r["code"] for r in csv.DictReader(f) if r["regency_code"] == code}
    with open(AREA_DATA / "villages.csv", encoding="utf-8") as f:
        villages = [r for r in csv.DictReader(f) if r["district_code"] in districts]
    return len(districts), len(villages)


def test_siak_has_its_14_kecamatan_and_131_kampung(siak):
    assert siak.name == "Kabupaten Siak"
    assert siak.province_name == "Riau"
    assert Kecamatan.objects.filter(regency=siak).count() == 14
    assert Kampung.objects.filter(kecamatan__regency=siak).count() == 131
    bunga_raya = Kampung.objects.get(code="14.08.08.2001")
    assert (bunga_raya.name, bunga_raya.kecamatan.name, bunga_raya.slug) == ("Bunga Raya", "Bunga Raya", "bunga-raya")
    assert Kampung.objects.get(code="14.08.01.1001").get_kind_display() == "Kelurahan"


def test_any_regency_of_indonesia_is_set_up_the_same_way(capsys):
    call_command("setup_regency", "35.10")

    banyuwangi = Regency.objects.get(code="35.10")
    assert banyuwangi.name == "Kabupaten Banyuwangi"
    kecamatan, kampung = official_counts("35.10")
    assert kecamatan == 25 and kampung > 200
    assert Kecamatan.objects.filter(regency=banyuwangi).count() == kecamatan
    assert Kampung.objects.filter(kecamatan__regency=banyuwangi).count() == kampung
    assert f"{kecamatan} kecamatan, {kampung} kampung/kelurahan" in capsys.readouterr().out
    # Slugs stay unique when village names repeat across kecamatan and regencies.
    assert Kampung.objects.values("slug").distinct().count() == Kampung.objects.count()


def test_setting_up_a_regency_again_changes_nothing(siak):
    before = list(Kampung.objects.order_by("code").values_list("code", "slug", "name"))

    result = regency_setup(code="14.08")

    assert result.created == 0
    assert (result.kecamatan_count, result.kampung_count) == (14, 131)
    assert list(Kampung.objects.order_by("code").values_list("code", "slug", "name")) == before


@pytest.mark.parametrize("code", ["99.99", "14.8", "", "14.08.08"])
def test_an_unknown_code_gets_a_clear_error_and_changes_nothing(code):
    counts = (Regency.objects.count(), Kecamatan.objects.count(), Kampung.objects.count())

    with pytest.raises(CommandError, match="tidak ada dalam data wilayah Kemendagri"):
        call_command("setup_regency", code)

    assert (Regency.objects.count(), Kecamatan.objects.count(), Kampung.objects.count()) == counts
