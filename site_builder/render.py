"""Jinja environment: a site's templates override the built-in ones; one URL helper."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .config import SiteConfig
from .pages import plain


def make_environment(config: SiteConfig) -> Environment:
    """Autoescaping on for everything; `url` and `absolute_url` filters honour base_url."""
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in config.template_dirs]),
        autoescape=select_autoescape(default_for_string=True, default=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["url"] = config.url
    env.filters["absolute_url"] = config.absolute_url
    env.filters["tojson_compact"] = lambda value: json.dumps(value, ensure_ascii=False, sort_keys=True)
    return env


def template_hash(config: SiteConfig) -> str:
    """A digest of every template and static file, so a template edit changes fingerprints."""
    digest = hashlib.sha256()
    for folder in config.template_dirs:
        for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def render_page(env: Environment, template: str, context: dict) -> bytes:
    """The bytes of one page."""
    if template == "json":
        # Compact: with indent, json falls back to its pure-Python encoder (ten times slower).
        text = json.dumps(context["data"], ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                          default=plain) + "\n"
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")  # safe to inline
    else:
        text = env.get_template(template).render(context)
    return text.encode("utf-8")


def static_files(config: SiteConfig) -> dict[str, Path]:
    """Files under each template folder's static/, a site's own winning: output path -> source."""
    files: dict[str, Path] = {}
    for folder in reversed(config.template_dirs):
        static = Path(folder) / "static"
        if static.is_dir():
            for path in sorted(p for p in static.rglob("*") if p.is_file()):
                files["static/" + path.relative_to(static).as_posix()] = path
    return files
