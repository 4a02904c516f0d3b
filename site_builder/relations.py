"""Stated relations between people and organisations: read from notes and articles, checked
against the type table, resolved to entities and merged (the same relation stated twice is one)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from urllib.parse import urlsplit

from .dates import DateSpan
from .diagnostics import Diagnostics, SourcePos
from .fields import Reader, describe
from .i18n import N_
from .model import KINDS, ORGANISATION, PERSON, Article, Note, Ref, Relation
from .records import record
from .slugs import match_key

Key = tuple[str, str]  # (kind, slug), as index.Key

# type: (kinds of the first party, kinds of the second party, FollowTheMoney schema)
TYPES = {
    "family": ((PERSON,), (PERSON,), "Family"),
    "associate": ((PERSON,), (PERSON,), "Associate"),
    "employment": ((PERSON,), (ORGANISATION,), "Employment"),
    "membership": (KINDS, (ORGANISATION,), "Membership"),
    "directorship": (KINDS, (ORGANISATION,), "Directorship"),
    "ownership": (KINDS, (ORGANISATION,), "Ownership"),
    "succession": (KINDS, KINDS, "Succession"),  # and the same kind on both sides
    "link": (KINDS, KINDS, "UnknownLink"),
}
SYMMETRIC = ("family", "associate", "link")  # without a role, [A, B] states what [B, A] does
# How a dossier reads a relation without a role: (on the first party's, on the second party's)
PHRASES = {
    "family": (N_("Relative of"), N_("Relative of")), "associate": (N_("Associate of"), N_("Associate of")),
    "employment": (N_("Works for"), N_("Employs")), "membership": (N_("Member of"), N_("Has as member")),
    "directorship": (N_("Director of"), N_("Directed by")), "ownership": (N_("Owns"), N_("Owned by")),
    "succession": (N_("Succeeded by"), N_("Successor of")), "link": (N_("Linked to"), N_("Linked to")),
}
# A type as the dossier names it (the type itself in English; JSON keeps the type)
LABELS = {"family": N_("family"), "associate": N_("associate"), "employment": N_("employment"),
          "membership": N_("membership"), "directorship": N_("directorship"), "ownership": N_("ownership"),
          "succession": N_("succession"), "link": N_("link")}
NOTE_KEYS = ("type", "with", "role", "from", "to", "source")
ARTICLE_KEYS = ("type", "between", "role", "from", "to", "source")
KIND_WORDS = {PERSON: ("a person", "people"), ORGANISATION: ("an organisation", "organisations")}


@record
class StatedRelation:
    """One relation after merging: its parties, and every place that states it."""

    type: str
    first: Key
    second: Key
    role: str | None
    start: DateSpan | None
    end: DateSpan | None
    articles: tuple[str, ...]  # paths of the articles that state it, oldest first
    urls: tuple[str, ...]  # source URLs given with it
    src: SourcePos  # where it is first stated


# -- reading ---------------------------------------------------------------------------------------

def read_relations(r: Reader, in_notes: bool) -> tuple[Relation, ...]:
    """The `relations:` of a notes file (`with:`) or an article (`between:`), each problem a diagnostic."""
    return tuple(rel for path, item in r.items(("relations",)) if (rel := _read(r, path, item, in_notes)))


def _read(r: Reader, path: tuple, item, in_notes: bool) -> Relation | None:
    party_key = "with" if in_notes else "between"
    if not isinstance(item, dict):
        r.error(path, f"expected a mapping with type: and {party_key}:, found {describe(item)}")
        return None
    r.check_keys(path, {k: v for k, v in item.items() if k not in ("with", "between")},
                 NOTE_KEYS if in_notes else ARTICLE_KEYS)
    kind = _read_type(r, path + ("type",))
    parties = _read_with(r, path) if in_notes else _read_between(r, path)
    start, end = r.date(path + ("from",)), r.date(path + ("to",))
    if start and end and end.sort_key() < start.sort_key():
        r.error(path + ("to",), "the relation ends before it starts")
    role, source = r.text(path + ("role",)), read_source(r, path + ("source",))
    if kind is None or parties is None:
        return None
    first, second = parties
    return Relation(kind, first, second, role, start, end, source, r.pos(*path))


def _read_type(r: Reader, path: tuple) -> str | None:
    text = r.text(path, required=True, hint=f"write one of {', '.join(TYPES)}")
    if text is None or text.lower() in TYPES:
        return text and text.lower()
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    near = process.extractOne(text.lower(), list(TYPES), scorer=Levenshtein.distance)[0]
    r.error(path, f'"{text}" is not a relation type; did you mean "{near}"? (the types: {", ".join(TYPES)})')
    return None


def _read_with(r: Reader, path: tuple) -> tuple[None, Ref] | None:
    if "between" in r.get(path):
        r.error(path + ("between",), "in a notes file the file's person or organisation is the first party; "
                                     "write with: and the other party")
        return None
    text = r.text(path + ("with",), required=True, hint="name the other party (a name, alias or slug)")
    return (None, _party(r, path + ("with",), text, in_notes=True)) if text else None


def _read_between(r: Reader, path: tuple) -> tuple[Ref, Ref] | None:
    if "with" in r.get(path):
        r.error(path + ("with",), "in an article name both parties, first party first: "
                                  "between: [First Party, Second Party]")
        return None
    value = r.get(path + ("between",))
    if not isinstance(value, list) or len(value) != 2:
        count = len(value) if isinstance(value, list) else int(value is not None)
        found = f"{count} parties" if count > 1 else "one party" if count else "none"
        r.error(path + ("between",), f"a relation is between exactly two parties, found {found}; "
                                     "write between: [First Party, Second Party]")
        return None
    texts = r.texts(path + ("between",))
    if len(texts) != 2:
        return None  # an empty or non-text entry, reported by texts
    return tuple(_party(r, p, text, in_notes=False) for p, text in texts)


def _party(r: Reader, path: tuple, text: str, in_notes: bool) -> Ref:
    """A party as written; `person:Name` or `organisation:Name` settles its kind ("" when open)."""
    kind, _, rest = text.partition(":")
    if kind.strip().lower() in KINDS and rest.strip():
        kind, text = kind.strip().lower(), rest.strip()
    else:
        kind = ""
    return Ref(kind, text, r.pos(*path), counts_as_spelling=not in_notes)


def read_source(r: Reader, path: tuple) -> str | None:
    """A relation's citation: an http(s) URL (the one place to accept content files as well)."""
    text = r.text(path)
    if text is None:
        return None
    parts = urlsplit(text)
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return text
    r.error(path, f'"{text}" is not an http or https URL; write the address of the source in full, '
                  "such as https://example.com/page")
    return None


# -- resolving and merging -------------------------------------------------------------------------

def resolve_relations(notes: tuple[Note, ...], articles: list[Article], registry, named: dict,
                      diags: Diagnostics) -> list[StatedRelation]:
    """Every relation stated in notes and published articles, merged, in the order first stated.

    `registry` is index._Registry (find, resolve, key); the parties of an article's relations are
    named by that article (added to `named`, as those of its events are)."""
    merged: dict[tuple, dict] = {}
    statements = [(rel, registry.key(n.kind, n.slug), None, 0) for n in notes for rel in n.relations]
    statements += [(rel, None, a.path, order) for order, a in enumerate(articles) for rel in a.relations]
    for rel, first, path, order in statements:
        parties = _resolve_parties(rel, first, registry, diags, order)
        if parties is None:
            continue
        if path is not None:
            listed = named[path]
            listed.extend((k, None) for k in parties if all(k != other for other, _ in listed))
        ends = frozenset(parties) if rel.type in SYMMETRIC and not rel.role else parties
        entry = merged.setdefault((rel.type, ends, match_key(rel.role or "")), {
            "type": rel.type, "first": parties[0], "second": parties[1], "role": rel.role,
            "start": None, "end": None, "articles": [], "urls": [], "src": rel.src})
        entry["start"] = entry["start"] or rel.start
        entry["end"] = entry["end"] or rel.end
        for name, value in (("articles", path), ("urls", rel.source)):
            if value is not None and value not in entry[name]:
                entry[name].append(value)
    return [StatedRelation(**{**e, "articles": tuple(e["articles"]), "urls": tuple(e["urls"])})
            for e in merged.values()]


def _resolve_parties(rel: Relation, first: Key | None, registry, diags: Diagnostics,
                     order: int) -> tuple[Key, Key] | None:
    """Both parties' keys; a party that matches nothing is made, of the kind the type allows."""
    allowed = TYPES[rel.type][:2]
    names = (rel.first.text if rel.first else registry.notes[first].name, rel.second.text)
    if first and first[0] not in allowed[0]:
        diags.error(rel.src, f"{rel.type}: the first party must be {_needs(allowed[0])}; this file is "
                             f"{KIND_WORDS[first[0]][0]}'s")
        return None
    found = [(first[0], None) if first else _known_kind(rel.first, allowed[0], registry),
             _known_kind(rel.second, allowed[1], registry)]
    if not _kinds_fit(rel, names, found, allowed, diags):
        return None
    kinds = [kind for kind, _ in found]
    for i in (0, 1):
        if kinds[i] is None:
            known = kinds[1 - i]
            kinds[i] = known if known in allowed[i] else allowed[i][0]
    if rel.type == "succession" and kinds[0] != kinds[1]:
        diags.error(rel.src, f'succession: both parties must be people, or both organisations; "{names[0]}" '
                             f'is {KIND_WORDS[kinds[0]][0]} and "{names[1]}" {KIND_WORDS[kinds[1]][0]}')
        return None
    keys = [first] if first else []
    for ref, kind in zip((rel.first, rel.second)[len(keys):], kinds[len(keys):], strict=True):
        slug = registry.resolve(replace(ref, kind=kind), order)
        if slug is None:
            return None
        keys.append(registry.key(kind, slug))
    if keys[0] == keys[1]:
        diags.error(rel.src, f'relation of "{names[0]}" with itself; name two different parties')
        return None
    return keys[0], keys[1]


def _known_kind(ref: Ref, allowed: tuple[str, ...], registry) -> tuple[str | None, str | None]:
    """The kind of the entity ref matches (None when it matches none), and what is wrong with it."""
    kinds = (ref.kind,) if ref.kind else KINDS
    hits = [k for k in kinds if registry.find(k, ref.text, ref.src)]
    fits = [k for k in hits if k in allowed]
    if len(fits) > 1:
        return None, (f'"{ref.text}" matches both a person and an organisation; write '
                      f'"person:{ref.text}" or "organisation:{ref.text}"')
    if fits:
        return fits[0], None
    wrong = hits[0] if hits else ref.kind or None
    return wrong, wrong and f'"{ref.text}" is {KIND_WORDS[wrong][0]}'


def _kinds_fit(rel: Relation, names: tuple[str, str], found: list, allowed: tuple, diags: Diagnostics) -> bool:
    """False, with an error at the party's line, when a party is of a kind the type does not take."""
    problems = [(side, kind, problem) for side, (kind, problem) in zip(("first", "second"), found, strict=True)
                if problem]
    if len(problems) == 2 and rel.first and found[1][0] in allowed[0] and found[0][0] in allowed[1]:
        diags.error(rel.first.src, f"{rel.type}: the first party must be {_needs(allowed[0])} and the second "
                                   f"{_needs(allowed[1])}; write between: [{names[1]}, {names[0]}]")
        return False
    for side, _, problem in problems:
        ref = rel.first if side == "first" else rel.second
        needs = "" if "matches both" in problem else f"{rel.type}: the {side} party must be " \
            f"{_needs(allowed[side == 'second'])}; "
        diags.error(ref.src, needs + problem)
    return not problems


def _needs(kinds: tuple[str, ...]) -> str:
    return " or ".join(KIND_WORDS[k][0] for k in kinds)


def by_entity(relations: list[StatedRelation], names: dict[Key, str]) -> dict[Key, tuple[StatedRelation, ...]]:
    """Each entity's relations, by type (in the table's order), then by the other party's name."""
    result: dict[Key, list[StatedRelation]] = defaultdict(list)
    for rel in relations:
        result[rel.first].append(rel)
        result[rel.second].append(rel)
    order = {kind: i for i, kind in enumerate(TYPES)}

    def rank(key):
        return lambda rel: (order[rel.type], names[other(rel, key)].casefold(), other(rel, key), rel.role or "")
    return {key: tuple(sorted(rels, key=rank(key))) for key, rels in result.items()}


def other(rel: StatedRelation, key: Key) -> Key:
    """The party of rel that is not key."""
    return rel.second if rel.first == key else rel.first


def _english(message: str, **values) -> str:
    return message % values if values else message


def phrase_of(type: str, first: bool, role: str | None, words=_english) -> tuple[str, str | None]:
    """How a relation of a type reads on the dossier of its first party (`first`) or its second:
    the words before the other party, and after it.

    The role says what the first party is to the second: on the first party's dossier
    "spokesman of Marcelo Ebrard", on the second's "Daniel Millán — spokesman"."""
    if not role:
        return words(PHRASES[type][not first]), None
    *head, last = role.split()
    joined = bool(head) and last.lower() in ("of", "for", "to", "at", "in", "with", "under", "by")
    if first:
        return (role if joined else words(N_("%(role)s of"), role=role)), None
    return "", " ".join(head) if joined else role
