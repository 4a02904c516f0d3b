"""The records content is loaded into: frozen, tuples not lists, each with its source position."""

from __future__ import annotations

import datetime as dt

from .dates import DateSpan
from .diagnostics import SourcePos
from .markdown import FileLink, WikiLink
from .records import record

PERSON, ORGANISATION = "person", "organisation"
KINDS = (PERSON, ORGANISATION)
FOLDERS = {PERSON: "people", ORGANISATION: "organisations"}


@record
class Ref:
    """A reference to a person or organisation as written: a name, slug or alias."""

    kind: str
    text: str
    src: SourcePos
    role: str | None = None
    counts_as_spelling: bool = True  # False for references from notes files


@record
class FileField:
    """A file as a field or a Markdown link names it: a content path (relative to the file it is
    written in, or to content/ with a leading '/') or an http(s) URL; resolved by files.py."""

    target: str
    src: SourcePos
    key: str = ""  # the field, as messages name it: "image", "documents[1].file"; "" in a body

    @property
    def is_url(self) -> bool:
        return self.target.startswith(("http://", "https://"))


@record
class Picture:
    """A lead or dossier picture: `image`, `image_alt`, `image_credit`."""

    file: FileField
    alt: str | None
    credit: str | None


@record
class Document:
    """An entry of an article's `documents:`: a primary source."""

    file: FileField
    title: str
    date: DateSpan | None
    src: SourcePos


@record
class Event:
    date: DateSpan
    text: str
    people: tuple[Ref, ...]
    organisations: tuple[Ref, ...]
    src: SourcePos
    order: int  # position in its article
    source: FileField | None = None  # the primary source of this fact


@record
class Body:
    """A rendered Markdown body: HTML with wikilink placeholders, and the wikilinks.

    The HTML is kept as UTF-8: as text, one curly quote or placeholder makes Python store every
    character in two bytes, and the bodies were 76 MB of a 10,000-article site's 180."""

    utf8: bytes
    wikilinks: tuple[WikiLink, ...]
    src: SourcePos  # the body's first line
    first_paragraph: str
    files: tuple[FileLink, ...] = ()  # links and pictures naming content files, by placeholder number

    @property
    def html(self) -> str:
        return self.utf8.decode()


@record
class Correction:
    """What an article's correction says, and when it was published."""

    date: dt.datetime
    text: str
    src: SourcePos


@record
class Relation:
    """A stated relation as written: in notes the first party is the file's entity (first is None)."""

    type: str
    first: Ref | None
    second: Ref
    role: str | None
    start: DateSpan | None
    end: DateSpan | None
    source: str | None  # an http(s) URL; an article is itself the citation of its relations
    src: SourcePos


@record
class Article:
    path: str  # relative to the content folder, with '/' separators
    slug: str
    title: str
    published: dt.datetime
    source: str | None
    source_url: str | None
    author: str | None
    summary: str
    stories: tuple[Ref, ...]  # kind "story"
    draft: bool
    tags: tuple[str, ...]
    people: tuple[Ref, ...]
    organisations: tuple[Ref, ...]
    events: tuple[Event, ...]
    links: tuple[str, ...]
    body: Body
    src: SourcePos
    image: Picture | None = None  # the lead picture
    documents: tuple[Document, ...] = ()
    relations: tuple[Relation, ...] = ()
    language: str | None = None  # the article's own, when it is not the site's (BCP 47)
    updated: dt.datetime | None = None  # as written; see modified
    corrections: tuple[Correction, ...] = ()

    @property
    def modified(self) -> dt.datetime | None:
        """When it was last updated: the later of `updated` and its last correction; None if never."""
        moments = [m for m in (self.updated, *(c.date for c in self.corrections)) if m is not None]
        return max(moments) if moments else None


@record
class Role:
    title: str
    organisation: Ref | None
    start: DateSpan | None
    end: DateSpan | None
    src: SourcePos


@record
class Note:
    """A person's or organisation's notes file."""

    kind: str
    slug: str
    name: str
    aliases: tuple[tuple[str, SourcePos], ...]
    facts: tuple[tuple[str, str], ...]  # (label, text): nationality, kind, country
    dates: tuple[tuple[str, DateSpan], ...]  # (field, date): born, died, founded, dissolved
    roles: tuple[Role, ...]
    parent: Ref | None
    links: tuple[str, ...]
    body: Body
    src: SourcePos
    name_src: SourcePos
    image: Picture | None = None
    path: str = ""  # relative to the content folder: people/<slug>.md or people/<slug>/index.md
    relations: tuple[Relation, ...] = ()


@record
class StoryNote:
    slug: str
    title: str
    summary: str
    body: Body
    src: SourcePos


@record
class Asset:
    """A file beside the text (not .md, not site.yaml, not hidden), as found in content/."""

    path: str  # relative to the content folder, with '/' separators
    size: int
    digest: bytes  # of its bytes (cache.file_digest)
    kind: str  # what a reader calls it: "PDF", "JPEG", "CSV"…
    picture: str | None  # "JPEG", "PNG", "WEBP"… when Pillow can read it
    width: int | None  # as shown (an EXIF orientation that turns it swaps them)
    height: int | None
    src: SourcePos
