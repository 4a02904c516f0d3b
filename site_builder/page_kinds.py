"""The kinds of page: which pages of a kind the site has, and how each one's context is made.

`pages(src)` lists a kind's pages as (url, template, make) from the index's structure;
`make(reader)` makes one page's context from fragments only (fragments.py): a context
function never sees the Site, so everything a page shows is covered by the digests of
the fragments it read."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from functools import partial
from itertools import groupby

from . import network, urls
from .fragments import RECENT, Reader, Sources, dossier_years, story_file, tag_years
from .i18n import N_
from .index import Key, graph_edges
from .model import FOLDERS, ORGANISATION, PERSON

FEED_SIZE = 20
TIMELINE_PAGE = 300  # events: a longer timeline gets an index of years and a page per year
ARTICLES_PAGE = 300  # articles: more, and /articles/ shows the newest and the years of /archive/
ARTICLES_NEWEST = 50
DOSSIER_PAGE = 300  # articles and events: a dossier naming more shows its newest and has a page per year
DOSSIER_NEWEST = 50  # of its articles, and of its events, on such a dossier
TAG_PAGE = 300  # articles: a tag on more shows its newest and has a page per year
TAG_NEWEST = 50
INDEX_TITLES = {PERSON: N_("People"), ORGANISATION: N_("Organisations")}

Spec = tuple[str, str, Callable[[Reader], dict]]  # url, template, make(reader) -> context


def _with(data: dict, **extra) -> dict:
    """Data shown on many pages with a few more values for this one (the shared dict is not changed)."""
    return {**data, **extra}


def _refs(r: Reader, counted) -> list[dict]:
    """Refs of (key, count) pairs, each with its count."""
    return [_with(r.read("ref", k), count=n) for k, n in counted]


def _entries(r: Reader, events) -> list[dict]:
    """Timeline entries of (article path, event order) pairs."""
    return [r.read("events", path)[order] for path, order in events]


def _articles(r: Reader, mentions) -> list[dict]:
    """Teasers of an entity's mentions (path, role, has documents), each with its role."""
    return [_with(r.read("teaser", path), role=role) for path, role, _ in mentions]


def _paged(articles, events) -> bool:
    """Whether a dossier of these articles and events is long enough for a page per year."""
    return len(articles) + len(events) > DOSSIER_PAGE


def _kept(r: Reader, name: str, key: Key, make: Callable[[], object]):
    """make(), kept while the pages of one entity are made one after another (its page, JSON, feed
    and years): made once, and what it read added to the reads of each page using it."""
    last = r.memo.get(name)
    if last is None or last[0] != key:
        outer, r.reads = r.reads, set()
        try:
            value = make()
        finally:
            reads, r.reads = r.reads, outer
        last = r.memo[name] = (key, value, reads)
    r.reads |= last[2]
    return last[1]


def _dossier_years(key: Key, r: Reader) -> list[dict]:
    """The years of a long dossier, newest first, each with how many articles and events it has."""
    def make():
        article_years, event_years = r.read("dossier-years", key)
        counts = Counter(article_years) + Counter(event_years)
        return [{"year": year, "count": counts[year], "url": urls.entity_year(*key, year)}
                for year in sorted(counts, reverse=True)]
    return _kept(r, "dossier-years", key, make)


def _documents(r: Reader, paths) -> list[dict]:
    """The documents of these articles, newest first (files.document_order), each citing its article."""
    found = []
    for path in paths:
        teaser = r.read("teaser", path)
        article = {"title": teaser["title"], "url": teaser["url"]}
        found += [((*order, path), {**document, "article": article}) for order, document in r.read("documents", path)]
    return [document for _, document in sorted(found, key=lambda pair: pair[0], reverse=True)]


def _teasers(r: Reader, paths) -> list[dict]:
    return [r.read("teaser", path) for path in paths]


def feed(r: Reader, name: str | None, alternate: str, paths) -> dict:
    """An Atom feed of the newest articles (of the site, a dossier or a story)."""
    entries = [{**r.read("teaser", p), **r.read("feed-entry", p)} for p in paths[:FEED_SIZE]]
    title = f"{name} · {r.config.title}" if name else r.config.title
    # The latest of its entries, corrections and updates counted.
    updated = max((e["updated"] for e in entries), key=dt.datetime.fromisoformat,
                  default="1970-01-01T00:00:00+00:00")
    return {"title": title, "alternate": alternate, "updated": updated, "entries": entries}


class Home:
    def pages(self, src: Sources) -> list[Spec]:
        return [(urls.HOME, "home.html", self.make)]

    @staticmethod
    def make(r: Reader) -> dict:
        return {"title": r.config.title, "description": r.config.description,
                "articles": _teasers(r, [p for p, _ in r.read("newest", RECENT)]),
                "stories": [r.read("story", s) for s in r.read("all-stories")],
                "people": _refs(r, r.read("covered", PERSON)),
                "organisations": _refs(r, r.read("covered", ORGANISATION))}


class ArticlePage:
    def pages(self, src: Sources) -> list[Spec]:
        return [(urls.article(a.slug), "article.html", partial(self.make, a.path)) for a in src.site.articles]

    @staticmethod
    def make(path: str, r: Reader) -> dict:
        own = r.read("article", path)
        named = r.read("named", path)

        def named_of(kind):
            return [_with(r.read("ref", k), role=role, about=about) for k, role, about in named if k[0] == kind]
        return {**r.read("teaser", path), "source_url": own["source_url"], "author": own["author"],
                "datetime": own["datetime"], "body": r.read("body", path), "modified": own["modified"],
                "corrections": own["corrections"],
                "people": named_of(PERSON), "organisations": named_of(ORGANISATION),
                "timeline": list(r.read("events", path).values()), "links": own["links"], "tags": own["tags"],
                "stories": [r.read("story", s) for s in own["stories"]],
                "image": r.read("picture", path), "documents": [d for _, d in r.read("documents", path)]}


class Dossier:
    """A person's or an organisation's page, its JSON and its feed. A long dossier (more than
    DOSSIER_PAGE articles and events) shows the newest DOSSIER_NEWEST of each, the others on a
    page per year, so that a title edit remakes a year's page, not four thousand entries; its
    JSON stays complete."""

    def pages(self, src: Sources) -> list[Spec]:
        specs = []
        for entity in src.site.entities.values():
            key = entity.key
            specs.append((entity.url, "dossier.html", partial(self.page, key)))
            specs.append((urls.entity_data(*key), "json", partial(self.data, key)))
            specs.append((urls.feed(entity.url), "feed.xml", partial(self.feed, key)))
            if _paged(src.site.mentions.get(key, ()), src.site.timelines.get(key, ())):  # (counted before the years)
                article_years, event_years = dossier_years(src, key)
                specs += [(urls.entity_year(*key, year), "dossier-year.html", partial(self.year, key, year))
                          for year in sorted({*article_years, *event_years}, reverse=True)]
        return specs

    def page(self, key: Key, r: Reader) -> dict:
        mentions, timeline = r.read("mentions", key), r.read("timeline", key)
        head, unconnected = self._head(key, r)
        drawn = network.layout({"name": head["name"], "kind": head["kind"]}, head["connections"], unconnected)
        if not _paged(mentions, timeline):
            entries, articles = self._whole(key, r)
            return {**head, "network": drawn, "timeline": entries, "articles": articles, "years": []}
        return {**head, "network": drawn, "timeline": _entries(r, timeline[-DOSSIER_NEWEST:]),
                "articles": _articles(r, mentions[:DOSSIER_NEWEST]), "years": _dossier_years(key, r)}

    def year(self, key: Key, year: int, r: Reader) -> dict:
        """A year of a long dossier: the events dated in it and the articles published in it."""
        ref = r.read("ref", key)
        article_years, event_years = r.read("dossier-years", key)
        mentions, timeline = r.read("mentions", key), r.read("timeline", key)
        return {"title": r.words("%(name)s: %(year)s", name=ref["name"], year=year), "name": ref["name"],
                "kind": ref["kind"], "dossier": ref["url"], "year": year, "years": _dossier_years(key, r),
                "timeline": _entries(r, [e for e, y in zip(timeline, event_years, strict=True) if y == year]),
                "articles": _articles(r, [m for m, y in zip(mentions, article_years, strict=True) if y == year])}

    def _head(self, key: Key, r: Reader) -> tuple[dict, list[dict]]:
        return _kept(r, "dossier", key, lambda: self._make_head(key, r))

    @staticmethod
    def _whole(key: Key, r: Reader) -> tuple[list[dict], list[dict]]:
        """Every timeline entry and article of a dossier: its JSON's, and its page's when it is short."""
        return _kept(r, "dossier-whole", key, lambda: (_entries(r, r.read("timeline", key)),
                                                       _articles(r, r.read("mentions", key))))

    @staticmethod
    def _make_head(key: Key, r: Reader) -> tuple[dict, list[dict]]:
        """All of a dossier but its timeline, articles and connections picture (only its page draws
        it, not its JSON); and the parties of stated relations not among the connections, for it."""
        own = r.read("entity", key)
        mentions = r.read("mentions", key)
        timeline = r.read("timeline", key)
        stated = r.read("relations", key)
        related: dict[Key, str] = {}  # the other party -> the type of its first stated relation
        for rel in stated:
            related.setdefault(rel["key"], rel["label"])
        counted = r.read("connections", key)
        connections = [_with(r.read("ref", k), count=n, related=related.get(k)) for k, n in counted]
        in_common = {k for k, _ in counted}
        unconnected = [_with(r.read("ref", k), count=0, related=t) for k, t in related.items() if k not in in_common]
        parent = r.read("parent", key)
        url = urls.entity(*key)
        return {
            **{k: own[k] for k in ("title", "kind", "slug", "name", "aliases", "facts", "dates")},
            "roles": r.read("roles", key), "notes": own["notes"], "links": own["links"],
            "connections": connections,
            "relations": stated,
            "members": r.read("members", key),
            "parent": r.read("ref", parent) if parent else None,
            "children": [r.read("ref", k) for k in r.read("children", key)],
            "counts": {"articles": len(mentions), "events": len(timeline)},
            "feed": urls.feed(url),
            "image": own["image"],
            "documents": _documents(r, [path for path, _, documents in mentions if documents]),
        }, unconnected

    def data(self, key: Key, r: Reader) -> dict:
        return {"data": self.json(key, r)}

    def json(self, key: Key, r: Reader) -> dict:
        """The dossier as data: keys are the content format's own (born, nationality...), never labels."""
        entries, articles = self._whole(key, r)
        page = {**self._head(key, r)[0], "timeline": entries, "articles": articles}
        absolute = r.config.absolute_url

        def cite(item):
            return {"title": item["title"], "url": absolute(item["url"])}
        return {
            "kind": page["kind"], "slug": page["slug"], "name": page["name"], "aliases": page["aliases"],
            "url": absolute(urls.entity(*key)),
            **{f["key"]: f["value"] for f in page["facts"]},
            **{d["key"]: d["iso"] for d in page["dates"]},
            "roles": [{"title": role["title"], "organisation": role["organisation"] and role["organisation"]["name"],
                       "from": role["from_iso"], "to": role["to_iso"]} for role in page["roles"]],
            "members": [{"name": m["name"], "url": absolute(m["url"]), "title": m["title"],
                         "from": m["from_iso"], "to": m["to_iso"]} for m in page["members"]],
            "parent": page["parent"] and page["parent"]["name"],
            "links": page["links"],
            "timeline": [{"date": e["edtf"], "text": e["text"], "source": cite(e["article"]),
                          **({"document": e["source"]["absolute"]} if e["source"] else {})} for e in page["timeline"]],
            "articles": [{**cite(a), "date": a["iso"], "updated": a["modified_iso"], "role": a["role"],
                          "source": a["source"]}
                         for a in page["articles"]],
            "connections": [{"name": c["name"], "kind": c["kind"], "url": absolute(c["url"]),
                             "articles": c["count"]} for c in page["connections"]],
            "image": page["image"] and {k: page["image"][k] for k in ("alt", "credit", "width", "height")}
            | {"url": page["image"]["absolute"]},
            "documents": [{"title": d["title"], "date": d["edtf"], "kind": d["kind"], "size": d["bytes"],
                           "url": d["absolute"], "source": cite(d["article"])} for d in page["documents"]],
            "relations": [{"type": rel["type"], "party": "first" if rel["first"] else "second",
                           "other": absolute(rel["other"]["url"]), "name": rel["other"]["name"], "role": rel["role"],
                           "from": rel["from_edtf"], "to": rel["to_edtf"],
                           "sources": [absolute(a["url"]) for a in rel["articles"]] + rel["sources"]}
                          for rel in page["relations"]],
        }

    @staticmethod
    def feed(key: Key, r: Reader) -> dict:
        return feed(r, r.read("ref", key)["name"], urls.entity(*key), [p for p, *_ in r.read("mentions", key)])


class StoryPage:
    def pages(self, src: Sources) -> list[Spec]:
        specs = []
        for slug in src.site.stories:
            specs.append((urls.story(slug), "story.html", partial(self.page, slug)))
            specs.append((urls.feed(urls.story(slug)), "feed.xml", partial(self.feed, slug)))
        return specs

    @staticmethod
    def page(slug: str, r: Reader) -> dict:
        title, summary, paths, has_note, ranking, events = r.read("storypage", slug)
        return {"title": title, "summary": summary,
                "body": r.read("body", story_file(slug)) if has_note else None,
                "articles": _teasers(r, paths),
                "people": _refs(r, [(k, n) for k, n in ranking if k[0] == PERSON]),
                "organisations": _refs(r, [(k, n) for k, n in ranking if k[0] == ORGANISATION]),
                "timeline": _entries(r, events), "feed": urls.feed(urls.story(slug))}

    @staticmethod
    def feed(slug: str, r: Reader) -> dict:
        title, _, paths, *_ = r.read("storypage", slug)
        return feed(r, title, urls.story(slug), paths[::-1])


class TagPage:
    """A tag's page: its articles, newest first. A tag on more than TAG_PAGE articles shows the
    newest TAG_NEWEST and has a page per year (/tags/extradition/2003/), as a long dossier does:
    two thousand teasers are three megabytes, remade whenever one of their titles changes."""

    def pages(self, src: Sources) -> list[Spec]:
        specs = []
        for slug, tag in src.site.tags.items():
            specs.append((urls.tag(slug), "tag.html", partial(self.make, slug)))
            if len(tag.articles) > TAG_PAGE:  # (counted before the years)
                specs += [(urls.tag_year(slug, year), "tag.html", partial(self.year, slug, year))
                          for year in sorted(set(tag_years(src, slug)), reverse=True)]
        return specs

    @staticmethod
    def make(slug: str, r: Reader) -> dict:
        name, paths = r.read("tag", slug)
        paged = len(paths) > TAG_PAGE
        return {"title": name, "name": name, "articles": _teasers(r, paths[:TAG_NEWEST] if paged else paths),
                "years": _tag_years(slug, r) if paged else [], "year": None, "total": len(paths),
                "tag": urls.tag(slug)}

    @staticmethod
    def year(slug: str, year: int, r: Reader) -> dict:
        """A year of a tag on many articles: the articles with it published in that year."""
        name, paths = r.read("tag", slug)
        years = r.read("tag-years", slug)
        return {"title": r.words("%(name)s: %(year)s", name=name, year=year), "name": name,
                "articles": _teasers(r, [p for p, y in zip(paths, years, strict=True) if y == year]),
                "years": _tag_years(slug, r), "year": year, "total": len(paths), "tag": urls.tag(slug)}


def _tag_years(slug: str, r: Reader) -> list[dict]:
    """The years of a tag on many articles, newest first, each with how many of them it has."""
    counts = Counter(r.read("tag-years", slug))
    return [{"year": year, "count": counts[year], "url": urls.tag_year(slug, year)}
            for year in sorted(counts, reverse=True)]


class EntityIndex:
    def pages(self, src: Sources) -> list[Spec]:
        return [(urls.entities(kind), "entities.html", partial(self.make, kind)) for kind in (PERSON, ORGANISATION)]

    @staticmethod
    def make(kind: str, r: Reader) -> dict:
        words = r.words
        entities = sorted(r.read("entities", kind), key=lambda e: (words.sort_key(e[1]), e[0][1]))
        groups = [{"letter": letter, "entries": [{**r.read("ref", key), "aliases": list(aliases), "count": count}
                                                 for key, _, aliases, count in group]}
                  for letter, group in groupby(entities, key=lambda e: words.initial(e[1]))]
        return {"title": words(INDEX_TITLES[kind]), "kind": kind, "groups": groups}


def _yearly(url: str, year_url: Callable[[int], str], template: str, paged: bool, whole, year_page,
            years) -> list[Spec]:
    """One page with everything; or, paged, an index at url and a page per year."""
    if not paged:
        return [(url, template, whole)]
    return [(url, template, partial(year_page, None)),
            *((year_url(year), template, partial(year_page, year)) for year in years)]


def _by_year_groups(r: Reader, dated) -> list[dict]:
    """(path, year) pairs, newest first, as groups of teasers by year."""
    return [{"year": year, "articles": _teasers(r, [p for p, _ in group])}
            for year, group in groupby(dated, key=lambda item: item[1])]


class ArticleIndex:
    """/articles/ with every article; or, for many, the newest and a page per year in /archive/
    (a year under /articles/ could be an article's slug)."""

    def pages(self, src: Sources) -> list[Spec]:
        return _yearly(urls.ARTICLES, urls.archive_year, "articles.html", len(src.site.articles) > ARTICLES_PAGE,
                       self.whole, self.year, src.articles_by_year)

    @staticmethod
    def whole(r: Reader) -> dict:
        dated = [(path, year) for path, _, year in r.read("articles")]
        return {"title": r.words("Articles"), "groups": _by_year_groups(r, dated), "years": [], "year": None}

    @staticmethod
    def year(year: int | None, r: Reader) -> dict:
        years = [{"year": y, "count": n, "url": urls.archive_year(y)} for y, n in r.read("article-years")]
        if year is None:
            dated, title = r.read("newest", ARTICLES_NEWEST), r.words("Articles")
        else:
            dated = [(p, year) for p in r.read("article-year", year)]
            title = r.words("Articles: %(year)s", year=year)
        return {"title": title, "groups": _by_year_groups(r, dated), "years": years, "year": year}


class StoryIndex:
    def pages(self, src: Sources) -> list[Spec]:
        return [(urls.STORIES, "stories.html", self.make)]

    @staticmethod
    def make(r: Reader) -> dict:
        stories = [r.read("story", s) for s in r.read("all-stories")]
        return {"title": r.words("Stories"), "stories": sorted(stories, key=lambda s: r.words.sort_key(s["title"]))}


class TagIndex:
    def pages(self, src: Sources) -> list[Spec]:
        return [(urls.TAGS, "tags.html", self.make)]

    @staticmethod
    def make(r: Reader) -> dict:
        tags = sorted(r.read("all-tags"), key=lambda t: (r.words.sort_key(t[1]), t[0]))
        return {"title": r.words("Tags"), "tags": [{"name": name, "url": urls.tag(slug), "count": count}
                                          for slug, name, count in tags]}


class TimelinePages:
    """/timeline/ with every event; or, for a long one, an index of years and a page per year."""

    def pages(self, src: Sources) -> list[Spec]:
        return _yearly(urls.TIMELINE, urls.timeline_year, "timeline.html", len(src.site.timeline) > TIMELINE_PAGE,
                       self.whole, self.year, src.timeline_by_year)

    @staticmethod
    def whole(r: Reader) -> dict:
        return {"title": r.words("Timeline"), "timeline": _entries(r, r.read("whole-timeline")), "years": [],
                "year": None}

    @staticmethod
    def year(year: int | None, r: Reader) -> dict:
        years = [{"year": y, "count": n, "url": urls.timeline_year(y)} for y, n in r.read("timeline-years")]
        if year is None:
            return {"title": r.words("Timeline"), "timeline": [], "years": years, "year": None}
        return {"title": r.words("Timeline: %(year)s", year=year),
                "timeline": _entries(r, r.read("timeline-year", year)), "years": years, "year": year}


class Graph:
    def pages(self, src: Sources) -> list[Spec]:
        return [(urls.GRAPH, "json", self.make)]

    @staticmethod
    def make(r: Reader) -> dict:
        """Nodes, and edges weighted by the articles in common, cited by slug (under "articles", the
        URL of the article pages). No titles: a title edit does not rewrite the whole graph."""
        absolute = r.config.absolute_url
        nodes = [{"id": f"{FOLDERS[kind]}/{key[1]}", "kind": kind, "name": name,
                  "url": absolute(urls.entity(*key)), "articles": count}
                 for kind in (PERSON, ORGANISATION) for key, name, _, count in r.read("entities", kind)]
        named = [(slug, [k for k, _, _ in r.read("named", path)]) for path, slug, _ in reversed(r.read("articles"))]
        edges = [{"source": a, "target": b, "weight": len(slugs), "articles": slugs}
                 for a, b, slugs in graph_edges(named)]
        stated = [{"type": type, "source": first, "target": second, "role": role, "from": start, "to": end,
                   "sources": [absolute(urls.article(slug)) for slug in slugs] + list(sources)}
                  for type, first, second, role, start, end, slugs, sources in r.read("all-relations")]
        return {"data": {"title": r.config.title, "articles": absolute(urls.ARTICLES), "nodes": nodes,
                         "edges": edges, "relations": stated}}


class Fixed:
    """Pages that show nothing of the content."""

    def pages(self, src: Sources) -> list[Spec]:
        specs = [(urls.NOT_FOUND, "404.html", self.not_found), (urls.FEED, "feed.xml", self.site_feed),
                 (urls.ROBOTS, "robots.txt", self.nothing)]
        if src.config.search:
            specs.append((urls.SEARCH, "search.html", self.search))
        return specs

    @staticmethod
    def not_found(r: Reader) -> dict:
        return {"title": r.words("Page not found")}

    @staticmethod
    def nothing(r: Reader) -> dict:
        return {}

    @staticmethod
    def search(r: Reader) -> dict:
        return {"title": r.words("Search")}

    @staticmethod
    def site_feed(r: Reader) -> dict:
        return feed(r, None, urls.HOME, [p for p, _ in r.read("newest", FEED_SIZE)])


class Sitemap:
    def pages(self, src: Sources) -> list[Spec]:
        return [(urls.SITEMAP, "sitemap.xml", self.make)]

    @staticmethod
    def make(r: Reader) -> dict:
        return {"urls": list(r.read("urls"))}


# In the order pages are planned (the sitemap lists the HTML pages planned before it).
KINDS = (Home, ArticlePage, Dossier, StoryPage, TagPage, EntityIndex, ArticleIndex, StoryIndex, TagIndex,
         TimelinePages, Graph, Fixed)
