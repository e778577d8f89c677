"""Who works a village's letter queue: its editors (the village office) and the regency admin.
A request of another village is, to anyone else, a page that does not exist."""

from ..permissions import sees_every_village, village_roots
from .models import LetterRequest


def operator_kampung_ids(user) -> set[int] | None:
    """The kampung whose requests the user works; None means every kampung (the regency)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if sees_every_village(user):
        return None
    return {home.kampung_id for home in village_roots(user)}


def requests_for(user):
    kampung_ids = operator_kampung_ids(user)
    requests = LetterRequest.objects.all()
    return requests if kampung_ids is None else requests.filter(kampung_id__in=kampung_ids)


def operates(user, letter_request: LetterRequest) -> bool:
    """One of this village's own operators, not only supervising it (the regency admin)."""
    return letter_request.kampung_id in {home.kampung_id for home in village_roots(user)}
