"""plan(site) -> every page of the site as url, template and plain-data context."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, partial
from itertools import groupby

from . import files, markdown, network, structured
from .dates import DAY, MONTH, display_day
from .index import Entity, Key, Site, TimelineEntry
from .model import FOLDERS, ORGANISATION, PERSON, Article, Body
from .slugs import match_key, slugify

RECENT = 10
FEED_SIZE = 20
TIMELINE_PAGE = 300  # events: a longer timeline gets an index of years and a page per year
ARTICLES_PAGE = 300  # articles: more, and /articles/ shows the newest and the years of /archive/
ARTICLES_NEWEST = 50
PRECISION = {DAY: "day", MONTH: "month"}
DATE_LABELS = {"born": "Born", "died": "Died", "founded": "Founded", "dissolved": "Dissolved"}
FACT_LABELS = {"nationality": "Nationality", "kind": "Kind", "country": "Country"}


class Html:
    """Rendered HTML in a context: inserted unescaped."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __html__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def plain(value):
    """For json.dumps: Html as the text it stands for."""
    return str(value)


@dataclass(frozen=True, slots=True)
class Page:
    """One output file: its URL, its template and how to build its context.

    Contexts are built on demand, one page at a time: those of a 10,000-article
    site do not fit in memory together. Building one also gives the page's
    dependencies: every piece of the site it read (see _View.digest)."""

    url: str
    template: str
    make: Callable[[], tuple[dict, frozenset]]
    file: str = ""  # where the page is written, relative to output/

    def __post_init__(self):
        path = self.url.lstrip("/")
        object.__setattr__(self, "file", path + "index.html" if path.endswith("/") or not path else path)

    def context(self) -> dict:
        return self.make()[0]


@dataclass(frozen=True, slots=True)
class Plan:
    """Every page of a site, and the view that makes their contexts and digests their dependencies."""

    pages: list[Page]
    view: _View
    files: frozenset[str] = frozenset()  # every page's file

    def __post_init__(self):
        object.__setattr__(self, "files", frozenset(p.file for p in self.pages))

    def digest(self, token: tuple) -> str | None:
        return self.view.digest(token)


def plan(site: Site) -> Plan:
    """Every page of the site, in a stable order."""
    view = _View(site)
    specs: list[tuple[str, str, Callable[[], dict]]] = [("/", "home.html", view.home)]
    specs += [(f"/articles/{a.slug}/", "article.html", partial(view.article, a)) for a in site.articles]
    for entity in site.entities.values():
        specs.append((entity.url, "dossier.html", partial(view.dossier, entity)))
        specs.append((entity.url.rstrip("/") + ".json", "json", partial(view.dossier_data, entity)))
        specs.append((entity.url + "feed.xml", "feed.xml", partial(view.dossier_feed, entity)))
    for slug in site.stories:
        specs.append((f"/stories/{slug}/", "story.html", partial(view.story, slug)))
        specs.append((f"/stories/{slug}/feed.xml", "feed.xml", partial(view.story_feed, slug)))
    specs += [(f"/tags/{t}/", "tag.html", partial(view.tag, t)) for t in site.tags]
    specs += [
        ("/people/", "entities.html", partial(view.entity_index, PERSON)),
        ("/organisations/", "entities.html", partial(view.entity_index, ORGANISATION)),
        *view.article_pages(),
        ("/stories/", "stories.html", view.story_index),
        ("/tags/", "tags.html", view.tag_index),
        *view.timeline_pages(),
        ("/graph.json", "json", view.graph_data),
        ("/404.html", "404.html", lambda: {"title": "Page not found"}),
        ("/feed.xml", "feed.xml", view.site_feed),
        ("/robots.txt", "robots.txt", dict),
    ]
    if site.config.search:
        specs.append(("/search/", "search.html", lambda: {"title": "Search"}))
    view.html_urls = [url for url, template, _ in specs if template.endswith(".html") and url != "/404.html"]
    specs.append(("/sitemap.xml", "sitemap.xml", view.sitemap))
    pages = [Page(url, template, partial(view.page_context, url, template, make)) for url, template, make in specs]
    return Plan(pages, view)


def _hash(value) -> str:
    """A digest of plain data by its repr: tuples, strings, numbers, dates and records, never sets."""
    return hashlib.blake2b(repr(value).encode(), digest_size=12).hexdigest()


class _View:
    """Turns Site records into the plain data templates receive, and records what each page reads.

    While a page's context is made, every accessor adds a token for the piece of the
    site it returns ("teaser" of an article, "ref" of an entity, "mentions" of an
    entity...) to `reads`. digest(token) is a digest of that piece: a later build
    needs to remake only the pages one of whose tokens has a new digest."""

    def __init__(self, site: Site):
        self.site = site
        self.config = site.config
        self.settings = site.config.settings()
        self.by_path = {a.path: a for a in site.articles}
        self.events_of: dict[str, list[TimelineEntry]] = {}
        for entry in site.timeline:
            self.events_of.setdefault(entry.article.path, []).append(entry)
        # Each event, person and article appears on many pages: build its data once, with the
        # token (or the tokens) a page that shows it reads.
        self.refs: dict[Key, tuple[dict, tuple]] = {}
        self.entries: dict[int, tuple[dict, tuple]] = {}
        self.teasers: dict[str, tuple[dict, tuple]] = {}
        self.dossiers: dict[Key, tuple[dict, set]] = {}
        self.html_urls: list[str] = []
        self.reads: set = set()
        self._tokens: dict[tuple, tuple] = {}

    def forget(self) -> None:
        """Drop the pieces kept for the pages still to make; they are made again if needed."""
        self.refs, self.entries, self.teasers, self.dossiers = {}, {}, {}, {}

    # -- dependencies --------------------------------------------------------------------------

    def use(self, *token) -> None:
        self.reads.add(self._reading(*token))

    def _reading(self, *token) -> tuple:
        """A token, the same object every time (a page reads a million of them at 10,000 articles)."""
        return self._tokens.setdefault(token, token)

    def page_context(self, url: str, template: str, make: Callable[[], dict]) -> tuple[dict, frozenset]:
        self.reads = set()
        self.use("settings")
        context = {**make(), "site": self.settings, "url": url}
        if template.endswith(".html"):
            context["jsonld"] = structured.for_page(template, context, self.config.absolute_url, self.config.title)
        return context, frozenset(self.reads)

    def digest(self, token: tuple) -> str | None:
        """The digest of one piece of the site (None if it no longer exists): see the class doc."""
        kind, *args = token
        site = self.site
        arg = args[0] if args else None
        if kind == "settings":
            return _hash(self.settings)
        if kind in ("teaser", "article", "events", "named"):
            article = self.by_path.get(arg)
            if article is None:
                return None
            if kind == "teaser":
                return _hash((article.title, article.slug, article.summary, article.published, article.source,
                              article.author))
            if kind == "article":
                return site.sources[arg].hex()
            if kind == "events":
                return _hash([(e.event.date.edtf(), e.event.text, e.event.order, e.entities, e.event.source)
                              for e in self.events_of.get(arg, ())] + [article.title, article.slug, article.published])
            return _hash((site.named[arg], sorted(site.about[arg])))
        if kind == "links":
            return _hash(site.links.get(arg))
        if kind == "files":  # what the links and file fields written in one file name (files.py)
            return _hash(files.resolutions(site.files, arg))
        if kind == "documents":
            article = self.by_path.get(arg)
            return article and _hash((article.documents, article.title, article.slug,
                                      files.resolutions(site.files, article.src.path)))
        if kind in ("ref", "entity"):
            entity = site.entities.get(arg)
            if entity is None:
                return None
            if kind == "ref":
                return _hash((entity.name, entity.url, entity.kind))
            note = site.sources.get(entity.note.path) if entity.note else None
            return _hash((entity.name, entity.aliases, note))
        if kind in ("mentions", "timeline", "connections", "roles", "members", "parent", "children"):
            if kind == "mentions":
                return _hash([(m.article.path, m.role, bool(m.article.documents)) for m in site.mentions.get(arg, ())])
            if kind == "timeline":
                return _hash([(e.article.path, e.event.order) for e in site.timelines.get(arg, ())])
            table = {"connections": site.connections, "roles": site.roles, "members": site.members,
                     "parent": site.parents, "children": site.children}[kind]
            return _hash(table.get(arg))
        if kind in ("story", "storypage"):
            story = site.stories.get(arg)
            if story is None:
                return None
            if kind == "story":
                return _hash((story.title, story.summary, len(story.articles)))
            return _hash((story.title, story.summary, [a.path for a in story.articles],
                          site.sources.get(f"stories/{arg}.md")))
        if kind == "tag":
            tag = site.tags.get(arg)
            return tag and _hash((tag.name, [a.path for a in tag.articles]))
        if kind == "newest":
            return _hash([a.path for a in site.articles[:arg]])
        if kind == "articles":
            return _hash([a.path for a in site.articles])
        if kind == "all-stories":
            return _hash(list(site.stories))
        if kind == "all-tags":
            return _hash([(t.slug, t.name, len(t.articles)) for t in site.tags.values()])
        if kind == "covered":
            return _hash([self.most_covered(k) for k in (PERSON, ORGANISATION)])
        if kind == "entities":
            return _hash([(e.slug, e.name, e.aliases, len(site.mentions.get(e.key, ())))
                          for e in site.entities.values() if e.kind == arg])
        if kind == "whole-timeline":
            return _hash([(e.article.path, e.event.order) for e in site.timeline])
        if kind == "article-years":
            return _hash([(year, len(group)) for year, group in self.articles_by_year.items()])
        if kind == "article-year":
            return _hash([a.path for a in self.articles_by_year.get(arg, ())])
        if kind == "timeline-years":
            return _hash([(year, len(entries)) for year, entries in self.by_year.items()])
        if kind == "timeline-year":
            return _hash([(e.article.path, e.event.order) for e in self.by_year.get(arg, ())])
        if kind == "urls":
            return _hash(self.html_urls)
        raise ValueError(f"unknown dependency {token}")

    # -- pieces shown on many pages --------------------------------------------------------------

    def ref(self, key: Key) -> dict:
        hit = self.refs.get(key)
        if hit is None:
            entity = self.site.entities[key]
            hit = self.refs[key] = ({"name": entity.name, "url": entity.url, "kind": entity.kind},
                                    self._reading("ref", key))
        self.reads.add(hit[1])
        return hit[0]

    def body(self, body: Body) -> Html:
        self.use("links", body.src.path)
        keys = self.site.links.get(body.src.path) or (None,) * len(body.wikilinks)
        links = [markdown.link_html(self.config.url(self.ref(k)["url"]) if k else None, link.label,
                                    "wikilink") for k, link in zip(keys, body.wikilinks, strict=True)]
        if body.files:
            self.use("files", body.src.path)
        shown = files.body_files(self.config, self.site.files, body) if body.files else ()
        return Html(markdown.fill(body.html, links, self.config.base_path, shown))

    # -- files beside the text (files.py) --------------------------------------------------------

    def picture(self, picture, default_alt: str) -> dict | None:
        if picture and not picture.file.is_url:
            self.use("files", picture.file.src.path)
        return files.picture_data(self.config, self.site.files, picture, default_alt)

    def documents(self, article: Article) -> list[dict]:
        self.use("documents", article.path)
        return [files.document_data(self.config, self.site.files, d) for d in article.documents]

    def dossier_documents(self, mentions) -> list[dict]:
        """The documents of the articles naming an entity, newest first, each citing its article."""
        pairs = [(m.article, d) for m in mentions for d in m.article.documents]
        for path in dict.fromkeys(a.path for a, _ in pairs):
            self.use("documents", path)
        return [{**files.document_data(self.config, self.site.files, d),
                 "article": {"title": a.title, "url": f"/articles/{a.slug}/"}}
                for a, d in files.newest_documents(pairs)]

    def teaser(self, article: Article) -> dict:
        hit = self.teasers.get(article.path)
        if hit is None:
            hit = self.teasers[article.path] = (self._teaser(article), self._reading("teaser", article.path))
        self.reads.add(hit[1])
        return hit[0]

    def _teaser(self, article: Article) -> dict:
        return {"title": article.title, "url": f"/articles/{article.slug}/", "summary": article.summary,
                "date": display_day(article.published), "iso": article.published.date().isoformat(),
                "source": article.source}

    def entry(self, entry: TimelineEntry) -> dict:
        hit = self.entries.get(id(entry))
        if hit is None:
            reads, self.reads = self.reads, set()  # what this entry reads, kept with it
            data = self._entry(entry)
            self.use("events", entry.article.path)
            hit = self.entries[id(entry)] = (data, tuple(self.reads))
            self.reads = reads
        self.reads.update(hit[1])
        return hit[0]

    def _entry(self, entry: TimelineEntry) -> dict:
        span = entry.event.date
        return {"date": span.display(), "iso": span.iso(), "edtf": span.edtf(),
                "from": span.start.display() if span.interval and span.start else None,
                "to": span.end.display() if span.interval and span.end else None,
                "start": span.start.iso() if span.start else None,
                "end": span.end.iso() if span.end and span.interval else None,
                "precision": PRECISION.get(span.precision, "year"), "interval": span.interval,
                "approx": any(d and d.approx for d in (span.start, span.end)),
                "uncertain": any(d and d.uncertain for d in (span.start, span.end)),
                "year": (span.start or span.end).year, "text": entry.event.text,
                "article": {"title": entry.article.title, "url": f"/articles/{entry.article.slug}/"},
                "entities": [self.ref(k) for k in entry.entities], "source": self.event_source(entry)}

    def event_source(self, entry: TimelineEntry) -> dict | None:
        """An event's `source`: where the page links, the absolute URL, and what to call it."""
        source = entry.event.source
        if source is None:
            return None
        if not source.is_url:
            self.use("files", source.src.path)
        href, absolute, asset = files.links_of(self.config, self.site.files, source)
        label = source.target.split("?")[0].split("#")[0].rstrip("/").rsplit("/", 1)[-1] or source.target
        return {"href": href, "absolute": absolute, "label": label, "kind": asset.kind if asset else None}

    def timeline(self, entries) -> list[dict]:
        return [self.entry(e) for e in entries]

    def named(self, article: Article, kind: str) -> list[dict]:
        self.use("named", article.path)
        return [_with(self.ref(k), role=role, about=k in self.site.about[article.path])
                for k, role in self.site.named[article.path] if k[0] == kind]

    def story_teaser(self, slug: str) -> dict:
        self.use("story", slug)
        story = self.site.stories[slug]
        return {"title": story.title, "url": f"/stories/{slug}/", "summary": story.summary,
                "count": len(story.articles)}

    def mentions(self, key: Key) -> tuple:
        self.use("mentions", key)
        return self.site.mentions.get(key, ())

    def role(self, role, organisation: Key | None) -> dict:
        return {"title": role.title, "organisation": self.ref(organisation) if organisation else None,
                "from": role.start.display() if role.start else None,
                "from_iso": role.start.iso() if role.start else None,
                "to": role.end.display() if role.end else None,
                "to_iso": role.end.iso() if role.end else None}

    def most_covered(self, kind: str) -> list[tuple[Key, int]]:
        mentions = self.site.mentions
        keys = [k for k in self.site.entities if k[0] == kind and k in mentions]
        keys.sort(key=lambda k: (-len(mentions[k]), self.site.entities[k].name.casefold()))
        return [(k, len(mentions[k])) for k in keys[:RECENT]]

    # -- pages -----------------------------------------------------------------------------------

    def home(self) -> dict:
        self.use("newest", RECENT)
        self.use("all-stories")
        self.use("covered")

        def covered(kind):
            return [_with(self.ref(k), count=n) for k, n in self.most_covered(kind)]
        return {"title": self.config.title, "description": self.config.description,
                "articles": [self.teaser(a) for a in self.site.articles[:RECENT]],
                "stories": [self.story_teaser(s) for s in self.site.stories],
                "people": covered(PERSON), "organisations": covered(ORGANISATION)}

    def article(self, article: Article) -> dict:
        self.use("article", article.path)
        timeline = self.events_of.get(article.path, ())
        return {**self.teaser(article), "source_url": article.source_url, "author": article.author,
                "datetime": article.published.isoformat(), "body": self.body(article.body),
                "people": self.named(article, PERSON), "organisations": self.named(article, ORGANISATION),
                "timeline": self.timeline(timeline), "links": list(article.links),
                "tags": [{"name": t, "url": f"/tags/{slugify(t)}/"} for t in article.tags],
                "stories": [self.story_teaser(r.text) for r in article.stories],
                "image": self.picture(article.image, article.title), "documents": self.documents(article)}

    def dossier(self, entity: Entity) -> dict:
        # The page, its JSON and its feed are made one after the other: keep only the last one.
        if entity.key not in self.dossiers:
            outer, self.reads = self.reads, set()
            self.dossiers = {entity.key: (self._dossier(entity), self.reads)}
            self.reads = outer
        data, reads = self.dossiers[entity.key]
        self.reads |= reads
        return data

    def _dossier(self, entity: Entity) -> dict:
        key, note = entity.key, entity.note
        for part in ("entity", "timeline", "connections", "roles", "members", "parent", "children"):
            self.use(part, key)
        mentions = self.mentions(key)
        timeline = self.site.timelines.get(key, ())
        connections = [_with(self.ref(k), count=n) for k, n in self.site.connections.get(key, ())]
        return {
            "title": entity.name, "kind": entity.kind, "slug": entity.slug, "name": entity.name,
            "aliases": list(entity.aliases),
            "facts": [{"label": FACT_LABELS[k], "value": v} for k, v in (note.facts if note else ())],
            "dates": [{"label": DATE_LABELS[k], "date": d.display(), "iso": d.iso()}
                      for k, d in (note.dates if note else ())],
            "roles": [self.role(r.role, r.organisation) for r in self.site.roles.get(key, ())],
            "notes": self.body(note.body) if note else None,
            "links": list(note.links) if note else [],
            "timeline": self.timeline(timeline),
            "articles": [_with(self.teaser(m.article), role=m.role) for m in mentions],
            "connections": connections,
            "network": network.layout({"name": entity.name, "kind": entity.kind}, connections),
            "members": [{**self.ref(r.person), **self.role(r.role, None)} for r in self.site.members.get(key, ())],
            "parent": self.ref(self.site.parents[key]) if key in self.site.parents else None,
            "children": [self.ref(k) for k in self.site.children.get(key, ())],
            "counts": {"articles": len(mentions), "events": len(timeline)},
            "feed": entity.url + "feed.xml",
            "image": self.picture(note.image if note else None, entity.name),
            "documents": self.dossier_documents(mentions),
        }

    def dossier_data(self, entity: Entity) -> dict:
        return {"data": self.dossier_json(entity)}

    def dossier_json(self, entity: Entity) -> dict:
        page = self.dossier(entity)
        absolute = self.config.absolute_url

        def cite(item):
            return {"title": item["title"], "url": absolute(item["url"])}
        return {
            "kind": entity.kind, "slug": entity.slug, "name": entity.name, "aliases": page["aliases"],
            "url": absolute(entity.url),
            **{f["label"].lower(): f["value"] for f in page["facts"]},
            **{d["label"].lower(): d["iso"] for d in page["dates"]},
            "roles": [{"title": r["title"], "organisation": r["organisation"] and r["organisation"]["name"],
                       "from": r["from_iso"], "to": r["to_iso"]} for r in page["roles"]],
            "members": [{"name": m["name"], "url": absolute(m["url"]), "title": m["title"],
                         "from": m["from_iso"], "to": m["to_iso"]} for m in page["members"]],
            "parent": page["parent"] and page["parent"]["name"],
            "links": page["links"],
            "timeline": [{"date": e["edtf"], "text": e["text"], "source": cite(e["article"]),
                          **({"document": e["source"]["absolute"]} if e["source"] else {})} for e in page["timeline"]],
            "articles": [{**cite(a), "date": a["iso"], "role": a["role"], "source": a["source"]}
                         for a in page["articles"]],
            "connections": [{"name": c["name"], "kind": c["kind"], "url": absolute(c["url"]),
                             "articles": c["count"]} for c in page["connections"]],
            "image": page["image"] and {k: page["image"][k] for k in ("alt", "credit", "width", "height")}
            | {"url": page["image"]["absolute"]},
            "documents": [{"title": d["title"], "date": d["edtf"], "kind": d["kind"], "size": d["bytes"],
                           "url": d["absolute"], "source": cite(d["article"])} for d in page["documents"]],
        }

    def dossier_feed(self, entity: Entity) -> dict:
        return self.feed(self.ref(entity.key)["name"], entity.url, [m.article for m in self.mentions(entity.key)])

    def story(self, slug: str) -> dict:
        self.use("storypage", slug)
        story = self.site.stories[slug]
        for article in story.articles:
            self.use("named", article.path)
        counts: Counter = Counter(k for a in story.articles for k, _ in self.site.named[a.path])
        involved = sorted(counts, key=lambda k: (-counts[k], self.site.entities[k].name.casefold(), k))
        paths = {a.path for a in story.articles}
        entries = [e for e in self.site.timeline if e.article.path in paths]
        return {"title": story.title, "summary": story.summary,
                "body": self.body(story.note.body) if story.note else None,
                "articles": [self.teaser(a) for a in story.articles],
                "people": [_with(self.ref(k), count=counts[k]) for k in involved if k[0] == PERSON],
                "organisations": [_with(self.ref(k), count=counts[k]) for k in involved if k[0] == ORGANISATION],
                "timeline": self.timeline(entries), "feed": f"/stories/{slug}/feed.xml"}

    def story_feed(self, slug: str) -> dict:
        self.use("storypage", slug)
        story = self.site.stories[slug]
        return self.feed(story.title, f"/stories/{slug}/", story.articles[::-1])

    def tag(self, slug: str) -> dict:
        self.use("tag", slug)
        tag = self.site.tags[slug]
        return {"title": tag.name, "articles": [self.teaser(a) for a in tag.articles]}

    def entity_index(self, kind: str) -> dict:
        self.use("entities", kind)
        entities = sorted((e for e in self.site.entities.values() if e.kind == kind),
                          key=lambda e: (_sort_name(e.name), e.slug))
        groups = [{"letter": letter, "entries": [{**self.ref(e.key), "aliases": list(e.aliases),
                                                  "count": len(self.site.mentions.get(e.key, ()))} for e in group]}
                  for letter, group in groupby(entities, key=lambda e: _initial(e.name))]
        return {"title": FOLDERS[kind].capitalize(), "kind": kind, "groups": groups}

    def article_pages(self) -> list[tuple[str, str, Callable[[], dict]]]:
        """/articles/ with every article; or, for many, the newest and a page per year in /archive/
        (a year under /articles/ could be an article's slug)."""
        return _yearly("/articles/", "/archive/", "articles.html", len(self.site.articles) > ARTICLES_PAGE,
                       self.article_index, self.article_year, self.articles_by_year)

    @cached_property
    def articles_by_year(self) -> dict[int, list[Article]]:
        return _by_year(self.site.articles, lambda a: a.published.year)

    def article_index(self) -> dict:
        self.use("articles")
        groups = [{"year": year, "articles": [self.teaser(a) for a in group]}
                  for year, group in groupby(self.site.articles, key=lambda a: a.published.year)]
        return {"title": "Articles", "groups": groups, "years": [], "year": None}

    def article_year(self, year: int | None) -> dict:
        self.use("article-years")
        years = [{"year": y, "count": len(group), "url": f"/archive/{y}/"}
                 for y, group in self.articles_by_year.items()]
        if year is None:
            self.use("newest", ARTICLES_NEWEST)
            articles = self.site.articles[:ARTICLES_NEWEST]
            title = "Articles"
        else:
            self.use("article-year", year)
            articles = self.articles_by_year[year]
            title = f"Articles: {year}"
        groups = [{"year": y, "articles": [self.teaser(a) for a in group]}
                  for y, group in groupby(articles, key=lambda a: a.published.year)]
        return {"title": title, "groups": groups, "years": years, "year": year}

    def story_index(self) -> dict:
        self.use("all-stories")
        stories = sorted(self.site.stories, key=lambda s: _sort_name(self.site.stories[s].title))
        return {"title": "Stories", "stories": [self.story_teaser(s) for s in stories]}

    def tag_index(self) -> dict:
        self.use("all-tags")
        tags = sorted(self.site.tags.values(), key=lambda t: (_sort_name(t.name), t.slug))
        return {"title": "Tags", "tags": [{"name": t.name, "url": f"/tags/{t.slug}/", "count": len(t.articles)}
                                          for t in tags]}

    def timeline_pages(self) -> list[tuple[str, str, Callable[[], dict]]]:
        """/timeline/ with every event; or, for a long one, an index of years and a page per year."""
        return _yearly("/timeline/", "/timeline/", "timeline.html", len(self.site.timeline) > TIMELINE_PAGE,
                       self.whole_timeline, self.timeline_year, self.by_year)

    @cached_property
    def by_year(self) -> dict[int, list[TimelineEntry]]:
        years = _by_year(self.site.timeline, lambda e: (e.event.date.start or e.event.date.end).year)
        return dict(sorted(years.items()))

    def whole_timeline(self) -> dict:
        self.use("whole-timeline")
        return {"title": "Timeline", "timeline": self.timeline(self.site.timeline), "years": [], "year": None}

    def timeline_year(self, year: int | None) -> dict:
        self.use("timeline-years")
        years = [{"year": y, "count": len(entries), "url": f"/timeline/{y}/"} for y, entries in self.by_year.items()]
        if year is None:
            return {"title": "Timeline", "timeline": [], "years": years, "year": None}
        self.use("timeline-year", year)
        return {"title": f"Timeline: {year}", "timeline": self.timeline(self.by_year[year]), "years": years,
                "year": year}

    def graph_data(self) -> dict:
        return {"data": self.graph()}

    def graph(self) -> dict:
        """Nodes, and edges weighted by the articles in common, cited by slug (under "articles", the
        URL of the article pages). No titles: a title edit does not rewrite the whole graph."""
        self.use("entities", PERSON)
        self.use("entities", ORGANISATION)
        self.use("articles")  # their order
        absolute = self.config.absolute_url
        ids = {key: f"{FOLDERS[key[0]]}/{key[1]}" for key in self.site.entities}
        nodes = [{"id": ids[e.key], "kind": e.kind, "name": e.name, "url": absolute(e.url),
                  "articles": len(self.site.mentions.get(e.key, ()))} for e in self.site.entities.values()]
        pairs: dict[tuple[str, str], list[str]] = {}
        for article in reversed(self.site.articles):
            self.use("named", article.path)
            names = sorted(ids[k] for k, _ in self.site.named[article.path])
            for i, a in enumerate(names):
                for b in names[i + 1:]:
                    pairs.setdefault((a, b), []).append(article.slug)
        edges = [{"source": a, "target": b, "weight": len(slugs), "articles": slugs}
                 for (a, b), slugs in pairs.items()]
        return {"title": self.config.title, "articles": absolute("/articles/"), "nodes": nodes, "edges": edges}

    def site_feed(self) -> dict:
        self.use("newest", FEED_SIZE)
        return self.feed(None, "/", self.site.articles)

    def sitemap(self) -> dict:
        self.use("urls")
        return {"urls": self.html_urls}

    def feed(self, name: str | None, alternate: str, articles) -> dict:
        """An Atom feed of the newest articles (of the site, a dossier or a story)."""
        articles = articles[:FEED_SIZE]
        title = f"{name} · {self.config.title}" if name else self.config.title
        return {"title": title, "alternate": alternate,
                "updated": articles[0].published.isoformat() if articles else "1970-01-01T00:00:00+00:00",
                "entries": [_with(self.teaser(a), updated=a.published.isoformat(), author=a.author)
                            for a in articles]}


def _with(data: dict, **extra) -> dict:
    """Data shown on many pages with a few more values for this one (the shared dict is not changed)."""
    return {**data, **extra}


def _yearly(url: str, prefix: str, template: str, paged: bool, whole: Callable[[], dict],
            year_page: Callable[[int | None], dict], years: dict) -> list[tuple[str, str, Callable[[], dict]]]:
    """One page with everything; or, paged, an index at url and a page per year at prefix/<year>/."""
    if not paged:
        return [(url, template, whole)]
    return [(url, template, partial(year_page, None)),
            *((f"{prefix}{year}/", template, partial(year_page, year)) for year in years)]


def _by_year(items, year_of) -> dict[int, list]:
    years: dict[int, list] = {}
    for item in items:
        years.setdefault(year_of(item), []).append(item)
    return years


def _sort_name(name: str) -> str:
    return match_key(name)


def _initial(name: str) -> str:
    first = _sort_name(name)[:1].upper()
    return first if first.isalpha() else "#"
