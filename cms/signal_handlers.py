from django.db.models.signals import post_save
from django.dispatch import receiver

from shops.models import Kampung


@receiver(post_save, sender=Kampung, dispatch_uid="cms.kampung_site")
def give_every_new_kampung_its_site(sender, instance, created, raw=False, **kwargs):
    """shops knows nothing of sites; cms hooks in, so that a kampung made from the
    admin or by setup_regency gets its page tree, editor group and collection."""
    if created and not raw:
        from .services import kampung_site_ensure

        kampung_site_ensure(kampung=instance)
