"""make bench's scale data: the kampung sites written in bulk are the sites an admin's new
kampung gets one at a time (kampung_site_ensure), and the province grows regency by regency."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from cms.letters.models import LetterKind
from cms.models import KampungHomePage
from cms.scale import kampung_sites_bulk_create, sites_made_later
from cms.services import editor_group_name, kampung_site_ensure
from shops.models import Kampung
from shops.scale import regencies_for
from shops.services import regency_setup


def test_the_province_grows_from_siak_through_riau_until_it_has_the_villages_asked_for():
    assert regencies_for(villages=100) == ("14.08",)
    assert regencies_for(villages=300) == ("14.08", "14.01")  # Siak 131 + Kampar 250
    assert regencies_for(villages=1000) == ("14.08", "14.01", "14.02", "14.03", "14.04", "14.05")


def _site(kampung):
    home = KampungHomePage.objects.get(kampung=kampung)
    group = Group.objects.get(name=editor_group_name(kampung))
    return {
        "home": (home.title, home.live, home.url_path.rsplit("/", 2)[-2], home.office_hours),
        "sections": [(type(page.specific).__name__, page.slug, page.live, page.show_in_menus)
                     for page in home.get_children()],
        "page permissions": sorted(GroupPagePermission.objects.filter(group=group, page=home)
                                   .values_list("permission__codename", flat=True)),
        "admin": list(group.permissions.values_list("codename", flat=True)),
        "collection permissions": sorted(GroupCollectionPermission.objects.filter(group=group, collection__name=str(kampung))
                                         .values_list("permission__codename", flat=True)),
        "letter kinds": sorted(LetterKind.objects.filter(kampung=kampung).values_list("code", flat=True)),
    }


@pytest.mark.django_db
def test_sites_made_in_bulk_are_the_sites_one_kampung_gets_and_every_page_answers(client):
    with sites_made_later():
        regency_setup(code="14.72")  # Kota Dumai, 36 kelurahan
    dumai = list(Kampung.objects.filter(kecamatan__regency__code="14.72").select_related("kecamatan__regency")
                 .order_by("code"))
    assert not KampungHomePage.objects.filter(kampung__in=dumai).exists()
    kampung_site_ensure(kampung=dumai[0])  # the admin's way, for comparison

    assert kampung_sites_bulk_create(kampung=dumai) == len(dumai) - 1
    assert kampung_sites_bulk_create(kampung=dumai) == 0  # nothing twice

    one_by_one = _site(dumai[0])
    for kampung in dumai[1:]:
        assert _site(kampung) == {**one_by_one, "home": (str(kampung), True, kampung.slug, one_by_one["home"][3])}
    assert Page.find_problems() == ([], [], [], [], [])
    assert Collection.find_problems() == ([], [], [], [], [])
    names = [collection.name for collection in Collection.get_first_root_node().get_children()]
    assert names == sorted(names)  # still in name order, as add_child keeps them
    home = KampungHomePage.objects.get(kampung=dumai[-1])
    for page in [home, *home.get_children()]:
        assert client.get(page.url).status_code == 200, page.url
