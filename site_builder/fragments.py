"""Fragments: the only way a page reads the site, each defined once.

A fragment is a piece of the site that pages show (an article's teaser, a person's
name and URL, the articles naming someone...). Each kind is one `Fragment`:

- `select(src, arg)` takes from the index (`Sources`, the Site and lookups over it)
  the plain data the fragment is made from, its *inputs*. It is the only code that
  touches the Site; it raises KeyError when the piece no longer exists.
- `show(inputs, reader)` turns the inputs into what templates receive. It sees only
  the inputs and, through the reader, other fragments (a timeline entry shows the
  refs of the people it names by reading their "ref" fragments).

The digest of a fragment is the digest of its inputs: what a fragment shows is a pure
function of what its digest covers, so the two cannot drift apart. A page records
the fragments it reads (its dependencies); a later build remakes only the pages one of
whose fragments has a new digest (builder.update).

Adding a field to what a page shows: add it to the inputs a `select` returns and use
it in that fragment's `show` (docs/architecture.md has a worked example)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from . import files, i18n, markdown, relations, urls
from .dates import DAY, MONTH
from .i18n import N_
from .index import Key, Places, Site, TimelineEntry, article_path, graph_id
from .model import Article, Body, Note
from .slugs import slugify

PRECISION = {DAY: "day", MONTH: "month"}
DATE_LABELS = {"born": N_("Born"), "died": N_("Died"), "founded": N_("Founded"), "dissolved": N_("Dissolved")}
FACT_LABELS = {"nationality": N_("Nationality"), "kind": N_("Kind"), "country": N_("Country")}
RECENT = 10  # articles on the home page, people and organisations in its "most covered"


class Html:
    """Rendered HTML in a context: inserted unescaped."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __html__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Html({self.text!r})"

    def __bool__(self) -> bool:
        return bool(self.text)


def plain(value):
    """For json.dumps: Html as the text it stands for."""
    return str(value)


def fingerprint(inputs) -> str:
    """A digest of plain data by its repr: tuples, strings, numbers, dates and records, never sets.
    (Inputs that start with bytes, a body's, have those hashed as they are: their repr is slow.)"""
    if type(inputs) is tuple and inputs and type(inputs[0]) is bytes:
        digest = hashlib.blake2b(inputs[0], digest_size=12)
        digest.update(repr(inputs[1:]).encode())
        return digest.hexdigest()
    return hashlib.blake2b(repr(inputs).encode(), digest_size=12).hexdigest()


class Sources:
    """What fragments select from: the Site, and lookups over it made once per plan."""

    def __init__(self, site: Site):
        self.site = site
        self.config = site.config
        self.html_urls: tuple[str, ...] = ()  # every HTML page but 404, for the sitemap (set by pages.plan)
        # (what `over` hands on of the years made so far: the years, the fresh records, the old timeline)
        self._years: tuple[dict, dict, tuple] = ({}, {}, ())

    def over(self, site: Site, fresh: dict[str, Article | Note], places: Places | None = None) -> Sources:
        """Sources over a site whose only change is these articles' and notes files' records
        (Site.with_records, with these `places`): the lookups made so far are kept, with those
        files' entries replaced."""
        src = Sources(site)
        src.html_urls = self.html_urls
        made = self.__dict__
        notes = {path: note for path, note in fresh.items() if isinstance(note, Note)}
        fresh = {path: article for path, article in fresh.items() if path not in notes}
        if "articles" in made:
            src.articles = {**self.articles, **fresh}
        if "notes" in made:
            src.notes = {**self.notes, **notes}
        if "bodies" in made:
            src.bodies = {**self.bodies, **{path: record.body for path, record in (fresh | notes).items()}}
        if "events" in made:
            where = (places or Places()).of(("timeline",), site.timeline, article_path)
            src.events = {**self.events, **{path: [site.timeline[n] for n in where[path]]
                                            for path in fresh if path in self.events}}
        # The years keep their articles and events in the same order (dates are part of the structure
        # an edit of the text leaves as it was): made again from these with the fresh records, if asked.
        made_years = {name: made[name] for name in ("articles_by_year", "timeline_by_year") if name in made}
        src._years = (made_years, fresh, self.site.timeline)
        return src

    @cached_property
    def articles(self) -> dict[str, Article]:
        return {a.path: a for a in self.site.articles}

    @cached_property
    def events(self) -> dict[str, list[TimelineEntry]]:
        """Article path -> its timeline entries, in timeline order."""
        events: dict[str, list[TimelineEntry]] = {}
        for entry in self.site.timeline:
            events.setdefault(entry.article.path, []).append(entry)
        return events

    @cached_property
    def bodies(self) -> dict[str, Body]:
        """Content file -> its Markdown body: articles, notes and stories."""
        bodies = {a.path: a.body for a in self.site.articles}
        for entity in self.site.entities.values():
            if entity.note:
                bodies[entity.note.path] = entity.note.body
        for slug, story in self.site.stories.items():
            if story.note:
                bodies[story_file(slug)] = story.note.body
        return bodies

    @cached_property
    def notes(self) -> dict[str, Note]:
        """Notes file (people/x.md or people/x/index.md) -> its record."""
        return {e.note.path: e.note for e in self.site.entities.values() if e.note}

    @cached_property
    def story_events(self) -> dict[str, list[tuple[str, int]]]:
        """Story slug -> the (article, event) of its articles' events, in timeline order."""
        stories_of: dict[str, list[str]] = {}
        for slug, story in self.site.stories.items():
            for article in story.articles:
                stories_of.setdefault(article.path, []).append(slug)
        events: dict[str, list[tuple[str, int]]] = {slug: [] for slug in self.site.stories}
        for entry in self.site.timeline:
            for slug in stories_of.get(entry.article.path, ()):
                events[slug].append((entry.article.path, entry.event.order))
        return events

    @cached_property
    def articles_by_year(self) -> dict[int, list[Article]]:
        before, fresh, _ = self._years
        if "articles_by_year" in before:
            return {year: [fresh.get(a.path, a) for a in group] for year, group in before["articles_by_year"].items()}
        return by_year(self.site.articles, lambda a: a.published.year)

    @cached_property
    def timeline_by_year(self) -> dict[int, list[TimelineEntry]]:
        before, _, timeline = self._years
        if "timeline_by_year" in before:
            new = {id(old): entry for old, entry in zip(timeline, self.site.timeline, strict=True) if old is not entry}
            return {year: [new.get(id(e), e) for e in group] for year, group in before["timeline_by_year"].items()}
        return dict(sorted(by_year(self.site.timeline, event_year).items()))


def story_file(slug: str) -> str:
    return f"stories/{slug}.md"


def event_year(entry: TimelineEntry) -> int:
    """The year a timeline entry is listed under: its start's, or its end's for `../2020`."""
    return (entry.event.date.start or entry.event.date.end).year


def by_year(items, year_of) -> dict[int, list]:
    years: dict[int, list] = {}
    for item in items:
        years.setdefault(year_of(item), []).append(item)
    return years


def _same(inputs, reader):
    return inputs


@dataclass(frozen=True, slots=True)
class Fragment:
    """One kind of fragment (see the module doc). `of` says what its argument names: "file" (a
    content file's path: an edit to that file's text can change it), "entity", "story", "tag",
    "year", "count", "kind" or "site" (no argument). `shared` fragments appear on many pages: the
    reader keeps what they show for the build instead of making it again."""

    kind: str
    of: str
    select: Callable[[Sources, object], object]
    show: Callable[[object, Reader], object] = _same
    shared: bool = False


FRAGMENTS: dict[str, Fragment] = {}


def fragment(kind: str, of: str, shared: bool = False):
    """Register a fragment: decorate its select function; `.shows` registers its show function."""
    def register(select):
        FRAGMENTS[kind] = Fragment(kind, of, select, _same, shared)

        def shows(show):
            FRAGMENTS[kind] = Fragment(kind, of, select, show, shared)
            return show
        select.shows = shows
        return select
    return register


def in_file(path: str) -> set[tuple]:
    """The fragments an edit to the text of one content file can change, when it changes nothing
    the index is built from (saved.structure): those of that file."""
    return {(f.kind, path) for f in FRAGMENTS.values() if f.of == "file"}


_UNDIGESTED = object()  # in Reader._digests: the fragment may have changed since its digest was taken


class Reader:
    """Reads fragments for the pages of one plan, recording what each page reads.

    `reads` collects the tokens ((kind, arg)) read while one page's context is made;
    digest(token) is the digest of a fragment's inputs (None if it no longer exists)."""

    def __init__(self, src: Sources):
        self.sources = src
        self.config = src.config
        self.memo: dict = {}  # for page kinds: what they keep while this reader makes pages
        self.reads: set = set()
        self._shown: dict[tuple, tuple] = {}  # token -> (what it shows, the tokens showing it read)
        # token -> the shown tokens whose showing read it: what `over` drops with a suspect. Shared
        # with the readers made by `over` (who may add to it): it may name more than it must.
        self._users: dict[tuple, list[tuple]] = {}
        self._digests: dict[tuple, str | None] = {}
        self._tokens: dict[tuple, tuple] = {}

    @cached_property
    def words(self) -> i18n.Words:
        """The site's interface words, date forms and A–Z order (i18n.py). Not an input of any
        fragment: they depend on the settings, which every page reads (SiteConfig.settings has the
        catalogue's digest), so a change of words remakes every page."""
        return i18n.for_site(self.config)

    def over(self, src: Sources, suspects: set) -> Reader:
        """A reader of new sources in which only the `suspects` fragments may differ: what this one
        has shown and digested of the other fragments is kept (the preview, after a text edit)."""
        reader = Reader(src)
        reader._tokens, reader._users = self._tokens, self._users
        reader._digests, reader._shown = dict(self._digests), dict(self._shown)  # (copies: this one stays usable)
        digests = reader._digests
        for token in suspects:
            if token in digests:  # (marked, not deleted: a dict with a deleted entry copies five times
                digests[token] = _UNDIGESTED  # slower, 14 ms for the 117,000 digests of a big site)
            reader._shown.pop(token, None)
            for user in self._users.get(token, ()):
                reader._shown.pop(user, None)
        return reader

    def token(self, kind: str, arg=None) -> tuple:
        """(kind, arg), the same tuple every time: a big site's pages read a million of them."""
        key = (kind, arg)
        return self._tokens.setdefault(key, key)

    def read(self, kind: str, arg=None):
        """What a fragment shows; the page being made now depends on it."""
        token = self.token(kind, arg)
        hit = self._shown.get(token)
        if hit is None:
            definition = FRAGMENTS[kind]
            inputs = definition.select(self.sources, arg)
            if self._digests.get(token, _UNDIGESTED) is _UNDIGESTED:  # (a fragment not kept, read again)
                self._digests[token] = fingerprint(inputs)
            outer, self.reads = self.reads, set()
            try:
                hit = (definition.show(inputs, self), tuple(self.reads))
            finally:
                self.reads = outer
            if definition.shared:
                self._shown[token] = hit
                for read in hit[1]:
                    self._users.setdefault(read, []).append(token)
        self.reads.add(token)
        if hit[1]:
            self.reads.update(hit[1])
        return hit[0]

    def digest(self, token: tuple) -> str | None:
        digest = self._digests.get(token, _UNDIGESTED)
        if digest is not _UNDIGESTED:
            return digest
        kind, arg = token
        try:
            digest = fingerprint(FRAGMENTS[kind].select(self.sources, arg))
        except KeyError:
            digest = None
        self._digests[token] = digest
        return digest

    def forget(self, everything: bool = False) -> None:
        """Drop what shared fragments show; they are made again if needed. With `everything`, the
        digests and tokens too: no reader will start `over` from this one."""
        self._shown, self._users, self.memo = {}, {}, {}
        if everything:
            self._digests, self._tokens = {}, {}


# -- settings ------------------------------------------------------------------------------------

@fragment("settings", "site")
def _settings(src: Sources, _):
    return src.config.settings()


# -- an article's pieces (by its path) -----------------------------------------------------------

@fragment("teaser", "file", shared=True)
def _teaser(src: Sources, path: str):
    a = src.articles[path]
    return (a.title, a.slug, a.summary, a.published, a.source, a.language, a.modified)


@_teaser.shows
def _show_teaser(inputs, r: Reader) -> dict:
    title, slug, summary, published, source, language, modified = inputs
    return {"title": title, "url": urls.article(slug), "summary": summary, "date": r.words.day(published),
            "iso": published.date().isoformat(), "source": source, "language": language,
            "modified_iso": modified and modified.isoformat()}


@fragment("feed-entry", "file")
def _feed_entry(src: Sources, path: str):
    a = src.articles[path]
    return (a.published, a.modified, a.author)


@_feed_entry.shows
def _show_feed_entry(inputs, r: Reader) -> dict:
    published, modified, author = inputs
    return {"updated": (modified or published).isoformat(), "published": published.isoformat(), "author": author}


@fragment("article", "file")
def _article(src: Sources, path: str):
    """What only an article's own page shows of it."""
    a = src.articles[path]
    return (a.source_url, a.author, a.published, a.links, a.tags, tuple(r.text for r in a.stories), a.modified,
            tuple((c.date, c.text) for c in a.corrections))


@_article.shows
def _show_article(inputs, r: Reader) -> dict:
    source_url, author, published, links, tags, stories, modified, corrections = inputs
    words = r.words
    return {"source_url": source_url, "author": author, "datetime": published.isoformat(), "links": list(links),
            "tags": [{"name": t, "url": urls.tag(slugify(t))} for t in tags], "stories": stories,
            "modified": modified and words.day(modified),
            "corrections": [{"date": words.day(date), "iso": date.isoformat(), "text": text}
                            for date, text in corrections]}


@fragment("body", "file")
def _body(src: Sources, path: str):
    """A Markdown body (of an article, a notes or a story file) with its wikilinks resolved."""
    body = src.bodies[path]
    keys = src.site.links.get(body.src.path) or (None,) * len(body.wikilinks)
    return (body.utf8, tuple(link.label for link in body.wikilinks), keys,
            files.body_inputs(src.site.files, body) if body.files else ())


@_body.shows
def _show_body(inputs, r: Reader) -> Html:
    utf8, labels, keys, shown = inputs
    config = r.config
    links = [markdown.link_html(config.url(urls.entity(*k)) if k else None, label, "wikilink")
             for k, label in zip(keys, labels, strict=True)]
    return Html(markdown.fill(utf8.decode(), links, config.base_path, files.body_files(config, shown)))


@fragment("events", "file", shared=True)
def _events(src: Sources, path: str):
    """An article's events as timeline entries show them."""
    a = src.articles[path]
    found = src.site.files
    return (a.title, a.slug, tuple((e.event.date, e.event.text, e.event.order, e.entities,
                                    e.event.source and files.link_inputs(found, e.event.source))
                                   for e in src.events.get(path, ())))


@_events.shows
def _show_events(inputs, r: Reader) -> dict[int, dict]:
    """Event order -> timeline entry, in timeline order."""
    title, slug, events = inputs
    article = {"title": title, "url": urls.article(slug)}
    return {order: _entry(r.words, span, text, article, [r.read("ref", k) for k in keys],
                          files.source_data(r.config, r.words, source))
            for span, text, order, keys, source in events}


def _entry(words: i18n.Words, span, text: str, article: dict, entities: list, source: dict | None = None) -> dict:
    return {"date": words.span(span), "iso": span.iso(), "edtf": span.edtf(),
            "from": words.partial(span.start) if span.interval and span.start else None,
            "to": words.partial(span.end) if span.interval and span.end else None,
            "start": span.start.iso() if span.start else None,
            "end": span.end.iso() if span.end and span.interval else None,
            "precision": PRECISION.get(span.precision, "year"), "interval": span.interval,
            "approx": any(d and d.approx for d in (span.start, span.end)),
            "uncertain": any(d and d.uncertain for d in (span.start, span.end)),
            "year": (span.start or span.end).year, "text": text, "article": article, "entities": entities,
            "source": source}


@fragment("named", "file")
def _named(src: Sources, path: str):
    """The entities an article names: (key, role, whether its own lists name it, not only a wikilink
    or an event)."""
    about = src.site.about[path]
    return tuple((k, role, k in about) for k, role in src.site.named[path])


@fragment("picture", "file")
def _picture(src: Sources, path: str):
    """The lead picture of an article or the picture of a notes file, by that file's path, with
    what it says when it has no alt text (the title, the name)."""
    if path in src.notes:
        note = src.notes[path]
        return (files.picture_inputs(src.site.files, note.image), note.name)
    a = src.articles[path]
    return (files.picture_inputs(src.site.files, a.image), a.title)


@_picture.shows
def _show_picture(inputs, r: Reader) -> dict | None:
    picture, default_alt = inputs
    return files.picture_data(r.config, picture, default_alt)


@fragment("documents", "file", shared=True)
def _documents(src: Sources, path: str):
    """An article's `documents:`, with the order a dossier sorts them in (files.document_order)."""
    a = src.articles[path]
    return tuple((files.document_order(d, a.published), files.document_inputs(src.site.files, d))
                 for d in a.documents)


@_documents.shows
def _show_documents(inputs, r: Reader) -> list[tuple]:
    """(order, document) of each document."""
    return [(order, files.document_data(r.config, r.words, document)) for order, document in inputs]


# -- an entity's pieces (by its key) -------------------------------------------------------------

@fragment("ref", "entity", shared=True)
def _ref(src: Sources, key: Key):
    entity = src.site.entities[key]
    return (entity.kind, entity.slug, entity.name)


@_ref.shows
def _show_ref(inputs, r: Reader) -> dict:
    kind, slug, name = inputs
    return {"name": name, "url": urls.entity(kind, slug), "kind": kind}


@fragment("entity", "entity")
def _entity(src: Sources, key: Key):
    """What a dossier shows of its entity and notes file."""
    entity = src.site.entities[key]
    note = entity.note
    return (entity.kind, entity.slug, entity.name, entity.aliases, note.facts if note else (),
            note.dates if note else (), note.links if note else (), note and note.path)


@_entity.shows
def _show_entity(inputs, r: Reader) -> dict:
    kind, slug, name, aliases, facts, dates, links, note = inputs
    words = r.words
    return {"title": name, "kind": kind, "slug": slug, "name": name, "aliases": list(aliases),
            "facts": [{"key": k, "label": words(FACT_LABELS[k]), "value": v} for k, v in facts],
            "dates": [{"key": k, "label": words(DATE_LABELS[k]), "date": words.span(d), "iso": d.iso()}
                      for k, d in dates],
            "notes": r.read("body", note) if note else None, "links": list(links),
            "image": r.read("picture", note) if note else None}


@fragment("mentions", "entity", shared=True)
def _mentions(src: Sources, key: Key):
    """The articles naming an entity, newest first, with the role each gives it and whether it has
    documents (the dossier reads only those articles' "documents")."""
    return tuple((m.article.path, m.role, bool(m.article.documents)) for m in src.site.mentions.get(key, ()))


@fragment("timeline", "entity", shared=True)
def _timeline(src: Sources, key: Key):
    """The events naming an entity: (article, event order)."""
    return tuple((e.article.path, e.event.order) for e in src.site.timelines.get(key, ()))


@fragment("dossier-years", "entity", shared=True)
def dossier_years(src: Sources, key: Key):
    """The year of each article naming an entity (in the order of "mentions") and of each of its
    events (in the order of "timeline"): what a long dossier is paged by (page_kinds.Dossier).
    Dates are part of the structure, so a title or text edit leaves this as it was."""
    return (tuple(m.article.published.year for m in src.site.mentions.get(key, ())),
            tuple(event_year(e) for e in src.site.timelines.get(key, ())))


@fragment("connections", "entity")
def _connections(src: Sources, key: Key):
    return src.site.connections.get(key, ())


@fragment("roles", "entity")
def _roles(src: Sources, key: Key):
    return tuple((h.role.title, h.organisation, h.role.start, h.role.end) for h in src.site.roles.get(key, ()))


@_roles.shows
def _show_roles(inputs, r: Reader) -> list[dict]:
    return [role(r.words, title, r.read("ref", org) if org else None, start, end)
            for title, org, start, end in inputs]


def role(words: i18n.Words, title: str, organisation: dict | None, start, end) -> dict:
    return {"title": title, "organisation": organisation,
            "from": words.span(start) if start else None, "from_iso": start.iso() if start else None,
            "to": words.span(end) if end else None, "to_iso": end.iso() if end else None}


@fragment("members", "entity")
def _members(src: Sources, key: Key):
    return tuple((h.person, h.role.title, h.role.start, h.role.end) for h in src.site.members.get(key, ()))


@_members.shows
def _show_members(inputs, r: Reader) -> list[dict]:
    return [{**r.read("ref", person), **role(r.words, title, None, start, end)}
            for person, title, start, end in inputs]


@fragment("parent", "entity")
def _parent(src: Sources, key: Key):
    return src.site.parents.get(key)


@fragment("children", "entity")
def _children(src: Sources, key: Key):
    return src.site.children.get(key, ())


@fragment("relations", "entity")
def _relations(src: Sources, key: Key):
    """An entity's stated relations, merged (in index.by_entity's order: by type, then the other
    party's name): what each is, its parties, and the articles and URLs citing it."""
    return key, tuple((rel.type, rel.first, rel.second, rel.role, rel.start, rel.end, rel.articles, rel.urls)
                      for rel in src.site.related.get(key, ()))


@_relations.shows
def _show_relations(inputs, r: Reader) -> list[dict]:
    """As the dossier reads them (relations.phrase_of), with the other party's ref and every citation."""
    key, stated = inputs
    result = []
    for type, first, second, role, start, end, articles, sources in stated:
        other = second if first == key else first
        before, after = relations.phrase_of(type, first == key, role, r.words)
        result.append({"type": type, "label": r.words(relations.LABELS[type]), "key": other,
                       "other": r.read("ref", other), "first": first == key,
                       "before": before, "after": after, "role": role,
                       **span_fields(r.words, start, "from"), **span_fields(r.words, end, "to"),
                       "articles": [r.read("teaser", path) for path in articles], "sources": list(sources)})
    return result


def span_fields(words: i18n.Words, span, name: str) -> dict:
    """A relation's from or to: as shown, as ISO for <time>, as written (EDTF) for JSON."""
    return {name: span and words.span(span), f"{name}_iso": span and span.iso(), f"{name}_edtf": span and span.edtf()}


# -- stories and tags ----------------------------------------------------------------------------

@fragment("story", "story")
def _story(src: Sources, slug: str):
    story = src.site.stories[slug]
    return (slug, story.title, story.summary, len(story.articles))


@_story.shows
def _show_story(inputs, r: Reader) -> dict:
    slug, title, summary, count = inputs
    return {"title": title, "url": urls.story(slug), "summary": summary, "count": count}


@fragment("storypage", "story")
def _storypage(src: Sources, slug: str):
    """What a story's page and feed show: its articles (oldest first), the entities they name (the
    most named first), their events, and whether it has a story file."""
    story = src.site.stories[slug]
    return (story.title, story.summary, tuple(a.path for a in story.articles), story.note is not None,
            src.site.story_ranking(slug), tuple(src.story_events[slug]))


@fragment("tag", "tag")
def _tag(src: Sources, slug: str):
    """A tag's name and its articles, newest first."""
    tag = src.site.tags[slug]
    return (tag.name, tuple(a.path for a in tag.articles))


@fragment("tag-years", "tag")
def tag_years(src: Sources, slug: str):
    """The year each of a tag's articles was published in (in the order of "tag"): what the pages
    of a tag on many articles are by (page_kinds.TagPage). A title or text edit leaves it as it was."""
    return tuple(a.published.year for a in src.site.tags[slug].articles)


# -- lists over the whole site -------------------------------------------------------------------

@fragment("newest", "count")
def _newest(src: Sources, count: int):
    """The newest articles: (path, year of publication)."""
    return tuple((a.path, a.published.year) for a in src.site.articles[:count])


@fragment("articles", "site")
def _all_articles(src: Sources, _):
    """Every article, newest first: (path, slug, year of publication)."""
    return tuple((a.path, a.slug, a.published.year) for a in src.site.articles)


@fragment("article-years", "site")
def _article_years(src: Sources, _):
    return tuple((year, len(group)) for year, group in src.articles_by_year.items())


@fragment("article-year", "year")
def _article_year(src: Sources, year: int):
    return tuple(a.path for a in src.articles_by_year[year])


@fragment("all-stories", "site")
def _all_stories(src: Sources, _):
    return tuple(src.site.stories)


@fragment("all-tags", "site")
def _all_tags(src: Sources, _):
    return tuple((t.slug, t.name, len(t.articles)) for t in src.site.tags.values())


@fragment("covered", "kind")
def _covered(src: Sources, kind: str):
    return src.site.most_covered(kind, RECENT)


@fragment("entities", "kind")
def _entities(src: Sources, kind: str):
    """Every entity of a kind: (key, name, aliases, how many articles name it)."""
    mentions = src.site.mentions
    return tuple((e.key, e.name, e.aliases, len(mentions.get(e.key, ())))
                 for e in src.site.entities.values() if e.kind == kind)


@fragment("whole-timeline", "site")
def _whole_timeline(src: Sources, _):
    return tuple((e.article.path, e.event.order) for e in src.site.timeline)


@fragment("timeline-years", "site")
def _timeline_years(src: Sources, _):
    return tuple((year, len(entries)) for year, entries in src.timeline_by_year.items())


@fragment("timeline-year", "year")
def _timeline_year(src: Sources, year: int):
    return tuple((e.article.path, e.event.order) for e in src.timeline_by_year[year])


@fragment("all-relations", "site")
def _all_relations(src: Sources, _):
    """Every stated relation, for the graph: parties by graph id, the slugs of the articles citing it."""
    return tuple((rel.type, graph_id(rel.first), graph_id(rel.second), rel.role, rel.start and rel.start.edtf(),
                  rel.end and rel.end.edtf(), tuple(src.articles[p].slug for p in rel.articles), rel.urls)
                 for rel in src.site.relations)


@fragment("urls", "site")
def _urls(src: Sources, _):
    return src.html_urls
