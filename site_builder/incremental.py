"""Rebuilds that re-render only the pages whose fingerprint changed."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from .builder import Build, paused_gc, plan_site, write_pages, write_statics
from .cache import forget_manifest
from .config import SiteConfig, load_config
from .diagnostics import Diagnostics
from .load import FileCache
from .output import remove_file, replace_file, staged
from .pages import fingerprint
from .render import make_environment, render_page, static_files, template_hash


@dataclass(slots=True)
class Rebuild:
    """What one rebuild did."""

    diags: Diagnostics
    rendered: list[str] = field(default_factory=list)  # URLs rendered and written
    removed: list[str] = field(default_factory=list)  # files deleted
    total: int = 0
    ms: float = 0.0

    @property
    def failed(self) -> bool:
        return bool(self.diags.errors)

    def line(self) -> str:
        return f"rebuilt {len(self.rendered)} of {self.total} pages in {self.ms:.0f} ms"


@dataclass(slots=True)
class Incremental:
    """A site kept built in output/: each rebuild re-plans everything and writes only what changed."""

    content_dir: Path
    options: dict
    cache: FileCache = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)  # output file -> fingerprint
    statics: dict[str, bytes] = field(default_factory=dict)
    config: SiteConfig | None = None
    env: Environment | None = None

    def rebuild(self) -> Rebuild:
        """Bring output/ up to date with the content; on errors leave it untouched."""
        with paused_gc():
            return self._rebuild()

    def _rebuild(self) -> Rebuild:
        started = time.perf_counter()
        diags = Diagnostics()
        config = load_config(self.content_dir, diags, **self.options)
        if config != self.config:
            self.cache.clear()  # records depend on settings such as allow_html
        result = Rebuild(diags)
        if not diags.failed():
            _, pages = plan_site(config, diags, self.cache)
            result.total = len(pages)
            if not diags.failed(config.strict):
                self._write(config, pages, result)
                self.config = config
        result.ms = (time.perf_counter() - started) * 1000
        return result

    def _write(self, config: SiteConfig, pages, result: Rebuild) -> None:
        first = not self.written or config.output_dir != (self.config and self.config.output_dir)
        if first:
            forget_manifest(config)  # output/ will change under the build cache's feet
            build_result = Build(config, Diagnostics())
            with staged(config.output_dir) as staging:
                # serve runs threads (tornado, the watcher): no fork here
                self.written = write_pages(config, pages, staging, {}, None, build_result, workers=1)
                self.statics = write_statics(config, staging)
            result.rendered = [p.url for p in pages]
            return
        if self.env is None or config != self.config:
            self.env = make_environment(config)  # it notices template edits itself (auto_reload)
        env = self.env
        templates = template_hash(config)
        written = {}
        for page in pages:
            context = page.context()
            digest = written[page.file] = fingerprint(page, context, templates)
            if self.written.get(page.file) != digest:
                replace_file(config.output_dir, page.file, render_page(env, page.template, context))
                result.rendered.append(page.url)
        statics = {rel: path.read_bytes() for rel, path in static_files(config).items()}
        for rel, data in statics.items():
            if self.statics.get(rel) != data:
                replace_file(config.output_dir, rel, data)
        gone = (set(self.written) - set(written)) | (set(self.statics) - set(statics))
        for rel in sorted(gone):
            remove_file(config.output_dir, rel)
        result.removed = sorted(gone)
        self.written, self.statics = written, statics
