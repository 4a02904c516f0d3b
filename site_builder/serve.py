"""`serve`: the livereload server, rebuilding only what changed and reloading the browser.

Three defects of livereload 2.7.1 are worked around here:
- it drops a change within 3 s of the previous reload (DEFAULT_RELOAD_TIME): we send
  reloads ourselves, after each rebuild, and never through its throttle;
- it reloads every browser about 2 s after start (a '__livereload__' change queued by
  serve()): our watcher drops it, and is examined once before serving;
- it injects its script only before a '</head>' found in the first 64 KB chunk of a
  file: we send HTML pages in one chunk, and inject the script ourselves where a page
  has no '</head>'."""

from __future__ import annotations

import html
import sys
from pathlib import Path

from livereload import Server
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from livereload.watcher import Watcher
from tornado import web

from .builder import Build
from .config import SiteConfig
from .diagnostics import Diagnostics
from .incremental import Incremental

LIVE_SCRIPT = (b'<script>(function(){var s=document.createElement("script");'
               b's.src="/livereload.js?port="+(window.location.port||80);document.head.appendChild(s);})();</script>')
POLL_MS = 300


class QuietWatcher(Watcher):
    """Runs our rebuild on a change but never asks livereload itself to reload."""

    def examine(self):
        self._changes.clear()  # serve() queues a reload of every browser at start
        super().examine()
        return None, None


def overlay_html(diags: Diagnostics) -> bytes:
    """The error box shown over the page while the content has errors."""
    items = "".join(f"<li><code>{html.escape(d.path)}:{d.line}</code> {html.escape(d.message)}</li>"
                    for d in diags.sorted() if d.level == "error")
    return ('<div id="build-errors" role="alert" style="position:fixed;inset:auto 0 0 0;max-height:60vh;'
            "overflow:auto;z-index:2147483647;background:#fff0f0;color:#600;border-top:4px solid #c00;"
            'font:14px/1.4 system-ui,sans-serif;padding:1em 1.5em;box-shadow:0 -4px 16px rgba(0,0,0,.2)">'
            "<strong>The last save has errors; this is the last good build.</strong>"
            f"<ul>{items}</ul></div>").encode()


class PreviewHandler(StaticFileHandler):
    """Static files; an HTML page is sent whole, with the reload script and any error overlay."""

    overlay = b""
    not_found = ""  # the site's 404.html
    prefix = ""  # the base path without its leading '/', such as 'repo/'

    def get(self, path, include_body=True):
        if not path and self.prefix:
            return self.redirect("/" + self.prefix)
        return super().get(path, include_body)

    def parse_url_path(self, url_path):
        """Serve output/ under the base path only, as the published site will be."""
        if url_path + "/" == self.prefix:
            return ""
        if not url_path.startswith(self.prefix):
            raise web.HTTPError(404)
        return super().parse_url_path(url_path[len(self.prefix):])

    @classmethod
    def get_content(cls, abspath, start=None, end=None):
        if abspath.endswith(".html"):
            return cls.page_bytes(abspath)
        return super().get_content(abspath, start, end)

    def get_content_size(self):
        if self.absolute_path.endswith(".html"):
            return len(self.page_bytes(self.absolute_path))
        return super().get_content_size()

    @classmethod
    def page_bytes(cls, abspath) -> bytes:
        with open(abspath, "rb") as stream:
            page = stream.read()
        if b"</head>" not in page:  # livereload's own injection needs </head>
            page = LIVE_SCRIPT + page
        if cls.overlay:
            marker = page.find(b">", page.find(b"<body")) + 1 if b"<body" in page else len(page)
            page = page[:marker] + cls.overlay + page[marker:]
        return page

    def write_error(self, status_code, **kwargs):
        if status_code == 404 and Path(self.not_found).is_file():
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(self.page_bytes(self.not_found))
        else:
            super().write_error(status_code, **kwargs)


class Preview:
    """Ties the incremental builder to the livereload server."""

    def __init__(self, config: SiteConfig, options: dict, out=sys.stdout):
        self.config = config
        self.builder = Incremental(config.content_dir, options)
        self.out = out
        self.failing = False

    def rebuild(self, workers: int | None = 1) -> Build:
        result = self.builder.rebuild(workers)
        for problem in result.diags.sorted():
            print(problem, file=self.out)
        if result.failed or result.diags.failed(self.config.strict):
            PreviewHandler.overlay = overlay_html(result.diags)
            print(f"build failed: {len(result.diags.errors)} error(s); still serving the last good site",
                  file=self.out, flush=True)
        else:
            PreviewHandler.overlay = b""
            print(result.line(), file=self.out, flush=True)
        changed = bool(result.rendered or result.removed or result.published) or self.failing != result.failed
        self.failing = result.failed
        if changed and LiveReloadHandler.waiters:
            LiveReloadHandler.reload_waiters("*")
        return result

    def watched(self) -> list[Path]:
        """The content folder and every template folder (a site's own, then the built-in one)."""
        return [self.config.content_dir, *self.config.template_dirs]


def serve(config: SiteConfig, options: dict, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Build, then serve under the site's base path until interrupted."""
    if not _is_loopback(host):
        print(f"warning: serving on {host} makes the preview reachable from other machines", file=sys.stderr)
    preview = Preview(config, options)
    first = preview.rebuild(workers=None)  # no thread runs yet: both cores may build
    if first.failed:
        print("fix the errors above, then save: the preview starts with an empty site", file=sys.stderr)
    config.output_dir.mkdir(parents=True, exist_ok=True)
    watcher = QuietWatcher()
    for folder in preview.watched():
        watcher.watch(str(folder), preview.rebuild)
    watcher.examine()  # record every file's time now, so nothing counts as changed at start
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    server = Server(watcher=watcher)
    server.SFH = PreviewHandler
    PreviewHandler.not_found = str(config.output_dir.resolve() / "404.html")
    PreviewHandler.prefix = config.base_path.lstrip("/")
    print(f"serving http://{host}:{port}{config.base_path} (Ctrl-C to stop)", flush=True)
    server.serve(port=port, host=host, root=str(config.output_dir), restart_delay=0)
    return 0


def _is_loopback(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")
