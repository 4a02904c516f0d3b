"""The preview's rebuilds: the site stays in memory between saves, and each save remakes only
the pages whose template or dependencies changed (builder.update).

The common save, an edit to an article's title, summary or text, needs no new index: when
every changed file is an article whose names, dates, events, tags, stories and wikilinks
are as they were, the new values are copied into the records the index already holds, and
only that article's own dependencies are checked. Anything else re-reads and re-indexes
the whole site, as a build does."""

from __future__ import annotations

import gc
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from . import saved
from .builder import Build, State, paused_gc, plan_site, update
from .cache import Cache, changed_paths, forget_manifest, input_stats
from .config import SiteConfig, load_config
from .diagnostics import Diagnostics
from .index import Places, Site
from .load import FileCache, reload
from .pages import Plan
from .render import make_environment
from .watch import Changes


@dataclass(slots=True)
class Incremental:
    """A site kept built in output/ by one process."""

    content_dir: Path
    options: dict
    cache: FileCache = field(default_factory=dict)
    state: State | None = None
    config: SiteConfig | None = None
    env: Environment | None = None
    site: Site | None = None
    places: Places = field(default_factory=Places)  # where each file's records are in site (index.Places)
    planned: Plan | None = None
    stats: dict = field(default_factory=dict)  # input file -> [size, mtime] when last built
    taken_ns: int = 0  # when those were taken
    index_diags: list = field(default_factory=list)  # what reading and indexing reported then
    patched: bool = False  # the last rebuild reused the index
    watch: Changes | None = None  # what the kernel says changed (watch.py)
    seen: dict = field(default_factory=dict)  # input file -> [size, mtime] as last looked at (built or not)

    def rebuild(self, workers: int | None = 1) -> Build:
        """Bring output/ up to date with the content; on errors leave it untouched. workers=None
        shares the work between processes: only before the server starts its threads.

        What a rebuild makes (the Site, the plan, the state: hundreds of thousands of objects)
        is kept until the next one, and it makes no reference cycles (tests/test_incremental.py).
        So it is frozen (gc.freeze) before the collector is on again: the collector would
        otherwise scan all of it at once, up to a fifth of a title edit at 10,000 articles. What
        is dropped later is still freed, by its reference count. The server's own garbage is
        collected first, so that none of it is frozen."""
        started = time.perf_counter()
        gc.collect()  # (a short look: what the last rebuild made is frozen, and not looked at)
        with paused_gc():
            result = self._rebuild(workers)
            gc.freeze()
        result.seconds = time.perf_counter() - started
        return result

    def _rebuild(self, workers: int | None) -> Build:
        diags = Diagnostics()
        config = load_config(self.content_dir, diags, **self.options)
        result = Build(config, diags)
        if diags.failed():
            return result
        if config != self.config:
            self.cache.clear()  # records depend on settings such as allow_html
            self.env = make_environment(config)  # it notices template edits itself (auto_reload)
            if self.config is None or config.output_dir != self.config.output_dir:
                self.state = None
                self._start_from_build_cache(config)
            self.planned = None
        stats, taken_ns = self._look(config)
        suspects = self._patch(config, stats, taken_ns) if self.planned is not None and self.state is not None else None
        self.patched = suspects is not None
        if suspects is None:
            before = len(diags.items)
            self.site = self.planned = None
            self.places = Places()  # (a site indexed again: its files may be elsewhere in it)
            site, planned = plan_site(config, diags, self.cache, workers=workers, stats=stats, taken_ns=taken_ns)
            self.index_diags = diags.items[before:]
        else:
            site, planned = self.site, self.planned
            diags.items.extend(self.index_diags)
        result.total = len(planned.pages)
        if diags.failed(config.strict):
            self.planned = None  # read everything next time
            return result
        forget_manifest(config)  # output/ will change under the build cache's feet
        self.state = update(config, planned, self.state, result, workers=workers, env=self.env, suspects=suspects)
        self.config, self.site, self.planned, self.stats, self.taken_ns = config, site, planned, stats, taken_ns
        if result.failed:  # a site's own template failed: nothing was written, so check everything next time
            self.planned = None
        return result

    def _look(self, config: SiteConfig) -> tuple[dict, int]:
        """The size and time of every input file, and when they were taken: each file looked at
        the first time, then only those the kernel says changed (watch.Changes), when it can say."""
        folders = [str(config.content_dir), *(str(d) for d in config.template_dirs)]
        taken_ns = time.time_ns()
        if self.watch is None or self.watch.folders != folders:
            if self.watch is not None:
                self.watch.close()
            self.watch = Changes(folders)  # (before looking: a change made while looking is told)
            changed = None
        else:
            changed = self.watch.take()
        if changed is None or not self.seen:
            self.seen = input_stats(config)
            return self.seen, taken_ns
        seen = dict(self.seen)
        for path in changed:
            try:
                info = os.stat(path)
            except OSError:
                seen.pop(path, None)  # deleted or moved away
                continue
            seen[path] = [info.st_size, info.st_mtime_ns]
        self.seen = seen
        return seen, taken_ns

    def close(self) -> None:
        """Stop watching the folders (the preview is closing)."""
        if self.watch is not None:
            self.watch.close()

    def _start_from_build_cache(self, config: SiteConfig) -> None:
        """Start from what `python build.py` left: its parsed files, and the state of output/ if
        that build made it, so that opening the preview re-renders only what changed since."""
        cache = Cache.open(config)
        self.cache.update(cache.records)
        self.state = cache.state(config)

    def _patch(self, config: SiteConfig, stats: dict, taken_ns: int) -> set | None:
        """The fragments that may have changed, if only templates and the text of existing articles
        changed since the last rebuild (saved.text_edits, the rule `build` follows too); None if
        the site must be read and indexed again. On success the new records are in a new Site and
        a plan over it (the Site and its records are never changed)."""
        content = str(config.content_dir) + "/"
        before = dict(self.cache)
        for path in changed_paths(self.stats, self.taken_ns, stats):
            if not path.startswith(content):
                continue  # a template: update() compares every template's digest
            rel = path[len(content):].replace("\\", "/")
            if path not in stats or path not in self.stats or rel not in self.cache:
                return None  # a file added or deleted, site.yaml
            if reload(config, self.cache, rel) is None:
                return None
        suspects = saved.text_edits(self.site.sources, before, self.cache)
        if suspects is None:
            return None
        fresh = {path: self.cache[path].record for _, path in suspects}
        if fresh:
            sources = {**self.site.sources, **{path: self.cache[path].digest for path in fresh}}
            self.site = self.site.with_records(fresh, sources, self.places)
            self.planned = self.planned.over(self.site, fresh, suspects, self.places)
        return suspects
