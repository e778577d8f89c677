from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from marketplace import page_cache
from shops.models import Kampung


@receiver(post_save, sender=Kampung, dispatch_uid="cms.kampung_site")
def give_every_new_kampung_its_site(sender, instance, created, raw=False, **kwargs):
    """shops knows nothing of sites; cms hooks in, so that a kampung made from the
    admin or by setup_regency gets its page tree, editor group and collection."""
    if created and not raw:
        from .services import kampung_site_ensure

        kampung_site_ensure(kampung=instance)


# -- stored pages (marketplace.page_cache) go stale when a page, a setting or a snippet changes

WAGTAIL_CONTENT_APPS = {"cms", "wagtailcore", "wagtailimages", "wagtaildocs", "wagtailredirects", "taggit"}


def _derived(sender) -> bool:
    """Rows Wagtail writes beside the content, never what a page shows: a rendition made while
    a page renders (which would make that very page stale), drafts, logs, workflow states."""
    from wagtail.images.models import AbstractRendition
    from wagtail.models import BaseLogEntry, PageSubscription, ReferenceIndex, Revision, TaskState, WorkflowState

    return issubclass(sender, (AbstractRendition, BaseLogEntry, PageSubscription, ReferenceIndex, Revision,
                               TaskState, WorkflowState))


def _content_changed(sender, **kwargs):
    if sender._meta.app_label in WAGTAIL_CONTENT_APPS and not _derived(sender):
        page_cache.changed("pages")


def _page_changed(sender, **kwargs):
    page_cache.changed("pages")


for _signal in (post_save, post_delete):
    _signal.connect(_content_changed, dispatch_uid=f"cms.page_cache.{_signal}")
for _signal in (page_published, page_unpublished, post_page_move):
    _signal.connect(_page_changed, dispatch_uid=f"cms.page_cache.{_signal}")
