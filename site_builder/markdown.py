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
_PLACEHOLDER_RE = re.compile(f"{OPEN}(\\d+){CLOSE}")
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
class Rendered:
    html: str  # with placeholders for wikilinks
    wikilinks: tuple[WikiLink, ...]
    first_paragraph: str  # plain text, for a default summary


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
    """Give each wikilink its body line and its placeholder number, in reading order."""
    found = state.env.setdefault("wikilinks", [])
    line = 0
    for block in state.tokens:
        if block.map:
            line = block.map[0]
        for child in block.children or ():
            if child.type == "wikilink":
                src_line = line + block.content[: child.meta["offset"]].count("\n")
                child.meta["index"] = len(found)
                found.append(_parse_wikilink(child.meta["text"], src_line))


def _render_wikilink(self, tokens, idx, options, env) -> str:
    return f"{OPEN}{tokens[idx].meta['index']}{CLOSE}"


def _render_link_open(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    safe = scheme_allowed(token.attrGet("href") or "")
    env.setdefault("link_stack", []).append(safe)
    if not safe:
        return ""
    href = token.attrGet("href") or ""
    if href.startswith("/") and not href.startswith("//"):
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
    if scheme_allowed(token.attrGet("src") or ""):
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
    text = text.replace(OPEN, "\ufffd").replace(CLOSE, "\ufffd").replace("\ue002", "\ufffd")
    md = _parser(allow_html)
    env: dict = {}
    tokens = md.parse(text, env)
    html = md.renderer.render(tokens, md.options, env)
    links = tuple(env.get("wikilinks", ()))
    return Rendered(html, links, _first_paragraph(tokens, links))


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
            parts.append(links[child.meta["index"]].label)
        elif child.type == "image":
            parts.append(_plain_text(child.children or [], links))
    return "".join(parts)


def fill(html: str, links: list[str], root: str) -> str:
    """Put the rendered wikilinks (HTML, one per placeholder) and the site root into a body."""
    if OPEN in html:
        html = _PLACEHOLDER_RE.sub(lambda m: links[int(m.group(1))], html)
    return html.replace("\ue002", escapeHtml(root)) if "\ue002" in html else html  # (an attribute value)


def link_html(href: str | None, label: str, css_class: str = "") -> str:
    """An escaped wikilink: an <a> when href is known, plain text otherwise."""
    if href is None:
        return f'<span class="wikilink-missing">{escapeHtml(label)}</span>'
    cls = f' class="{css_class}"' if css_class else ""
    return f'<a href="{escapeHtml(href)}"{cls}>{escapeHtml(label)}</a>'
