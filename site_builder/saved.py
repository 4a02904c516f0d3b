"""The index of the last build, saved without the records it points to.

The index (index.Site) is built from the names, dates, events, tags, stories and
wikilinks of the content files. When a build finds that the only files changed
are articles in which none of those changed (a title, a paragraph, a summary), or
notes files of which only the text changed, it loads the saved index and points it
at the records just read, instead of indexing the site again: the same Site, a
fraction of the time. Records are written as
references (an article by its path, an event by its article and position), so
the saved file stays valid for any such edit."""

from __future__ import annotations

import contextvars
import dataclasses
import io
import pickle
from collections.abc import Mapping
from typing import TYPE_CHECKING

from . import files
from .config import SiteConfig
from .fragments import in_file
from .index import Site
from .load import ASSET, Content, Entry
from .model import Article, Note, Ref

if TYPE_CHECKING:
    from .pages import Page


class _Pickler(pickle.Pickler):
    """Writes records (and their events and roles) as references. reducer_override, unlike
    persistent_id, is not called for strings, numbers, tuples, lists and dicts: most objects."""

    def __init__(self, stream, site: Site, content: Content):
        super().__init__(stream, protocol=pickle.HIGHEST_PROTOCOL)
        self.ids: dict[int, tuple] = {id(site.config): ("config",)}
        for article in content.articles:
            self.ids[id(article)] = ("article", article.path)
            for event in article.events:
                self.ids[id(event)] = ("event", article.path, event.order)
        for note in content.notes:
            self.ids[id(note)] = ("note", note.kind, note.slug)
            for number, role in enumerate(note.roles):
                self.ids[id(role)] = ("role", note.kind, note.slug, number)
        for story in content.stories:
            self.ids[id(story)] = ("story", story.slug)

    def reducer_override(self, obj):
        ref = self.ids.get(id(obj))
        return NotImplemented if ref is None else (_record, ref)


class _Records:
    """The records a saved index is loaded against, by reference."""

    def __init__(self, config: SiteConfig, content: Content):
        self.config = config
        self.articles = {a.path: a for a in content.articles}
        self.events = {(a.path, e.order): e for a in content.articles for e in a.events}
        self.notes = {(n.kind, n.slug): n for n in content.notes}
        self.stories = {s.slug: s for s in content.stories}

    def get(self, kind: str, *key):
        if kind == "config":
            return self.config
        if kind == "article":
            return self.articles[key[0]]
        if kind == "event":
            return self.events[key]
        if kind == "note":
            return self.notes[key]
        if kind == "role":
            return self.notes[key[:2]].roles[key[2]]
        return self.stories[key[0]]


_LOADING: contextvars.ContextVar[_Records] = contextvars.ContextVar("records")


def _record(*ref):
    return _LOADING.get().get(*ref)


def dumps(site: Site, content: Content, pages: list[Page]) -> bytes:
    """The index with the pages planned over it (pages.plan): the plan is a function of the
    index's structure alone, and making it again was a tenth of a build after an edit."""
    stream = io.BytesIO()
    _Pickler(stream, site, content).dump((site, pages))
    return stream.getvalue()


def loads(data: bytes, config: SiteConfig, content: Content) -> tuple[Site, list[Page]] | None:
    """The saved index pointed at these records, and its pages; None if a record is missing."""
    token = _LOADING.set(_Records(config, content))
    try:
        site, pages = pickle.loads(data)
    except (KeyError, IndexError, AttributeError, pickle.UnpicklingError, EOFError):
        return None
    finally:
        _LOADING.reset(token)
    return dataclasses.replace(site, sources=content.sources), pages


def _refs(refs: tuple[Ref, ...]) -> tuple:
    return tuple((r.kind, r.text, r.role, r.counts_as_spelling, r.src) for r in refs)


def structure(article: Article) -> tuple:
    """Everything of an article that the index reads: if it is unchanged, so is the index."""
    return (article.path, article.slug, article.published, article.draft, article.tags, article.src,
            _refs(article.stories), _refs(article.people), _refs(article.organisations),
            tuple((e.date, e.order, e.src, _refs(e.people), _refs(e.organisations)) for e in article.events),
            article.body.src, tuple((w.target, w.kind, w.line) for w in article.body.wikilinks),
            files.written(article), article.relations)


def note_structure(note: Note) -> Note:
    """Everything of a notes file but the text of its body: if it is unchanged, so is the index
    (the body's wikilinks, files and first line are part of it)."""
    return dataclasses.replace(note, body=dataclasses.replace(note.body, utf8=b"", first_paragraph=""))


def _same_structure(rel: str, old, new) -> bool:
    if rel.startswith("articles/") and rel.endswith(".md"):
        return isinstance(old, Article) and isinstance(new, Article) and structure(old) == structure(new)
    return isinstance(old, Note) and isinstance(new, Note) and note_structure(old) == note_structure(new)


def text_edits(indexed: Mapping[str, bytes], before: Mapping[str, Entry], after: Mapping[str, Entry]) -> set | None:
    """The one rule, for build and serve alike, of when an index can be reused: the fragments that
    may have changed, if every content file that differs from those the index was made from
    (`indexed`: path -> digest) is an article whose structure, or a notes file whose structure
    (all but its text), and diagnostics are as they were; None if the site must be indexed again.
    `before` holds the entries the index was made from, `after` those of the files as they are now
    (every content file)."""
    if len(indexed) != len(after):
        return None  # a file added or deleted
    suspects: set = set()
    for rel, digest in indexed.items():
        new = after.get(rel) or after.get(ASSET + rel)  # (a file beside the text is cached as ASSET + path)
        if new is None:
            return None  # a file added or deleted
        if new.digest == digest:
            continue
        old = before.get(rel)
        if old is None or old.digest != digest or old.record is None or new.record is None \
                or old.diags != new.diags or not _same_structure(rel, old.record, new.record):
            return None
        suspects |= in_file(rel)
    return suspects
