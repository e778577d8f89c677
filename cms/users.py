"""Wagtail's user screens, with one change: who may do what is audited.

Adding a user to a village's editor group, or making them a regency admin, is a change of
permissions like any other, so it writes an audit row in the same transaction as the save.
Everything else (forms, templates, URLs) is Wagtail's; cms.apps.AuditedUsersConfig
installs it in place of wagtail.users.
"""

from wagtail.users.views import users


def _roles(user) -> dict:
    if user is None or not user.pk:
        return {"groups": [], "is_superuser": False, "is_active": False}
    user = type(user).objects.get(pk=user.pk)  # as stored, not as the bound form has changed it
    return {"groups": sorted(user.groups.values_list("name", flat=True)),
            "is_superuser": user.is_superuser, "is_active": user.is_active}


class _AuditedSave:
    def save_instance(self):
        from .services import user_roles_audit

        before = _roles(getattr(self, "object", None))
        instance = super().save_instance()
        user_roles_audit(user=instance, before=before, after=_roles(instance), acting_user=self.request.user)
        return instance


class CreateView(_AuditedSave, users.CreateView):
    pass


class EditView(_AuditedSave, users.EditView):
    pass


class UserViewSet(users.UserViewSet):
    add_view_class = CreateView
    edit_view_class = EditView
