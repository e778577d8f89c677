"""A resident's NIK and KK are checked for their shape and their official region before a
request is taken; each slip is named in Indonesian."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from cms.letters.identity import kk_clean, nik_clean

TODAY = datetime.date(2026, 11, 24)
DAYUN = "140806"  # Kecamatan Dayun, Kabupaten Siak


def message(error: ValidationError) -> str:
    return " ".join(error.messages)


@pytest.mark.parametrize("typed", [f"{DAYUN}150790 0001", f"{DAYUN[:4]} {DAYUN[4:]}15 0790 0001",
                                   f"{DAYUN}.150790.0001", f"{DAYUN}-150790-0001"])
def test_an_nik_is_read_as_residents_write_it(typed):
    assert nik_clean(typed, today=TODAY) == f"{DAYUN}1507900001"


def test_a_womans_nik_has_forty_added_to_the_day_and_matches_her_birth_date():
    born = datetime.date(1990, 7, 15)

    assert nik_clean(f"{DAYUN}5507900001", birth_date=born, today=TODAY) == f"{DAYUN}5507900001"
    assert nik_clean(f"{DAYUN}1507900001", birth_date=born, today=TODAY) == f"{DAYUN}1507900001"


@pytest.mark.parametrize("typed, code, words", [
    ("140806150790001", "length", "16 angka"),
    ("14080615079000a1", "not_digits", "hanya berisi angka; yang diisi memuat 'a'"),
    ("14080615O7900001", "not_digits", "memuat 'O'"),
    (f"{DAYUN}1507900000", "serial", "0000"),
    ("9999991507900001", "region", "bukan kode kecamatan"),
    (f"{DAYUN}3213900001", "birth_date", "bukan tanggal lahir"),
    (f"{DAYUN}7513900001", "birth_date", "bukan tanggal lahir"),
])
def test_a_wrong_nik_is_refused_with_what_is_wrong(typed, code, words):
    with pytest.raises(ValidationError) as refused:
        nik_clean(typed, today=TODAY)

    assert refused.value.code == code
    assert words in message(refused.value)


def test_an_nik_of_another_birth_date_is_refused_naming_both_dates():
    with pytest.raises(ValidationError) as refused:
        nik_clean(f"{DAYUN}1507900001", birth_date=datetime.date(1990, 7, 16), today=TODAY)

    assert "15-07-1990" in message(refused.value) and "16-07-1990" in message(refused.value)


def test_a_young_residents_nik_is_of_this_century():
    assert nik_clean(f"{DAYUN}0103200001", birth_date=datetime.date(2020, 3, 1), today=TODAY)


def test_a_kk_number_carries_its_region_and_a_possible_issue_date():
    assert kk_clean(f"{DAYUN} 2001 1900 12", today=TODAY) == f"{DAYUN}2001190012"

    with pytest.raises(ValidationError) as refused:
        kk_clean(f"{DAYUN}3102190012", today=TODAY)
    assert refused.value.code == "issue_date" and "tanggal terbit" in message(refused.value)

    with pytest.raises(ValidationError) as refused:
        kk_clean("1499992001190012", today=TODAY)
    assert refused.value.code == "region" and "nomor KK" in message(refused.value)
