"""The pipeline: load -> index -> plan -> render -> write."""

from __future__ import annotations

import contextlib
import gc
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from .config import SiteConfig
from .diagnostics import Diagnostics, SourcePos
from .index import Site, build_site
from .load import load_content
from .output import write_tree
from .pages import Page, plan
from .render import make_environment, render_page, static_files, template_hash
from .search import index_site

PAGE_KINDS = {"article.html": ("article", "articles"), "dossier.html": ("dossier", "dossiers"),
              "story.html": ("story", "stories"), "tag.html": ("tag", "tags"), "json": ("data file", "data files"),
              "feed.xml": ("feed", "feeds")}
OTHER = ("other page", "other pages")


@dataclass(slots=True)
class Build:
    """What one run produced: the site, its pages and every diagnostic."""

    config: SiteConfig
    diags: Diagnostics
    site: Site | None = None
    pages: list[Page] = field(default_factory=list)
    rendered: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        kinds = Counter(PAGE_KINDS.get(p.template, OTHER) for p in self.pages)
        parts = ", ".join(f"{n} {names[n != 1]}" for names, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
        warnings = len(self.diags.warnings)
        return (f"{len(self.pages)} pages ({parts}); {warnings} warning{'s' * (warnings != 1)}; "
                f"{self.seconds:.2f} s")


@contextlib.contextmanager
def paused_gc():
    """Pause the cyclic garbage collector: a build makes millions of acyclic objects, and
    repeated full collections over them cost more than a third of a large build."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def plan_site(config: SiteConfig, diags: Diagnostics, cache: dict | None = None) -> tuple[Site, list[Page]]:
    """Read all content and plan every page; problems go to diags."""
    content = load_content(config, diags, cache)
    site = build_site(config, content, diags)
    pages = plan(site, template_hash(config))
    _check_unique_urls(pages, diags)
    if config.base_url is None:
        diags.warning(SourcePos(config.display_path("site.yaml")),
                      "base_url is not set: feed.xml and sitemap.xml need absolute URLs; "
                      "set base_url in site.yaml or pass --base-url")
    return site, pages


def _check_unique_urls(pages: list[Page], diags: Diagnostics) -> None:
    seen: set[str] = set()
    for page in pages:
        if page.file in seen:  # content-level duplicates are reported by index; this guards the rest
            raise AssertionError(f"two pages planned for {page.url}")
        seen.add(page.file)


def build(config: SiteConfig, write: bool = True,
          progress: Callable[[int, int], None] | None = None) -> Build:
    """Run the whole pipeline; output/ is replaced only when there are no errors."""
    started = time.perf_counter()
    result = Build(config, Diagnostics())
    with paused_gc():
        _build(config, result, write, progress)
    result.seconds = time.perf_counter() - started
    return result


def _build(config: SiteConfig, result: Build, write: bool, progress) -> None:
    result.site, result.pages = plan_site(config, result.diags)
    if write and not result.diags.failed(config.strict):
        env = make_environment(config)
        files = {}
        for number, page in enumerate(result.pages, start=1):
            files[page.file] = render_page(env, page)
            if progress and (number % 200 == 0 or number == len(result.pages)):
                progress(number, len(result.pages))
        result.rendered = len(files)
        finish = (lambda folder: index_site(folder, config.language)) if config.search else None
        write_tree(config.output_dir, files, static_files(config), finish)
