from django.contrib.auth.models import Permission
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .models import Bumkam


@receiver(m2m_changed, sender=Bumkam.managers.through, dispatch_uid="shops.managers_are_partner_users")
def managers_are_partner_users(sender, instance, action, reverse, pk_set, **kwargs):
    """However managers are added (service, admin form), Oscar's dashboard fence follows:
    a manager is one of the shop partner's users and may open the dashboard."""
    if reverse or action not in ("post_add", "post_remove", "pre_clear"):
        return
    if action == "pre_clear":
        pk_set = set(instance.managers.values_list("pk", flat=True))
    users = instance.managers.model.objects.filter(pk__in=pk_set)
    if action == "post_add":
        instance.partner.users.add(*users)
        access = Permission.objects.get(content_type__app_label="partner", codename="dashboard_access")
        for user in users:
            user.user_permissions.add(access)
    else:
        instance.partner.users.remove(*users)
