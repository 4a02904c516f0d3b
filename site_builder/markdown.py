"""CommonMark + tables + footnotes, with [[wikilinks]] and safe links.

A body is rendered once, when it is loaded, into HTML in which every wikilink is
a placeholder; the index later resolves each one and `fill` puts the link in."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from mdit_py_plugins.footnote import footnote_plugin

from .records import record

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
OPEN, CLOSE = "\ue000", "\ue001"  # private-use marks around a placeholder number
FILE_OPEN, FILE_CLOSE = "\ue003", "\ue004"  # around the number of a link or picture naming a content file
_PLACEHOLDER_RE = re.compile(f"{OPEN}(\\d+){CLOSE}")
_FILE_RE = re.compile(f"{FILE_OPEN}(\\d+){FILE_CLOSE}")
_MARKS = (OPEN, CLOSE, "\ue002", FILE_OPEN, FILE_CLOSE)
_WIKILINK_RE = re.compile(r"\[\[([^\[\]\n|]+?)(?:\|([^\[\]\n]+?))?\]\]")
_CONTROL_RE = re.compile(r"[\x00-\x20\x7f]+")


@record
class WikiLink:
    """`[[target]]` or `[[target|label]]`; kind is set by a 'person:' or 'organisation:' prefix."""

    target: str
    label: str
    kind: str | None
    line: int  # 0-based line within the body


@record
class FileLink:
    """A link or picture in a body that names a content file, resolved by files.py."""

    target: str  # as written (percent-encoded as Markdown normalises it)
    line: int  # 0-based line within the body
    image: bool
    alt: str = ""
    title: str | None = None


@record
class Rendered:
    html: str  # with placeholders for wikilinks and for links and pictures naming content files
    wikilinks: tuple[WikiLink, ...]
    first_paragraph: str  # plain text, for a default summary
    files: tuple[FileLink, ...] = ()
    no_alt: tuple[int, ...] = ()  # body lines of pictures without alt text


def names_file(href: str, image: bool) -> bool:
    """True for a relative or site-root link that names a content file: any picture's, and a
    link's whose last path part has an extension (`a.pdf`, `../x.md`; not `/people/x/`)."""
    if not href or href.startswith(("#", "//", "?")) or not scheme_allowed(href) or _has_scheme(href):
        return False
    path = re.split(r"[?#]", href, maxsplit=1)[0]
    last = path.rsplit("/", 1)[-1]
    return bool(path) and (image or "." in last.strip("."))


def _has_scheme(href: str) -> bool:
    for char in href:
        if char in "/?#":
            return False
        if char == ":":
            return True
    return False


def scheme_allowed(href: str) -> bool:
    """True for http, https, mailto and relative URLs; False for javascript:, data: and the like."""
    bare = _CONTROL_RE.sub("", href)
    for char in bare:
        if char in "/?#":
            return True
        if char == ":":
            scheme = bare.split(":", 1)[0].lower()
            return scheme in SAFE_SCHEMES
    return True


def _parse_wikilink(text: str, line: int) -> WikiLink:
    target, _, label = text.partition("|")
    target, label = target.strip(), label.strip()
    kind = None
    prefix, sep, rest = target.partition(":")
    if sep and prefix.strip().lower() in ("person", "organisation", "organization"):
        kind = "person" if prefix.strip().lower() == "person" else "organisation"
        target = rest.strip()
    return WikiLink(target, label or target, kind, line)


def _wikilink_rule(state, silent: bool) -> bool:
    if not state.src.startswith("[[", state.pos):
        return False
    match = _WIKILINK_RE.match(state.src, state.pos)
    if not match or match.end() > state.posMax:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.meta = {"text": match.group(0)[2:-2], "offset": state.pos}
    state.pos = match.end()
    return True


def _number_wikilinks(state) -> None:
    """Give each wikilink, and each link or picture naming a content file, its body line and its
    placeholder number, in reading order."""
    found = state.env.setdefault("wikilinks", [])
    files, no_alt = state.env.setdefault("files", []), state.env.setdefault("no_alt", [])
    line = 0
    for block in state.tokens:
        if block.map:
            line = block.map[0]
        breaks = 0
        for child in block.children or ():
            if child.type in ("softbreak", "hardbreak"):
                breaks += 1
            elif child.type == "wikilink":
                src_line = line + block.content[: child.meta["offset"]].count("\n")
                child.meta["index"] = len(found)
                found.append(_parse_wikilink(child.meta["text"], src_line))
            elif child.type in ("link_open", "image"):
                image = child.type == "image"
                href = child.attrGet("src" if image else "href") or ""
                alt = _plain_text(child.children or [], ()) if image else ""
                if image and not alt.strip():
                    no_alt.append(line + breaks)
                if names_file(href, image):
                    child.meta["file"] = len(files)
                    files.append(FileLink(href, line + breaks, image, alt, child.attrGet("title") if image else None))


def _render_wikilink(self, tokens, idx, options, env) -> str:
    return f"{OPEN}{tokens[idx].meta['index']}{CLOSE}"


def _render_link_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    safe = scheme_allowed(token.attrGet("href") or "")
    env.setdefault("link_stack", []).append(safe)
    if not safe:
        return ""
    href = token.attrGet("href") or ""
    if "file" in token.meta:
        token.attrSet("href", f"{FILE_OPEN}{token.meta['file']}{FILE_CLOSE}")  # its published URL, later
    elif href.startswith("/") and not href.startswith("//"):
        token.attrSet("href", "\ue002" + href[1:])  # site-root link: base path filled in later
    text = tokens[idx + 1] if idx + 2 < len(tokens) and tokens[idx + 2].type == "link_close" else None
    if text is not None and text.type == "text" and text.content in (href, href.removeprefix("mailto:")):
        token.attrSet("class", "url")  # its text is its address: print it once (style.css)
    return self.renderToken(tokens, idx, options, env)


def _render_link_close(self, tokens, idx, options, env) -> str:
    stack = env.get("link_stack") or [True]
    return self.renderToken(tokens, idx, options, env) if stack.pop() else ""


def _render_image(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if "file" in token.meta:
        return f"{FILE_OPEN}{token.meta['file']}{FILE_CLOSE}"  # the whole <img>, with its size, later
    if scheme_allowed(token.attrGet("src") or ""):
        token.attrSet("loading", "lazy")
        return self.image(tokens, idx, options, env)
    return escapeHtml(self.renderInlineAsText(token.children or [], options, env))


@lru_cache(maxsize=2)
def _parser(allow_html: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": allow_html}).enable("table").use(footnote_plugin)
    md.validateLink = lambda url: True  # unsafe schemes are dropped when rendering, keeping the text
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    md.core.ruler.push("number_wikilinks", _number_wikilinks)
    md.add_render_rule("wikilink", _render_wikilink)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("link_close", _render_link_close)
    md.add_render_rule("image", _render_image)
    return md


def render(text: str, allow_html: bool = False) -> Rendered:
    """Render a Markdown body; raw HTML shows as text unless allow_html."""
    for mark in _MARKS:
        text = text.replace(mark, "\ufffd")
    md = _parser(allow_html)
    env: dict = {}
    tokens = md.parse(text, env)
    html = md.renderer.render(tokens, md.options, env)
    links = tuple(env.get("wikilinks", ()))
    return Rendered(html, links, _first_paragraph(tokens, links), tuple(env.get("files", ())),
                    tuple(env.get("no_alt", ())))


def _first_paragraph(tokens, links: tuple[WikiLink, ...]) -> str:
    for i, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0:
            return " ".join(_plain_text(tokens[i + 1].children or [], links).split())
    return ""


def _plain_text(children, links: tuple[WikiLink, ...]) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "wikilink":
            parts.append(links[child.meta["index"]].label if "index" in child.meta else child.meta["text"])
        elif child.type == "image":
            parts.append(_plain_text(child.children or [], links))
    return "".join(parts)


def fill(html: str, links: list[str], root: str, files: list[str] = ()) -> str:
    """Put the rendered wikilinks (HTML, one per placeholder), the links and pictures naming
    content files (file_html) and the site root into a body."""
    if OPEN in html:
        html = _PLACEHOLDER_RE.sub(lambda m: links[int(m.group(1))], html)
    if FILE_OPEN in html:
        html = _FILE_RE.sub(lambda m: files[int(m.group(1))], html)
    return html.replace("\ue002", escapeHtml(root)) if "\ue002" in html else html  # (an attribute value)


def file_html(link: FileLink, url: str, size: tuple[int, int] | None) -> str:
    """What a FileLink's placeholder becomes: an escaped URL for a link; for a picture the whole
    <img>, with its width and height when known, loading lazily."""
    if not link.image:
        return escapeHtml(url)
    title = f' title="{escapeHtml(link.title)}"' if link.title else ""
    dims = f' width="{size[0]}" height="{size[1]}"' if size else ""
    return f'<img src="{escapeHtml(url)}" alt="{escapeHtml(link.alt)}"{title}{dims} loading="lazy" />'


def link_html(href: str | None, label: str, css_class: str = "") -> str:
    """An escaped wikilink: an <a> when href is known, plain text otherwise."""
    if href is None:
        return f'<span class="wikilink-missing">{escapeHtml(label)}</span>'
    cls = f' class="{css_class}"' if css_class else ""
    return f'<a href="{escapeHtml(href)}"{cls}>{escapeHtml(label)}</a>'
