"""plan(site) -> every page of the site as url, template and how to make its plain-data context.

The kinds of page are in page_kinds.py, the pieces of the site they show in fragments.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import partial

from . import structured, urls
from .fragments import Html, Reader, Sources, plain
from .index import Places, Site
from .page_kinds import KINDS, Sitemap
from .records import rebuilder

__all__ = ["Html", "Page", "Plan", "plain", "plan"]


@dataclass(frozen=True, slots=True)
class Page:
    """One output file: its URL, its template and how to build its context.

    Contexts are built on demand, one page at a time: those of a 10,000-article
    site do not fit in memory together. Building one also gives the page's
    dependencies: every fragment of the site it read (fragments.py)."""

    url: str
    template: str
    make: Callable[[Reader], dict]  # its context, from fragments only
    file: str = ""  # where the page is written, relative to output/

    def __post_init__(self):
        object.__setattr__(self, "file", urls.output_file(self.url))

    def __reduce__(self):
        """Pickled (with the saved index: saved.dumps) as a call with its fields, its make as a
        function and its arguments: the default way (a dict of fields, a partial's state) took
        twice as long to unpickle the 23,000 pages of a 10,000-article site."""
        make = self.make
        if type(make) is partial and not make.keywords:
            return _page, (self.url, self.template, make.func, make.args, self.file)
        return _page, (self.url, self.template, make, None, self.file)


_rebuild_page = rebuilder(Page, [f.name for f in fields(Page)])


def _page(url: str, template: str, make, args: tuple | None, file: str) -> Page:
    return _rebuild_page(url, template, make if args is None else partial(make, *args), file)


@dataclass(frozen=True, slots=True)
class Plan:
    """Every page of a site, and the reader that makes their contexts and digests what they read."""

    pages: list[Page]
    reader: Reader
    files: frozenset[str] = frozenset()  # every page's file (given by `over`: the same pages)

    def __post_init__(self):
        if not self.files:
            object.__setattr__(self, "files", frozenset(p.file for p in self.pages))

    def digest(self, token: tuple) -> str | None:
        return self.reader.digest(token)

    def context(self, page: Page) -> tuple[dict, frozenset]:
        """A page's context, with what every page has (the site's settings, its URL, its JSON-LD),
        and the fragments it read."""
        r = self.reader
        r.reads = set()
        context = {**page.make(r), "site": r.read("settings"), "url": page.url}
        if page.template.endswith(".html"):
            context["jsonld"] = structured.for_page(page.template, context, r.config.absolute_url, r.config.title)
        return context, frozenset(r.reads)

    def over(self, site: Site, fresh: dict, suspects: set, places: Places | None = None) -> Plan:
        """The same pages made from a Site whose only change is these articles' and notes files'
        records, of the same structure (Site.with_records: the preview, after an edit to their text), in which
        only the `suspects` fragments may have changed."""
        src = self.reader.sources.over(site, fresh, places)
        return Plan(self.pages, self.reader.over(src, suspects), self.files)


def plan(site: Site, pages: list[Page] | None = None) -> Plan:
    """Every page of the site, in a stable order; or these `pages`, planned before over a site of
    the same structure (the saved index's: builder._saved_index)."""
    src = Sources(site)
    if pages is None:
        specs = [spec for kind in KINDS for spec in kind().pages(src)]
        specs += Sitemap().pages(src)  # (last: it lists the HTML pages planned before it)
        pages = [Page(url, template, make) for url, template, make in specs]
    src.html_urls = tuple(p.url for p in pages if p.template.endswith(".html") and p.url != urls.NOT_FOUND)
    return Plan(pages, Reader(src))
