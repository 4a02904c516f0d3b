"""The pipeline: load -> index -> plan -> render -> write."""

from __future__ import annotations

import contextlib
import gc
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .cache import Cache, input_stats
from .config import SiteConfig
from .diagnostics import Diagnostics, SourcePos
from .index import Site, build_site
from .load import load_content
from .output import reuse, staged, write_new
from .pages import Page, fingerprint, plan
from .parallel import split
from .render import make_environment, render_page, static_files, template_hash
from .search import SearchIndex

PAGE_KINDS = {"article.html": ("article", "articles"), "dossier.html": ("dossier", "dossiers"),
              "story.html": ("story", "stories"), "tag.html": ("tag", "tags"), "json": ("data file", "data files"),
              "feed.xml": ("feed", "feeds")}
OTHER = ("other page", "other pages")


@dataclass(slots=True)
class Build:
    """What one run produced: the site, how many pages of each kind, and every diagnostic."""

    config: SiteConfig
    diags: Diagnostics
    site: Site | None = None
    page_kinds: Counter = field(default_factory=Counter)
    rendered: int = 0
    unchanged: bool = False  # nothing was read or written: no input changed since the last build
    seconds: float = 0.0

    def summary(self) -> str:
        kinds = self.page_kinds
        parts = ", ".join(f"{n} {names[n != 1]}" for names, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
        warnings = len(self.diags.warnings)
        total = sum(kinds.values())
        done = "nothing changed" if self.unchanged else f"{self.rendered} rendered"
        return (f"{total} pages ({parts}); {done}; {warnings} warning{'s' * (warnings != 1)}; "
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
    pages = plan(site)
    _check_unique_urls(pages)
    if config.base_url is None:
        diags.warning(SourcePos(config.display_path("site.yaml")),
                      "base_url is not set: feed.xml and sitemap.xml need absolute URLs; "
                      "set base_url in site.yaml or pass --base-url")
    return site, pages


def _check_unique_urls(pages: list[Page]) -> None:
    seen: set[str] = set()
    for page in pages:
        if page.file in seen:  # content-level duplicates are reported by index; this guards the rest
            raise AssertionError(f"two pages planned for {page.url}")
        seen.add(page.file)


def build(config: SiteConfig, write: bool = True, progress: Callable[[int, int], None] | None = None,
          use_cache: bool = True) -> Build:
    """Run the whole pipeline; output/ is replaced only when there are no errors."""
    started = time.perf_counter()
    result = Build(config, Diagnostics())
    with paused_gc():
        _build(config, result, write, progress, Cache.open(config, use_cache))
    result.seconds = time.perf_counter() - started
    return result


def _build(config: SiteConfig, result: Build, write: bool, progress, cache: Cache) -> None:
    started_ns = time.time_ns()
    stats = input_stats(config)
    if write and cache.unchanged(config, stats):
        result.diags.items.extend(cache.manifest["diagnostics"])
        result.unchanged = True
        result.page_kinds = cache.manifest.get("kinds", Counter())
        return
    result.site, pages = plan_site(config, result.diags, cache.records)
    result.page_kinds = Counter(PAGE_KINDS.get(p.template, OTHER) for p in pages)
    if not write or result.diags.failed(config.strict):
        return
    previous = cache.manifest.get("fingerprints", {}) if cache.manifest.get("key") == cache.key else {}
    with staged(config.output_dir) as staging:
        fingerprints = write_pages(config, pages, staging, previous, progress, result)
        write_statics(config, staging)
    cache.save(config, stats, started_ns, fingerprints, result.diags.items, result.page_kinds)


def write_statics(config: SiteConfig, staging: Path) -> dict[str, bytes]:
    """Copy the template folders' static files into a build; returns their contents."""
    statics = {rel: source.read_bytes() for rel, source in static_files(config).items()}
    for rel, data in statics.items():
        write_new(staging, rel, data)
    return statics


def write_pages(config: SiteConfig, pages: list[Page], staging: Path, previous: dict, progress,
                result: Build, workers: int | None = None) -> dict[str, str]:
    """Render each page whose fingerprint changed; hard-link the others from the last build.
    Both cores share the pages; the search documents are gathered on the way."""
    search = SearchIndex(staging, config.language) if config.search else None

    def work(part: int, parts: int) -> tuple[dict[str, str], int]:
        env = make_environment(config)
        templates = template_hash(config)
        fingerprints, rendered = {}, 0
        for number in range(part, len(pages), parts):
            page = pages[number]
            context = page.context()
            digest = fingerprints[page.file] = fingerprint(page, context, templates)
            if search:
                search.add(page.url, page.template, context)
            if previous.get(page.file) != digest or not reuse(config.output_dir, staging, page.file):
                write_new(staging, page.file, render_page(env, page.template, context))
                rendered += 1
            if progress and part == parts - 1 and (number // parts) % 200 == 0:
                progress(number + 1, len(pages))
        return fingerprints, rendered

    try:
        done = split(len(pages), work, workers)
    except BaseException:
        if search:
            search.finish(ok=False)
        raise
    if search:
        search.finish()
    if progress:
        progress(len(pages), len(pages))
    result.rendered += sum(count for _, count in done)
    return {file: digest for fingerprints, _ in done for file, digest in fingerprints.items()}
