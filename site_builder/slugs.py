"""Slugs for URLs and the accent- and case-folded key that names are matched by."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from slugify import slugify as _slugify
from text_unidecode import unidecode

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_RULE = "lower-case ASCII letters, digits and single hyphens, such as marcelo-ebrard"


@lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """The URL slug of a name: 'Marcelo Ebrard Casaubón' -> 'marcelo-ebrard-casaubon'."""
    return _slugify(text, max_length=80, word_boundary=True)


def is_slug(text: str) -> bool:
    """True when text can be used as one path segment of a URL as it is."""
    return bool(SLUG_RE.fullmatch(text))


@lru_cache(maxsize=65536)
def match_key(text: str) -> str:
    """The key names are compared by: no accents, no case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = unidecode(bare).casefold()
    return " ".join(folded.split())


def unslug(slug: str) -> str:
    """A readable name made from a slug, for entities only ever named by slug."""
    return " ".join(part.capitalize() for part in slug.split("-"))
