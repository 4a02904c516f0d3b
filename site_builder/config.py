"""site.yaml and command-line flags -> one frozen SiteConfig."""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from . import frontmatter, i18n
from .diagnostics import Diagnostics, SourcePos
from .frontmatter import FALSE_WORDS, TRUE_WORDS

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
SITE_KEYS = ("title", "description", "base_url", "language", "allow_html", "search", "cname", "author",
             "keep_metadata", "translations")
FLAG_KEYS = ("allow_html", "search", "keep_metadata")
URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%]*")  # RFC 3986, with %-escapes
HOST_NAME = re.compile(r"(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?)+", re.ASCII)
EXAMPLE_URL = "https://owner.github.io/repo/"


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
    translations: tuple = ()  # (English text, the site's words): i18n.read_setting
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
                "drafts": self.drafts, "search": self.search, "keep_metadata": self.keep_metadata,
                "translations": self.translations, "words": i18n.digest(self.language, self.translations)}


def normalise_base_url(value: str) -> str | None:
    """'https://x.github.io/repo' -> 'https://x.github.io/repo/'; None when base_url_problem finds one."""
    if base_url_problem(value):
        return None
    parts = urlsplit(value.strip())
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}"


def base_url_problem(value: str) -> str | None:
    """What is wrong with a base_url, said so that a writer can mend it; None when it is a usable
    http(s) URL: a scheme, a host, and only characters a URL may hold (no quotes, spaces or <>), so
    it can go into any page, attribute or feed as it is."""
    text = value.strip()
    shown = f'base_url: "{text}"'
    if any(c in text for c in "\"'`"):
        return f"base_url: {text} has quotes in it; write the address alone, such as {EXAMPLE_URL}"
    if any(c.isspace() for c in text):
        return f"{shown} contains a space; a URL cannot (write %20, or use a path without spaces)"
    if "<" in text or ">" in text:
        return f"{shown} contains < or >; write the address alone, such as {EXAMPLE_URL}"
    if not URL_CHARACTERS.fullmatch(text):
        bad = next(c for c in text if not URL_CHARACTERS.fullmatch(c))
        return f'{shown} contains "{bad}", which a URL cannot hold; write it %-escaped or leave it out'
    parts = urlsplit(text)
    if not parts.scheme or "://" not in text:
        return f"{shown} has no scheme; write it as https://{text.lstrip(':/').rstrip('/')}/"
    if parts.scheme.lower() not in ("http", "https"):
        return f"{shown} must be an http or https URL such as {EXAMPLE_URL}"
    try:
        host, _ = parts.hostname, parts.port
    except ValueError:
        return f"{shown}: the port after the host must be a number from 1 to 65535"
    if not host:
        return f"{shown} has no host; write it as {EXAMPLE_URL}"
    if "@" in parts.netloc:
        return f"{shown}: a base_url has no user name or password before the host; leave them out"
    if not (HOST_NAME.fullmatch(host) or ":" in host):  # (":": an IPv6 address, which urlsplit checked)
        return f'{shown}: "{host}" is not a host name such as owner.github.io'
    if parts.query or parts.fragment or text.endswith(("?", "#")):
        return f"{shown}: a base_url has no ? or # part; write it as {EXAMPLE_URL}"
    return None


def cname_problem(cname: str, base_url: str | None) -> tuple[str, str] | None:
    """('error' or 'warning', message) when cname is not a bare host name or disagrees with base_url."""
    host = cname.strip().lower().rstrip(".")
    if "/" in host or ":" in host or not HOST_NAME.fullmatch(host):
        return "error", (f'cname: "{cname}" must be a host name alone, such as dossiers.example.org '
                         "(no https:// and no path)")
    if base_url and urlsplit(base_url).hostname != host:
        path = urlsplit(base_url).path
        return "warning", (f'cname: "{cname}" but base_url is "{base_url}": the pages will link to '
                           f"{urlsplit(base_url).hostname}{path}, which is not where {cname} serves them; "
                           f"set base_url: https://{host}/ (or remove cname)")
    return None


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
    lines = values.pop("_lines", {})
    if values.get("base_url"):
        url = normalise_base_url(values["base_url"])
        if url is None:
            where = SourcePos("--base-url") if base_override else SourcePos(shown, lines.get("base_url", 1))
            diags.error(where, base_url_problem(values["base_url"]))
        values["base_url"] = url
    if values.get("cname") and (problem := cname_problem(values["cname"], values.get("base_url"))):
        level, message = problem
        (diags.error if level == "error" else diags.warning)(SourcePos(shown, lines.get("cname", 1)), message)
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
    values: dict = {"_lines": {key: lines.get((key,), 1) for key in data}}
    for key, value in data.items():
        pos = SourcePos(shown, lines.get((key,), 1))
        if key not in SITE_KEYS:
            [near] = get_close_matches(str(key).lower(), SITE_KEYS, n=1, cutoff=0) or [SITE_KEYS[0]]
            hint = (f'did you mean "{near}"?' if get_close_matches(str(key).lower(), [near], cutoff=0.6)
                    else f'the nearest is "{near}"; the settings are {", ".join(SITE_KEYS)}')
            diags.warning(pos, f"{key}: unknown setting, ignored; {hint}")
        elif key in ("language", "translations"):
            if (setting := i18n.read_setting(key, value, pos, lines, diags)) is not None:
                values[key] = setting
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
    return values
