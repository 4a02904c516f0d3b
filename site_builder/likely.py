"""Names that are probably the same entity: a name that makes a new entity but is a small edit away
from a known name or alias, or that one with a middle or second surname missing."""

from __future__ import annotations

import re

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .diagnostics import Diagnostics, SourcePos
from .model import KINDS, PERSON, Note
from .slugs import match_key

TOKEN_RE = re.compile(r"[a-z0-9]+")
PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "e", "da", "do", "dos", "das", "di", "van", "von",
                       "der", "the", "of", "and", "for"})  # too common to group names by


def check_likely_duplicates(notes: tuple[Note, ...], created: list[tuple[str, str, SourcePos]],
                            diags: Diagnostics) -> None:
    """A warning for each new entity (kind, name, where it is first named) that is probably a
    known one: one with a notes file, or a new one named before it."""
    for kind in KINDS:
        names = _Names(surnames=kind == PERSON)
        for note in notes:
            if note.kind == kind:
                for text in (note.name, *(alias for alias, _ in note.aliases)):
                    names.add(text, note.src.path)
        for new_kind, text, src in created:
            if new_kind != kind:
                continue
            if hit := names.nearest(text):
                diags.warning(src, f'"{text}" makes a new {kind}; did you mean "{hit[0]}" ({hit[1]})? '
                                   "If it is the same, add the spelling to its aliases")
            names.add(text, f"{src.path}:{src.line}")


def _limit(length: int) -> int:
    """The edits a name of this length may differ by and still be taken for a misspelling."""
    return 0 if length < 8 else 1 if length < 16 else 2


class _Names:
    """Known names by folded form, grouped by their words and their ends so that a name is
    compared with the few that could be near it, never with all."""

    def __init__(self, surnames: bool):
        self.surnames = surnames
        self.full: dict[str, tuple[str, str]] = {}  # folded name -> (name as written, where)
        self.shorter: dict[str, str] = {}  # folded name with one later word left out -> folded name
        self.blocks: dict[str, list[str]] = {}

    def add(self, text: str, where: str) -> None:
        tokens = _tokens(text)
        folded = " ".join(tokens)
        if not folded or folded in self.full:
            return
        self.full[folded] = (text, where)
        for key in _keys(tokens, folded):
            self.blocks.setdefault(key, []).append(folded)
        if self.surnames:
            for variant in _without_one(tokens):
                self.shorter.setdefault(variant, folded)

    def nearest(self, text: str) -> tuple[str, str] | None:
        """(name, where) of the known name text is probably a misspelling or a short form of."""
        tokens = _tokens(text)
        folded = " ".join(tokens)
        if self.surnames and (longer := self.shorter.get(folded)):  # a known name with a word more
            return self.full[longer]
        limit = _limit(len(folded))
        if not limit:
            return None
        best = None
        for key in _keys(tokens, folded):
            block = self.blocks.get(key)
            found = block and process.extractOne(folded, block, scorer=Levenshtein.distance, score_cutoff=limit)
            if found and (best is None or found[1] < best[1]) and _misspelt(tokens, found[0].split(" ")):
                best = found
        return self.full[best[0]] if best else None


def _misspelt(tokens: list[str], known: list[str]) -> bool:
    """True when each word that differs is a plausible misspelling of its counterpart: one edit in a
    word of four letters or more, two in one of eight or more ("Gómez" is not "López"), same digits."""
    if len(tokens) != len(known):
        return False
    for word, other in zip(tokens, known, strict=True):
        if word != other:
            shortest = min(len(word), len(other))
            edits = Levenshtein.distance(word, other, score_cutoff=2)
            if word.isdigit() or other.isdigit() or edits > (2 if shortest >= 8 else 1 if shortest >= 4 else 0):
                return False
    return True


def _tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(match_key(text))


def _keys(tokens: list[str], folded: str) -> set[str]:
    """Blocks a name is in: each of its words, and its first and last three letters (a name one or
    two edits away from another shares a word with it, or, with two words both misspelt, an end)."""
    keys = {t for t in tokens if len(t) > 2 and t not in PARTICLES}
    return keys | {"<" + folded[:3], folded[-3:] + ">"}


def _without_one(tokens: list[str]) -> list[str]:
    """The name with one word after the first left out (a middle name or a second surname), keeping
    two words at least: "juan perez garcia" -> "juan garcia", "juan perez"."""
    if len(tokens) < 3:
        return []
    return [" ".join(tokens[:i] + tokens[i + 1:]) for i in range(1, len(tokens))
            if tokens[i] not in PARTICLES]
