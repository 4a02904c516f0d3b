"""`import`: write one draft article per clipping, proposing the people and organisations it names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .clipping import Clipping, ClippingError, from_html, from_text
from .config import load_config
from .diagnostics import Diagnostics
from .frontmatter import yaml_string
from .index import build_site
from .load import load_content
from .model import ORGANISATION, PERSON
from .slugs import match_key, slugify

NAME_RE = re.compile(r"\b[A-ZÁÉÍÓÚÑÜÇ][\w'’-]+(?:\s+(?:de\s+la\s+|de\s+|del\s+)?[A-ZÁÉÍÓÚÑÜÇ][\w'’-]+){1,5}")
TITLE_WORDS = {
    "the", "a", "an", "mr", "mrs", "ms", "dr", "us", "u.s.", "mexican", "mexico's", "american", "former", "foreign",
    "minister", "ministry", "attorney", "general", "president", "secretary", "judge", "defense", "defence",
    "prosecutor", "prosecutors", "senator", "governor", "spokesman", "spokeswoman", "retired", "ex-minister",
    "but", "however", "and", "in", "on", "at", "when", "after", "before", "while", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "his", "her", "their", "this", "that",
}
PLACE_WORDS = {"los angeles", "united states", "new york", "mexico city", "latin american", "brooklyn"}


@dataclass(frozen=True, slots=True)
class Imported:
    path: Path
    people: tuple[str, ...]
    organisations: tuple[str, ...]
    unknown: tuple[str, ...]


def known_entities(content_dir: Path) -> dict[str, list[tuple[str, str]]]:
    """For each kind, (canonical name, any name or alias) of every entity the site already has."""
    diags = Diagnostics()
    config = load_config(content_dir, diags, no_search=True)
    site = build_site(config, load_content(config, diags), diags)
    known: dict[str, list[tuple[str, str]]] = {PERSON: [], ORGANISATION: []}
    for entity in site.entities.values():
        for name in (entity.name, *entity.aliases):
            known[entity.kind].append((entity.name, name))
    return known


def names_in(text: str, known: list[tuple[str, str]]) -> list[str]:
    """Canonical names of the known entities named in text (accents and case ignored), in order of appearance."""
    folded = f" {match_key(text)} "
    found: dict[str, int] = {}
    for canonical, name in known:
        key = match_key(name)
        if len(key) < 3:
            continue
        at = re.search(rf"(?<![\w]){re.escape(key)}(?![\w])", folded)
        if at and (canonical not in found or at.start() < found[canonical]):
            found[canonical] = at.start()
    return sorted(found, key=found.get)


def capitalised_names(text: str) -> list[str]:
    """Runs of two to four capitalised words, without leading titles: candidate names of people."""
    names: list[str] = []
    for match in NAME_RE.finditer(text):
        words = match.group(0).split()
        while words and words[0].lower().strip("'’") in TITLE_WORDS:
            words = words[1:]
        name = " ".join(words[:4]).removesuffix("'s").removesuffix("’s")
        if len(name.split()) >= 2 and name.lower() not in PLACE_WORDS and name not in names:
            names.append(name)
    return names


def article_text(clipping: Clipping, people: list[str], organisations: list[str], unknown: list[str]) -> str:
    """The new article file: front matter for a writer to confirm, then the clipping's paragraphs."""
    lines = ["---", f"title: {yaml_string(clipping.title)}", f"date: {clipping.date.isoformat()}"]
    if clipping.source:
        lines.append(f"source: {yaml_string(clipping.source)}")
    if clipping.source_url:
        lines.append(f"source_url: {yaml_string(clipping.source_url)}")
    lines += [f"summary: {yaml_string(clipping.summary)}", "draft: true  # imported: check it, then remove this line"]
    lines.append("people:" + ("" if people else " []"))
    lines += [f"  - {yaml_string(name)}" for name in people]
    lines.append("organisations:" + ("" if organisations else " []"))
    lines += [f"  - {yaml_string(name)}" for name in organisations]
    if unknown:
        lines.append("# Names in the text that the site does not know yet; add the right ones above:")
        lines += [f"#   {name}" for name in unknown]
    body = "\n\n".join(p.replace("<", "&lt;") for p in clipping.paragraphs)
    return "\n".join(lines + ["---", "", body, ""])


def read_clipping(path: Path) -> Clipping:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ClippingError(f"cannot read the file: {err.strerror}") from None
    text = raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
    start = text.lstrip()[:15].lower()
    looks_html = path.suffix.lower() in (".html", ".htm") or start.startswith(("<!doctype", "<html"))
    return from_html(text) if looks_html else from_text(text)


def import_clipping(path: Path, content_dir: Path, known: dict[str, list[tuple[str, str]]]) -> Imported:
    """Write content/articles/YYYY-MM-DD-<slug>.md for one clipping; never overwrites."""
    clipping = read_clipping(path)
    text = " ".join([clipping.title, *clipping.paragraphs])
    people = names_in(text, known[PERSON])
    organisations = names_in(text, known[ORGANISATION])
    if clipping.source and clipping.source not in organisations:
        organisations = [name for name in organisations if match_key(name) != match_key(clipping.source)]
    known_keys = {match_key(alias) for pairs in known.values() for _, alias in pairs}
    unknown = [name for name in capitalised_names(text) if match_key(name) not in known_keys
               and not any(match_key(name) in match_key(k) for k in people + organisations)]
    slug = slugify(clipping.title) or "clipping"
    target = content_dir / "articles" / f"{clipping.date.isoformat()}-{slug}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as handle:
        handle.write(article_text(clipping, people, organisations, unknown))
    return Imported(target, tuple(people), tuple(organisations), tuple(unknown))
