"""Which village trees an admin user may work in."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from wagtail.models import GroupPagePermission

from .models import KampungHomePage


def sees_every_village(user) -> bool:
    return user.is_superuser


def village_roots(user) -> list[KampungHomePage]:
    """The kampung homes under which the user's groups hold page permissions."""
    page_ids = GroupPagePermission.objects.filter(group__user=user).values_list("page_id", flat=True)
    return list(KampungHomePage.objects.filter(pk__in=page_ids))


def within_own_villages(pages, user):
    """Narrow a page queryset to the user's villages (everything for the regency admin)."""
    if sees_every_village(user):
        return pages
    roots = village_roots(user)
    if not roots:
        return pages.none()
    inside = Q()
    for root in roots:
        inside |= Q(path__startswith=root.path)
    return pages.filter(inside)


def regency_only(view):
    """For Wagtail admin views that read across every village and have no per-village filter."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not sees_every_village(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)
    return wrapped
