"""Every page's site path, in one place: pages, the index and the search index name pages only
through these functions. Paths are site paths ("/people/ana-lopez/"); config.url() puts them
under base_url's sub-path and config.absolute_url() makes them absolute."""

from __future__ import annotations

from .model import FOLDERS

HOME = "/"
ARTICLES = "/articles/"
ARCHIVE = "/archive/"
STORIES = "/stories/"
TAGS = "/tags/"
TIMELINE = "/timeline/"
GRAPH = "/graph.json"
NOT_FOUND = "/404.html"
FEED = "/feed.xml"
ROBOTS = "/robots.txt"
SEARCH = "/search/"
SITEMAP = "/sitemap.xml"


def article(slug: str) -> str:
    return f"{ARTICLES}{slug}/"


def entities(kind: str) -> str:
    """The index of every person or every organisation."""
    return f"/{FOLDERS[kind]}/"


def entity(kind: str, slug: str) -> str:
    return f"/{FOLDERS[kind]}/{slug}/"


def entity_year(kind: str, slug: str, year: int) -> str:
    """A year of a long dossier (page_kinds.Dossier)."""
    return f"/{FOLDERS[kind]}/{slug}/{year}/"


def entity_data(kind: str, slug: str) -> str:
    """The dossier as JSON, beside its page."""
    return f"/{FOLDERS[kind]}/{slug}.json"


def story(slug: str) -> str:
    return f"{STORIES}{slug}/"


def tag(slug: str) -> str:
    return f"{TAGS}{slug}/"


def tag_year(slug: str, year: int) -> str:
    """A year of a tag on many articles (page_kinds.TagPage)."""
    return f"{TAGS}{slug}/{year}/"


def feed(page: str) -> str:
    """The Atom feed of a page (the site's home, a dossier, a story)."""
    return page + "feed.xml"


def archive_year(year: int) -> str:
    return f"{ARCHIVE}{year}/"


def timeline_year(year: int) -> str:
    return f"{TIMELINE}{year}/"


def beside(page: str, rest: str) -> str:
    """A file beside the text: at its path under its page folder's URL (or the site's root, "/")."""
    return page + rest


def output_file(url: str) -> str:
    """Where the page of a URL is written, relative to output/."""
    path = url.lstrip("/")
    return path + "index.html" if path.endswith("/") or not path else path
