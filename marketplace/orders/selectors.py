"""Reads of shop orders and of whatever a manager may see."""

from django.core.exceptions import PermissionDenied


def managed_by(queryset, user, *, bumkam: str = "bumkam"):
    """All of it for the regency admin, a manager's own shop's part, and nothing for anyone else."""
    if user.is_superuser:
        return queryset
    if not user.managed_bumkam.exists():
        raise PermissionDenied
    return queryset.filter(**{f"{bumkam}__managers": user})
