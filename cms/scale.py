"""Kampung sites in bulk for the benchmark's scale data (manage.py bench_data).

services.kampung_site_ensure makes one site the way an admin's new kampung gets it: six
pages through treebeard's add_child, an editor group, a collection inserted in name order
(which renumbers every collection after it) and the village's letter kinds: half a second a
kampung, and more with every collection, so a thousand took six minutes. This writes the
same rows for many kampung at once: each page's tree path computed as add_child would, the
pages' rows in one insert per table, the collections renumbered once, the permissions and
letter kinds in bulk, and the new pages put in Wagtail's search index in one call.
"""

from contextlib import contextmanager

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat
from django.db.models.signals import post_save
from django.utils import timezone
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page
from wagtail.search.backends import get_search_backend

from shops.models import Kampung

from .letters.kinds import KINDS
from .letters.models import LetterKind
from .models import KampungHomePage, KampungIndexPage
from .services import EDITOR_PAGE_PERMISSIONS, VILLAGE_SECTIONS, editor_group_name, portal_ensure
from .signal_handlers import give_every_new_kampung_its_site

COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"), ("wagtailimages", "change_image"), ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"), ("wagtaildocs", "change_document"), ("wagtaildocs", "choose_document"),
]


@contextmanager
def sites_made_later():
    """New kampung without their site, which kampung_sites_bulk_create then makes for all at once."""
    post_save.disconnect(give_every_new_kampung_its_site, sender=Kampung, dispatch_uid="cms.kampung_site")
    try:
        yield
    finally:
        post_save.connect(give_every_new_kampung_its_site, sender=Kampung, dispatch_uid="cms.kampung_site")


def _insert(model, pages: list) -> None:
    """One INSERT of these pages' own table, under Page rows already written (their page_ptr)."""
    fields = [field for field in model._meta.local_concrete_fields]
    model._base_manager._insert(pages, fields=fields, using="default")


def _children(parent, specs: list[tuple[type, dict]], now) -> list:
    """Pages to add under `parent` after its present children, with the paths add_child gives."""
    made = []
    for offset, (model, values) in enumerate(specs, start=parent.numchild + 1):
        page = model(**values, draft_title=values["title"], live=True, has_unpublished_changes=False,
                     first_published_at=now, last_published_at=now, locale_id=parent.locale_id,
                     path=Page._get_path(parent.path, parent.depth + 1, offset), depth=parent.depth + 1,
                     url_path=f"{parent.url_path}{values['slug']}/",
                     content_type=ContentType.objects.get_for_model(model))
        made.append(page)
    return made


def _write(pages: list) -> None:
    """Page rows first (their ids), then each type's own rows pointing at them."""
    bases = Page.objects.bulk_create([Page(**{field.attname: getattr(page, field.attname)
                                              for field in Page._meta.concrete_fields if field.attname != "id"})
                                      for page in pages])
    by_model: dict[type, list] = {}
    for page, base in zip(pages, bases):
        page.pk = page.page_ptr_id = base.pk
        page.id = base.pk
        by_model.setdefault(type(page), []).append(page)
    for model, group in by_model.items():
        _insert(model, group)


@transaction.atomic
def kampung_sites_bulk_create(*, kampung: list[Kampung]) -> int:
    """The same site kampung_site_ensure makes, for every kampung given that has none."""
    kampung = [place for place in kampung if not KampungHomePage.objects.filter(kampung=place).exists()]
    if not kampung:
        return 0
    portal_ensure(regency_name=kampung[0].kecamatan.regency.name)
    index = KampungIndexPage.objects.select_for_update().get()
    now = timezone.now()
    homes = _children(index, [(KampungHomePage, {
        "title": str(place), "slug": place.slug, "kampung": place, "office_hours": "Senin–Jumat, 08.00–15.00 WIB",
        "show_in_menus": False,
    }) for place in kampung], now)
    for home in homes:
        home.numchild = len(VILLAGE_SECTIONS)
    _write(homes)
    sections = []
    for home in homes:
        sections += _children(home, [(model, {"title": str(title), "slug": slug, "show_in_menus": True})
                                     for model, title, slug in VILLAGE_SECTIONS], now)
    _write(sections)
    Page.objects.filter(pk=index.pk).update(numchild=index.numchild + len(homes))

    access_admin = Permission.objects.get(codename="access_admin")
    page_permissions = [Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
                        for codename in EDITOR_PAGE_PERMISSIONS]
    collection_permissions = [Permission.objects.get(content_type__app_label=app, codename=codename)
                              for app, codename in COLLECTION_PERMISSIONS]
    groups = Group.objects.bulk_create([Group(name=editor_group_name(place)) for place in kampung])
    Group.permissions.through.objects.bulk_create([
        Group.permissions.through(group=group, permission=access_admin) for group in groups])
    GroupPagePermission.objects.bulk_create([
        GroupPagePermission(group=group, page_id=home.pk, permission=permission)
        for group, home in zip(groups, homes) for permission in page_permissions])
    collections = _collections_add(names=[str(place) for place in kampung])
    GroupCollectionPermission.objects.bulk_create([
        GroupCollectionPermission(group=group, collection=collection, permission=permission)
        for group, collection in zip(groups, collections) for permission in collection_permissions])
    LetterKind.objects.bulk_create([
        LetterKind(kampung=place, code=spec.code, title=spec.title, classification=spec.classification,
                   template=spec.template)
        for place in kampung for spec in KINDS.values()], ignore_conflicts=True)

    backend = get_search_backend()
    for model in {type(page) for page in homes + sections}:
        backend.add_bulk(model, [page for page in homes + sections if type(page) is model])
    return len(homes)


def _collections_add(*, names: list[str]) -> list[Collection]:
    """Collections under the root, all of them numbered again in name order as add_child keeps
    them; each insert there would renumber the ones after it."""
    root = Collection.get_first_root_node()
    children = list(root.get_children())
    if any(child.numchild for child in children):  # nested collections: the careful way
        return [root.add_child(name=name) for name in names]
    made = [Collection(name=name, depth=root.depth + 1, numchild=0, path="") for name in names]
    everything = sorted(children + made, key=lambda collection: collection.name)
    for offset, collection in enumerate(everything, start=1):
        collection.path = Collection._get_path(root.path, root.depth + 1, offset)
    # the present ones move to their new paths (first out of the way: paths are unique)
    Collection.objects.filter(pk__in=[child.pk for child in children]).update(path=Concat(Value("~"), "path"))
    Collection.objects.bulk_update(children, ["path"])
    Collection.objects.bulk_create(made)
    Collection.objects.filter(pk=root.pk).update(numchild=len(everything))
    return made
