"""site.yaml and command-line flags -> one frozen SiteConfig."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from . import frontmatter
from .diagnostics import Diagnostics, SourcePos
from .fields import FALSE_WORDS, TRUE_WORDS

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
SITE_KEYS = ("title", "description", "base_url", "language", "allow_html", "search", "cname", "author",
             "keep_metadata")
FLAG_KEYS = ("allow_html", "search", "keep_metadata")


@functools.lru_cache(maxsize=16)  # asked for every link of every page
def _base_path(base_url: str | None) -> str:
    if not base_url:
        return "/"
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


@dataclass(frozen=True, slots=True)
class SiteConfig:
    title: str = "Dossiers"
    description: str = ""
    base_url: str | None = None  # absolute, ends with '/', or None: served from the host's root
    language: str = "en"
    allow_html: bool = False
    search: bool = True  # a search index (search.py) and a /search/ page
    cname: str | None = None
    author: str | None = None
    keep_metadata: bool = False  # publish pictures with their EXIF, XMP and IPTC (files.py)
    content_dir: Path = Path("content")
    output_dir: Path = Path("output")
    template_dirs: tuple[Path, ...] = (PACKAGE_TEMPLATES,)
    drafts: bool = False
    strict: bool = False

    @property
    def base_path(self) -> str:
        """The URL path the site lives under: '/' or '/sub/path/'."""
        return _base_path(self.base_url)

    def url(self, path: str) -> str:
        """The one URL helper: a site path such as '/people/x/' under base_url's sub-path."""
        return self.base_path + path.lstrip("/")

    def absolute_url(self, path: str) -> str:
        """A site path as an absolute URL (root-relative when there is no base_url)."""
        return (self.base_url or "/") + path.lstrip("/")

    def display_path(self, rel: str) -> str:
        """How a content file is named in messages: as the user named the content folder."""
        return os.path.join(str(self.content_dir), *rel.split("/"))

    def settings(self) -> dict:
        """What every page may depend on, for fingerprints (no machine paths)."""
        return {"title": self.title, "description": self.description, "base_url": self.base_url,
                "language": self.language, "allow_html": self.allow_html, "author": self.author,
                "drafts": self.drafts, "search": self.search, "keep_metadata": self.keep_metadata}


def normalise_base_url(value: str) -> str | None:
    """'https://x.github.io/repo' -> 'https://x.github.io/repo/'; None when not http(s)."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def default_templates(content_dir: Path) -> tuple[Path, ...]:
    """A site's own templates/ (beside its content/) first, then the built-in ones."""
    own = content_dir.resolve().parent / "templates"
    if own.is_dir() and own != PACKAGE_TEMPLATES:
        return (own, PACKAGE_TEMPLATES)
    return (PACKAGE_TEMPLATES,)


def load_config(content_dir: Path, diags: Diagnostics, **overrides) -> SiteConfig:
    """Read content/site.yaml (optional) and apply command-line overrides."""
    values: dict = {}
    path = content_dir / "site.yaml"
    shown = os.path.join(str(content_dir), "site.yaml")
    if path.is_file():
        values = _read_site_yaml(path, shown, diags)
    base_override = overrides.pop("base_url", None)
    if base_override is not None:
        values["base_url"] = base_override
    if values.get("base_url"):
        url = normalise_base_url(values["base_url"])
        if url is None:
            where = SourcePos("--base-url") if base_override else SourcePos(shown, values.pop("_base_line", 1))
            diags.error(where, f'base_url: "{values["base_url"]}" must be an http or https URL '
                               "such as https://owner.github.io/repo/")
        values["base_url"] = url
    values.pop("_base_line", None)
    if overrides.pop("no_search", False):
        values["search"] = False
    templates = overrides.pop("templates", None)
    template_dirs = (Path(templates), PACKAGE_TEMPLATES) if templates else default_templates(content_dir)
    return SiteConfig(content_dir=content_dir, template_dirs=template_dirs, **values, **overrides)


def _read_site_yaml(path: Path, shown: str, diags: Diagnostics) -> dict:
    from difflib import get_close_matches

    try:
        text = frontmatter.decode(path.read_bytes())
        data, lines = frontmatter.parse_yaml(text)
    except frontmatter.FrontMatterError as err:
        diags.error(SourcePos(shown, err.line), err.message)
        return {}
    if not isinstance(data, dict):
        diags.error(SourcePos(shown, 1), "site.yaml must be a mapping of settings such as 'title: ...'")
        return {}
    values: dict = {}
    for key, value in data.items():
        pos = SourcePos(shown, lines.get((key,), 1))
        if key not in SITE_KEYS:
            near = get_close_matches(key, SITE_KEYS, n=1)
            hint = f'; did you mean "{near[0]}"?' if near else f"; known keys: {', '.join(SITE_KEYS)}"
            diags.warning(pos, f"{key}: unknown setting{hint}")
        elif key in FLAG_KEYS:
            word = str(value).lower()
            if word not in TRUE_WORDS | FALSE_WORDS:
                diags.error(pos, f'{key}: "{value}" is not true or false')
            values[key] = word in TRUE_WORDS
        elif value is None:
            continue
        elif not isinstance(value, str):
            diags.error(pos, f"{key}: expected text, found a {'list' if isinstance(value, list) else 'mapping'}")
        else:
            values[key] = value
            if key == "base_url":
                values["_base_line"] = pos.line
    return values
