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

import errno
import html
import logging
import socket
import sys
from pathlib import Path

from livereload import Server
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from livereload.watcher import Watcher
from tornado import netutil, web

from . import guard
from .builder import Build
from .config import SiteConfig
from .diagnostics import Diagnostics
from .incremental import Incremental

LIVE_SCRIPT = (b'<script>(function(){var s=document.createElement("script");'
               b's.src="/livereload.js?port="+(window.location.port||80);document.head.appendChild(s);})();</script>')
POLL_MS = 300


class StartError(Exception):
    """The preview cannot start: one line saying why and what to do."""


class QuietWatcher(Watcher):
    """Runs our rebuild on a change but never asks livereload itself to reload."""

    def examine(self):
        self._changes.clear()  # serve() queues a reload of every browser at start
        super().examine()
        return None, None


def overlay_html(diags: Diagnostics, strict: bool = False) -> bytes:
    """The error box shown over the page while the content has errors (or warnings, with --strict)."""
    items = "".join(f"<li><code>{html.escape(d.path)}:{d.line}</code> {html.escape(d.message)}</li>"
                    for d in diags.sorted() if d.level == "error" or strict)
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
        elif status_code == 404 and self.overlay:  # nothing built yet: the errors, and a reload when fixed
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(b"<!doctype html><title>Build failed</title><body>" + LIVE_SCRIPT + self.overlay)
        else:
            super().write_error(status_code, **kwargs)


class Preview:
    """Ties the incremental builder to the livereload server."""

    def __init__(self, config: SiteConfig, options: dict, out=sys.stdout):
        self.config = config
        self.builder = Incremental(config.content_dir, options)
        self.out = out
        self.warned: set = set()  # the warnings printed already: each is printed once, errors every time

    def rebuild(self, workers: int | None = 1) -> Build:
        """Rebuild, print one line (after the errors and any new warnings) and reload the browsers
        when a page or the error overlay changed."""
        result = self.builder.rebuild(workers)
        problems = result.diags.sorted()
        for problem in problems:
            if problem.level == "error" or problem not in self.warned:
                print(problem, file=self.out)
        self.warned = {problem for problem in problems if problem.level != "error"}
        before = PreviewHandler.overlay
        if result.diags.failed(self.config.strict):
            PreviewHandler.overlay = overlay_html(result.diags, self.config.strict)
            count = len(result.diags.errors) or len(result.diags.warnings)
            kind = "error" if result.diags.errors else "warning"
            why = f"{count} {kind}{'s' * (count != 1)}" + ("" if result.diags.errors else " with --strict")
            shown = ("still serving the last good build" if (self.config.output_dir / "index.html").is_file()
                     else "nothing to serve yet")
            print(f"build failed: {why}; {shown}", file=self.out, flush=True)
        else:
            PreviewHandler.overlay = b""
            print(result.line(), file=self.out, flush=True)
        changed = bool(result.rendered or result.removed or result.published) or PreviewHandler.overlay != before
        if changed and LiveReloadHandler.waiters:
            LiveReloadHandler.reload_waiters("*")
        return result

    def watched(self) -> list[Path]:
        """The content folder and every template folder (a site's own, then the built-in one), with
        templates/ beside the content even before it exists: one made while previewing counts."""
        own = self.config.content_dir.resolve().parent / "templates"
        return [self.config.content_dir, *dict.fromkeys([own, *self.config.template_dirs])]


class PreviewServer(Server):
    """livereload's server, quiet unless asked (no line per request or per browser), saying it
    serves only once it listens."""

    def __init__(self, watcher: Watcher, verbose: bool, ready: str):
        super().__init__(watcher=watcher)
        self.verbose, self.ready = verbose, ready

    def _setup_logging(self):
        if self.verbose:
            return super()._setup_logging()
        channel = logging.StreamHandler()
        for name, level in (("livereload", logging.WARNING), ("tornado", logging.WARNING),
                            ("tornado.access", logging.ERROR)):  # (a 404 is the page's business, not news)
            logging.getLogger(name).setLevel(level)
            logging.getLogger(name).addHandler(channel)

    def application(self, port, host, **options):
        try:
            app = super().application(port, host, **options)
        except OSError as err:
            raise StartError(_listen_problem(host, port, err)) from None
        print(self.ready, flush=True)
        return app


def serve(config: SiteConfig, options: dict, host: str = "127.0.0.1", port: int = 8000,
          verbose: bool = False) -> int:
    """Build, then serve under the site's base path until interrupted; 2 when it cannot start. No
    build may write output/ meanwhile (its state would no longer be the preview's)."""
    try:
        check_listen(host, port)  # before the build: a taken port is said at once
        config.output_dir.mkdir(parents=True, exist_ok=True)
    except (StartError, OSError) as err:
        print(err if isinstance(err, StartError) else f"{config.output_dir}: cannot write here ({err.strerror})",
              file=sys.stderr)
        return 2
    with guard.locked(config.output_dir, "serve"):
        return _serve(config, options, host, port, verbose)


def _serve(config: SiteConfig, options: dict, host: str, port: int, verbose: bool) -> int:
    if not _is_loopback(host):
        print(f"warning: serving on {host} makes the preview reachable from other machines", file=sys.stderr)
    preview = Preview(config, options)
    preview.rebuild(workers=None)  # no thread runs yet: both cores may build
    watcher = QuietWatcher()
    for folder in preview.watched():
        watcher.watch(str(folder), preview.rebuild)
    watcher.examine()  # record every file's time now, so nothing counts as changed at start
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    server = PreviewServer(watcher, verbose, f"serving http://{host}:{port}{config.base_path} (Ctrl-C to stop)")
    server.SFH = PreviewHandler
    PreviewHandler.not_found = str(config.output_dir.resolve() / "404.html")
    PreviewHandler.prefix = config.base_path.lstrip("/")
    try:
        server.serve(port=port, host=host, root=str(config.output_dir), restart_delay=0)
    except StartError as err:
        print(err, file=sys.stderr)
        return 2
    finally:
        preview.builder.close()
    return 0


def check_listen(host: str, port: int) -> None:
    """Raise StartError unless the preview could listen on host:port."""
    if not 0 < port < 65536:
        raise StartError(f"--port {port}: a port is a number from 1 to 65535, such as --port 8000")
    try:
        sockets = netutil.bind_sockets(port, host)
    except OSError as err:
        raise StartError(_listen_problem(host, port, err)) from None
    for sock in sockets:
        sock.close()


def _listen_problem(host: str, port: int, err: OSError) -> str:
    if err.errno == errno.EADDRINUSE:
        return (f"port {port} is already in use on {host} (another preview?); stop it or choose another "
                f"port with --port, such as --port {port + 1 if port < 65535 else 8000}")
    if err.errno == errno.EACCES:
        return f"port {port} needs administrator rights on this machine; choose one above 1023 with --port"
    if isinstance(err, socket.gaierror) or err.errno == errno.EADDRNOTAVAIL:
        return f"--host {host}: not an address of this machine; the default is --host 127.0.0.1"
    return f"cannot listen on {host}:{port}: {err.strerror or err}; choose another --port or --host"


def _is_loopback(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")
