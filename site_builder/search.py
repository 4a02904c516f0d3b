"""The search index: static JSON files under /search/ that search.js queries in the browser.

Each searched page (article, dossier, story) becomes a document: a title, a line
to show under it and the words it contains, folded (no accents, lower case).
Words go to term files by their first two letters, so a query fetches only the
files its words start with; a document is known by a short id made from its URL,
so adding one document never renumbers the others. Every file is a pure function
of the current documents: updating the files of an edited document gives the same
bytes as writing them all again, which is what makes the index incremental."""

from __future__ import annotations

import hashlib
import html
import json
import re
import unicodedata
import zlib
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from . import i18n
from .i18n import N_
from .render import inert_json

SEARCHED = ("article.html", "dossier.html", "story.html")
FOLDER = "search"
ID_CHARS = 8
MAX_WEIGHT = 99  # below 128: see _shard_files
TITLE, NAMES, TEXT = 10, 3, 1
EXCERPT = 180
KINDS = {"person": N_("Person"), "organisation": N_("Organisation")}
_WORD = re.compile(r"[^\W_]{2,}")  # a word of one letter is not indexed
_TAG = re.compile(r"<[^>]*>")
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


class SearchError(RuntimeError):
    """The search index could not be updated incrementally; write it whole."""


# The combining accents NFKD splits off Latin, Greek and Cyrillic letters (search.js strips the same).
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower case without accents: what is indexed and what a query is matched as (search.js does the same)."""
    if text.isascii():
        return text.lower()
    return _MARKS.sub("", unicodedata.normalize("NFKD", text)).lower()


# Punctuation common in news text, none of it part of a word: without it most folded Latin text is
# ASCII, where a word is [a-z0-9]{2,} and the regex runs two and a half times faster.
_PUNCTUATION = "\u2019\u2018\u201c\u201d\u2014\u2013\u2026\u00a0\u00b7\u00ab\u00bb"
_ASCII_WORD = re.compile(r"[a-z0-9]{2,}")


def words(text: str) -> list[str]:
    """The words of a text as they are indexed: folded, two characters or more."""
    text = fold(text)
    if text.isascii():
        return _ASCII_WORD.findall(text)
    for mark in _PUNCTUATION:
        text = text.replace(mark, " ")
    return _ASCII_WORD.findall(text) if text.isascii() else _WORD.findall(text)


def doc_id(url: str) -> str:
    number = int.from_bytes(hashlib.blake2b(url.encode(), digest_size=8).digest(), "big")
    chars = []
    for _ in range(ID_CHARS):
        number, digit = divmod(number, 36)
        chars.append(_ALPHABET[digit])
    return "".join(chars)


def shard_name(term: str) -> str:
    """The term file a term lives in: its first two letters, hex-encoded for any file system."""
    return term[:2].encode().hex()


@dataclass(frozen=True, slots=True)
class Document:
    """A searched page. Its words are kept as text ("term:weight term:weight ..."), a tenth of
    the memory of a dict: a big site holds ten thousand of them at once."""

    url: str
    id: str
    meta: dict  # what a result shows: url, title, kind, excerpt
    terms: str
    meta_digest: str

    @classmethod
    def of(cls, url: str, meta: dict, weights: dict[str, int]) -> Document:
        terms = " ".join([f"{term}:{weight}" for term, weight in weights.items()])
        return cls(url, doc_id(url), meta, terms, hashlib.blake2b(_dump(meta), digest_size=12).hexdigest())

    def weights(self) -> dict[str, int]:
        return {term: int(weight) for term, weight in _parse_terms(self.terms).items()}

    def entry(self) -> tuple[str, str, str]:
        """What the build state keeps of the document; the next build compares entries term by
        term to rewrite only the term files an edit touches."""
        return (self.id, self.terms, self.meta_digest)


def _term_pairs(text: str) -> Iterator[tuple[str, str]]:
    """(term, weight) of a document's terms, "term:weight term:weight ..." (terms are letters and
    digits), split in C. An empty text gives none."""
    pairs = iter(text.replace(":", " ").split(" "))
    return zip(pairs, pairs, strict=False)


def _parse_terms(text: str) -> dict[str, str]:
    return dict(_term_pairs(text))


def plain_text(markup) -> str:
    return html.unescape(_TAG.sub(" ", str(markup or "")))


def document(url: str, template: str, context: Mapping) -> Document | None:
    """The search document of a page, or None for pages that are not searched."""
    if template not in SEARCHED:
        return None
    title = context["title"]
    if template == "article.html":
        names = [p["name"] for p in (*context["people"], *context["organisations"])]
        body = plain_text(context["body"])
        excerpt, kind = context.get("summary") or body, N_("Article")
        extra = [context.get("summary") or "", context.get("source") or ""]
    elif template == "dossier.html":
        names = [*context["aliases"], *(r["organisation"]["name"] for r in context["roles"] if r["organisation"])]
        body = plain_text(context["notes"])
        roles = [r["title"] for r in context["roles"]]
        kind = KINDS.get(context["kind"], N_("Dossier"))
        excerpt = " · ".join([*context["aliases"], *roles]) or body
        extra = roles
    else:
        names, body, kind = [], plain_text(context.get("body")), N_("Story")
        excerpt = context.get("summary") or body
        extra = [context.get("summary") or ""]
    terms = Counter(words(body))  # each word of the body weighs TEXT, 1: counted in C
    for text, weight in ((title, TITLE), (" ".join(names), NAMES), (" ".join(extra), NAMES)):
        for word in words(text):
            terms[word] += weight
    if terms and max(terms.values()) > MAX_WEIGHT:
        terms = Counter({word: min(weight, MAX_WEIGHT) for word, weight in terms.items()})
    excerpt = " ".join(excerpt.split())
    if len(excerpt) > EXCERPT:
        excerpt = excerpt[:EXCERPT].rsplit(" ", 1)[0] + "…"
    meta = {"url": url, "title": title, "kind": i18n.for_site(context["site"])(kind), "excerpt": excerpt}
    if template == "article.html":
        meta["date"] = context["date"]
    return Document.of(url, meta, terms)


def _dump(value) -> bytes:
    return inert_json(value).encode()


_NEW = object()


def _shard_files(docs: Iterable[Document], only: set[str] | None = None,
                 part: int = 0, parts: int = 1) -> Iterator[tuple[str, dict[str, list]]]:
    """Term files, one at a time: (shard, term -> [id, weight, id, weight, ...], ids in order);
    only the shards named in `only`, and of those only this part's (see files).

    Until a file is made, a term's postings are numbers in an array, a document's place in id
    order times 128 plus the weight: a quarter of the memory of lists of ids and weights, and
    the index is made at the end of a build, when its memory is at its highest."""
    ordered = sorted(docs, key=lambda d: d.id)
    postings: dict[str, array | None] = {}  # (None: a term of another part's shard)
    for number, doc in enumerate(ordered):
        place = number << 7
        for term, weight in _term_pairs(doc.terms):
            entries = postings.get(term, _NEW)
            if entries is _NEW:  # (shards go to parts by a checksum: by letters, vowels would all go to one)
                entries = postings[term] = array("I") if zlib.crc32(term[:2].encode()) % parts == part else None
            if entries is not None:
                entries.append(place | int(weight))
    shards: dict[str, list[str]] = {}
    for term, entries in postings.items():
        name = shard_name(term)
        if entries is not None and (only is None or name in only):
            shards.setdefault(name, []).append(term)
    for name, terms in shards.items():
        yield name, {term: [value for entry in postings.pop(term) for value in (ordered[entry >> 7].id, entry & 127)]
                     for term in terms}


def _doc_files(docs: Iterable[Document], only: set[str] | None = None,
               part: int = 0, parts: int = 1) -> dict[str, dict[str, dict]]:
    chunks: dict[str, dict[str, dict]] = {}
    for doc in docs:
        if (only is None or doc.id[:2] in only) and ord(doc.id[0]) % parts == part:
            chunks.setdefault(doc.id[:2], {})[doc.id] = doc.meta
    return chunks


def files(docs: list[Document], part: int = 0, parts: int = 1) -> Iterator[tuple[str, bytes]]:
    """Every file of the index, relative to output/, for these documents, one at a time.
    With parts, only this part's share of them: part p of n and the other parts make them all."""
    _check_ids(docs)
    for name, terms in _shard_files(docs, None, part, parts):
        yield f"{FOLDER}/terms/{name}.json", _dump(terms)
    for name, chunk in _doc_files(docs, None, part, parts).items():
        yield f"{FOLDER}/docs/{name}.json", _dump(chunk)
    if part == 0:
        yield f"{FOLDER}/index.json", _dump({"documents": len(docs), "version": 1})


def _check_ids(docs: list[Document]) -> None:
    seen: dict[str, str] = {}
    for doc in docs:
        if seen.setdefault(doc.id, doc.url) != doc.url:  # 1 in 10^12 per pair; never silently merge two pages
            raise AssertionError(f"search ids collide: {seen[doc.id]} and {doc.url}")


def update(read, previous: Mapping[str, tuple[str, str, str]], changed: Mapping[str, Document | None],
           count: int) -> dict[str, bytes | None]:
    """The index files that change when these documents change (None: removed), given how to read
    a file of the current index and each previous document's entry(). Files to delete map to None."""
    dirty_chunks: set[str] = set()
    gone_ids: set[str] = set()
    touched: set[str] = set()  # the terms whose postings change; the others are copied as they are
    for url, doc in changed.items():
        old_id, old_terms, old_meta = previous.get(url, (None, "", None))
        new_id, new_terms, new_meta = doc.entry() if doc else (None, "", None)
        old, new = _parse_terms(old_terms), _parse_terms(new_terms)
        if old_id != new_id:
            touched |= old.keys() | new.keys()
            dirty_chunks |= {i[:2] for i in (old_id, new_id) if i}
        else:
            touched |= {t for t in old.keys() | new.keys() if old.get(t) != new.get(t)}
            if old_meta != new_meta:
                dirty_chunks.add(new_id[:2])
        if old_id:
            gone_ids.add(old_id)
    new_docs = [d for d in changed.values() if d is not None]
    ids = {entry[0] for entry in previous.values()} - gone_ids
    for doc in new_docs:
        if doc.id in ids:
            raise SearchError(f"search id of {doc.url} collides")
        ids.add(doc.id)
    out: dict[str, bytes | None] = {}
    by_shard: dict[str, list[str]] = {}
    for term in sorted(touched):
        by_shard.setdefault(shard_name(term), []).append(term)
    fresh_shards = dict(_shard_files(new_docs, set(by_shard)))
    for name, terms in sorted(by_shard.items()):
        path = f"{FOLDER}/terms/{name}.json"
        out[path] = _patch_terms(read(path), path, gone_ids, fresh_shards.get(name, {}), terms)
    fresh_chunks = _doc_files(new_docs, dirty_chunks)
    for name in sorted(dirty_chunks):
        path = f"{FOLDER}/docs/{name}.json"
        chunk = {i: m for i, m in _load(read, path).items() if i not in gone_ids}
        chunk.update(fresh_chunks.get(name, {}))
        out[path] = _dump(chunk) if chunk else None
    out[f"{FOLDER}/index.json"] = _dump({"documents": count, "version": 1})
    return out


def _load(read, path: str) -> dict:
    data = read(path)
    if data is None:
        return {}
    try:
        return json.loads(data)
    except ValueError as err:
        raise SearchError(f"{path}: {err}") from err


def _term_of(entry: str) -> str:
    return entry[:entry.index('"')]


def _patch_terms(data: bytes | None, path: str, gone: set[str], fresh: dict[str, list],
                 terms: list[str]) -> bytes | None:
    """A term file with the postings of these terms (sorted) remade, the gone documents' taken out
    and the fresh ones' put in, and every other term's bytes kept as they were: an edit touches
    a few terms of files that hold thousands, and parsing and writing those whole was most of
    the preview's update after a text edit. None when no term is left.

    The file is what _dump writes, {"term":["id",weight,...],...} in term order, so its entries
    are what lies between `],"`: nothing inside an entry has those three characters (terms and
    ids are letters and digits, weights numbers). An entry is kept as `term":["id",weight,...`."""
    text = data.decode("utf-8") if data is not None else "{}"
    if text == "{}":
        entries = []
    elif text.startswith('{"') and text.endswith("]}"):
        entries = text[2:-2].split('],"')
    else:
        raise SearchError(f"{path}: not a term file")
    for term in terms:
        at = bisect_left(entries, term, key=_term_of)
        found = at < len(entries) and _term_of(entries[at]) == term
        try:
            postings = json.loads(entries[at].partition(":")[2] + "]") if found else []
        except ValueError as err:
            raise SearchError(f"{path}: {err}") from err
        pairs = [(postings[i], postings[i + 1]) for i in range(0, len(postings), 2) if postings[i] not in gone]
        extra = fresh.get(term, ())
        pairs += [(extra[i], extra[i + 1]) for i in range(0, len(extra), 2)]
        if pairs:
            pairs.sort()
            entry = term + '":' + json.dumps([x for pair in pairs for x in pair], separators=(",", ":"))[:-1]
            if found:
                entries[at] = entry
            else:
                entries.insert(at, entry)
        elif found:
            del entries[at]
    return ('{"' + '],"'.join(entries) + ']}').encode("utf-8") if entries else None
