"""The preview's rebuilds: the site stays in memory between saves, and each save remakes only
the pages whose template or dependencies changed (builder.update)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from .builder import Build, State, paused_gc, plan_site, update
from .cache import forget_manifest
from .config import SiteConfig, load_config
from .diagnostics import Diagnostics
from .load import FileCache
from .render import make_environment


@dataclass(slots=True)
class Incremental:
    """A site kept built in output/ by one process."""

    content_dir: Path
    options: dict
    cache: FileCache = field(default_factory=dict)
    state: State | None = None
    config: SiteConfig | None = None
    env: Environment | None = None

    def rebuild(self) -> Build:
        """Bring output/ up to date with the content; on errors leave it untouched."""
        started = time.perf_counter()
        with paused_gc():
            result = self._rebuild()
        result.seconds = time.perf_counter() - started
        return result

    def _rebuild(self) -> Build:
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
        _, planned = plan_site(config, diags, self.cache)
        result.total = len(planned.pages)
        if diags.failed(config.strict):
            return result
        if self.state is None:
            forget_manifest(config)  # output/ will change under the build cache's feet
        # serve runs threads (tornado, the watcher): no fork here
        self.state = update(config, planned, self.state, result, workers=1, env=self.env)
        self.config = config
        return result
