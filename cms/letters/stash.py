"""A document that passed its check, kept while the resident corrects the rest of the form.

A phone upload is slow and a photo of a KTP is taken again only grudgingly, so a form sent
back for a wrong NIK must not ask for the files again. Each checked file waits in private
storage under a random name; the page carries a signed token naming it (and the name the
phone gave it, shown back to the resident). Only names of this folder, signed by us,
younger than a day and sent back by the browser session that uploaded them, are ever read
back: a token cannot point at another request's files, nor be reused by anyone else.
"""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from django.core import signing
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from marketplace.files import SERVED_TYPES, CheckedFile, PrivateStorage

FOLDER = "letters/stash"
SALT = "cms.letters.stash"
MAX_AGE = datetime.timedelta(days=1)
_NAME = re.compile(r"^letters/stash/[0-9a-f]{32}\.(jpg|png|webp|pdf)$")


@dataclass(frozen=True)
class Stashed:
    token: str
    original: str  # the file's name on the resident's phone, shown back as "foto.jpg sudah terunggah"
    checked: CheckedFile
    name: str


def _storage() -> PrivateStorage:
    return PrivateStorage()


def original_name(filename: str) -> str:
    return Path(filename or "").name[-80:] or "berkas"


def stash_store(checked: CheckedFile, *, original: str, holder: str) -> Stashed:
    """`holder` is the uploading browser's session key: only it may send the token back."""
    name = _storage().save(f"{FOLDER}/{checked.as_file().name}", ContentFile(checked.content))
    original = original_name(original)
    token = signing.dumps({"n": name, "o": original, "h": holder}, salt=SALT, compress=True)
    return Stashed(token=token, original=original, checked=checked, name=name)


def stash_load(token: str, *, holder: str) -> Stashed | None:
    """The stashed file a token names, or None for a forged, stale, emptied or borrowed one."""
    if not token or not holder:
        return None
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
        name, original, owner = str(data["n"]), str(data["o"]), str(data["h"])
    except (signing.BadSignature, KeyError, TypeError):
        return None
    if not _NAME.match(name) or not constant_time_compare(owner, holder):
        return None
    storage = _storage()
    try:
        with storage.open(name, "rb") as stored:
            content = stored.read()
    except OSError:
        return None
    extension = Path(name).suffix
    return Stashed(token=token, original=original, name=name,
                   checked=CheckedFile(content, extension, SERVED_TYPES[extension][0]))


def stash_discard(names) -> None:
    storage = _storage()
    for name in names:
        if _NAME.match(name):
            storage.delete(name)


def stash_purge(*, now=None) -> int:
    """Delete stashed files older than a token lives (forms never sent again). Returns how many."""
    storage = _storage()
    now = now or timezone.now()
    try:
        _folders, files = storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    removed = 0
    for filename in files:
        name = f"{FOLDER}/{filename}"
        if now - storage.get_modified_time(name) > MAX_AGE:
            storage.delete(name)
            removed += 1
    return removed
