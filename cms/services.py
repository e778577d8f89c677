"""Writes of the village sites: each kampung's page tree, editors and news."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page, Site

from marketplace.sites import site_address
from shops.constants import AuditAction
from shops.models import Kampung
from shops.services import audit_record

from .letters.services import letter_kinds_ensure
from .models import (
    KampungHomePage,
    KampungIndexPage,
    NewsIndexPage,
    NewsPage,
    PortalPage,
    ProfilePage,
    ServiceIndexPage,
    ServicePage,
    StorefrontPage,
    TransparencyPage,
)

# The sections every kampung's site starts with: (page type, title, slug).
VILLAGE_SECTIONS = [
    (NewsIndexPage, _("Berita"), "berita"),
    (ServiceIndexPage, _("Layanan"), "layanan"),
    (ProfilePage, _("Profil"), "profil"),
    (TransparencyPage, _("APBKam"), "apbkam"),
    (StorefrontPage, _("Toko"), "toko"),
]

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]


@transaction.atomic
def portal_ensure(*, regency_name: str) -> PortalPage:
    """The regency portal as the root of the default site, with /kampung/ under it."""
    portal = PortalPage.objects.first()
    if portal is None:
        root = Page.get_first_root_node()
        portal = root.add_child(instance=PortalPage(title=f"Smart Kampung {regency_name}", slug="portal"))
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            _scheme, hostname, port = site_address()
            Site.objects.create(hostname=hostname, port=port, root_page=portal, is_default_site=True,
                                site_name=portal.title)
        else:
            old_root = site.root_page
            site.root_page, site.site_name = portal, portal.title
            site.save()
            # Wagtail's "Welcome to your new Wagtail site!" page has no place here.
            if old_root.specific_class is Page and not old_root.get_children().exists():
                old_root.delete()
    if not KampungIndexPage.objects.exists():
        portal.add_child(instance=KampungIndexPage(title=str(_("Direktori kampung")), slug="kampung"))
    return portal


@transaction.atomic
def kampung_site_ensure(*, kampung: Kampung) -> KampungHomePage:
    """A kampung's home with its news and service indexes, an editor group and a collection."""
    home = KampungHomePage.objects.filter(kampung=kampung).first()
    if home is None:
        portal_ensure(regency_name=kampung.kecamatan.regency.name)
        index = KampungIndexPage.objects.get()
        home = index.add_child(instance=KampungHomePage(
            title=str(kampung), slug=kampung.slug, kampung=kampung,
            office_hours=str(_("Senin–Jumat, 08.00–15.00 WIB")),
        ))
        for page_type, title, slug in VILLAGE_SECTIONS:
            home.add_child(instance=page_type(title=str(title), slug=slug, show_in_menus=True))
    editor_group_ensure(kampung=kampung, home=home)
    letter_kinds_ensure(kampung=kampung)
    return home


def editor_group_name(kampung: Kampung) -> str:
    return f"Editor {kampung} ({kampung.code})"


def editor_group_ensure(*, kampung: Kampung, home: KampungHomePage) -> Group:
    """Editors of one kampung may add, edit and publish only inside its tree."""
    group, created = Group.objects.get_or_create(name=editor_group_name(kampung))
    if created:
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        for codename in EDITOR_PAGE_PERMISSIONS:
            GroupPagePermission.objects.create(
                group=group, page=home, permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename)
            )
        collection = Collection.get_first_root_node().add_child(name=str(kampung))
        for app_label, codename in [
            ("wagtailimages", "add_image"), ("wagtailimages", "change_image"),
            ("wagtailimages", "choose_image"), ("wagtaildocs", "add_document"),
            ("wagtaildocs", "change_document"), ("wagtaildocs", "choose_document"),
        ]:
            GroupCollectionPermission.objects.create(
                group=group, collection=collection,
                permission=Permission.objects.get(content_type__app_label=app_label, codename=codename),
            )
    return group


@transaction.atomic
def village_editor_add(*, kampung: Kampung, user, acting_user=None) -> None:
    """The user may now edit this kampung's site; an audit row names who granted it."""
    group = Group.objects.select_for_update().get(name=editor_group_name(kampung))
    if not user.groups.filter(pk=group.pk).exists():
        user.groups.add(group)
        audit_record(acting_user=acting_user, action=AuditAction.EDITOR_ADD, target=kampung,
                     new={"user": user.get_username(), "user_id": user.pk})


@transaction.atomic
def village_editor_remove(*, kampung: Kampung, user, acting_user=None) -> None:
    group = Group.objects.select_for_update().get(name=editor_group_name(kampung))
    if user.groups.filter(pk=group.pk).exists():
        user.groups.remove(group)
        audit_record(acting_user=acting_user, action=AuditAction.EDITOR_REMOVE, target=kampung,
                     old={"user": user.get_username(), "user_id": user.pk})


def page_publish(*, page, user=None):
    """Publish through a revision, as the admin's Publish button does (history, audit log)."""
    page.save_revision(user=user, log_action=True).publish(user=user)
    return page


def news_publish(*, home: KampungHomePage, title: str, summary: str, paragraphs: list[str],
                 date=None, author: str = "", tags=(), owner=None) -> NewsPage:
    index = NewsIndexPage.objects.child_of(home).get()
    page = NewsPage(
        title=title, summary=summary, owner=owner, author=author,
        body=[("paragraph", format_html("<p>{}</p>", text)) for text in paragraphs],
    )
    if date is not None:
        page.date = date
    index.add_child(instance=page)
    page.tags.add(*tags)
    return page_publish(page=page, user=owner)


def service_publish(*, home: KampungHomePage, title: str, requirements: list[str], steps: list[str],
                    duration: str, fee: int, location: str, owner=None) -> ServicePage:
    index = ServiceIndexPage.objects.child_of(home).get()
    page = ServicePage(
        title=title, owner=owner, duration=duration, fee=fee, location=location,
        requirements=format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((r,) for r in requirements))),
        steps=format_html("<ol>{}</ol>", format_html_join("", "<li>{}</li>", ((s,) for s in steps))),
    )
    index.add_child(instance=page)
    return page_publish(page=page, user=owner)


@transaction.atomic
def user_roles_audit(*, user, before: dict, after: dict, acting_user) -> None:
    """An audit row for a change of a user's groups (village editors, shop managers'
    groups) or regency-admin flag made on Wagtail's user screens; nothing if unchanged."""
    if before != after:
        audit_record(acting_user=acting_user, action=AuditAction.USER_ROLES, target=user, old=before, new=after)
