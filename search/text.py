"""The words of a search, the same for what is indexed and what is asked.

Lower case, accents folded, punctuation dropped (a NUL byte, SQL or HTML are only
characters to skip), and every spelling variant of `synonyms.txt` written as its group's
first word, so that 'kripik nanas' and 'keripik nenas' are the same words to PostgreSQL.
Elasticsearch reads the same file in its own synonym filter (backends.elastic).
"""

import re
import unicodedata
from functools import cache
from pathlib import Path

SYNONYMS_FILE = Path(__file__).with_name("synonyms.txt")
MAX_TERMS = 10
MAX_TERM_LENGTH = 40
_NOT_A_WORD = re.compile(r"[^a-z0-9]+")


@cache
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """The groups of `synonyms.txt`, each as written: canonical word first."""
    groups = []
    for line in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            groups.append(tuple(" ".join(variant.split()) for variant in line.split(",") if variant.strip()))
    return tuple(groups)


@cache
def _variants() -> tuple[re.Pattern, dict[str, str]]:
    canonical = {variant: group[0] for group in synonym_groups() for variant in group[1:]}
    # longest first, so 'cendera mata' is replaced before any one-word variant inside it
    alternatives = sorted(canonical, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(re.escape(variant) for variant in alternatives) + r")\b")
    return pattern, canonical


def fold(text: str) -> str:
    """Lower case, without accents or punctuation: 'Kripik-Nanas!' is 'kripik nanas'."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return " ".join(_NOT_A_WORD.sub(" ", text).split())


def canonical_text(text: str) -> str:
    """Folded text with every spelling variant written as its group's first word."""
    pattern, canonical = _variants()
    return pattern.sub(lambda match: canonical[match.group(1)], fold(text))


def query_terms(text: str) -> list[str]:
    """The distinct words of a query, canonical, at most MAX_TERMS of them, each cut to a
    sane length: a 10,000-character query is ten words, not a 10,000-term search."""
    terms = []
    for word in canonical_text(text).split():
        word = word[:MAX_TERM_LENGTH]
        if word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]
