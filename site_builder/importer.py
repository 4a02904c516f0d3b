"""`import`: write one draft article per clipping, proposing the people, organisations and dated events it names."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .clipping import Clipping, ClippingError, from_html, from_text
from .config import load_config
from .datelines import FoundDate, find_dates
from .diagnostics import Diagnostics
from .frontmatter import yaml_string
from .index import build_site
from .load import load_content
from .model import ORGANISATION, PERSON
from .proposals import candidates, known_in
from .slugs import match_key, slugify

# `documents:` (contract version 2) is written as a live entry: the loader reads it (files.py publishes the PDF).
COMMENT_DOCUMENTS = False
MAX_EVENTS = 20
MAX_SCANNED = 300  # paragraphs read for dates: all of a news story, the first pages of a long document
_SENTENCE_RE = re.compile(r"(?<=[.!?…])[\"”»]?\s+(?=[\"“«¿¡(]?[A-ZÁÉÍÓÚÑ0-9])")
_MARKDOWN_START_RE = re.compile(r"^(\s*)([#>*+|=-]|\d+[.)]\s)")


@dataclass(frozen=True, slots=True)
class Known:
    """What the site already has: (canonical name, a name or alias) per kind, and the site's language."""

    entities: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: {PERSON: [], ORGANISATION: []})
    language: str = "en"


@dataclass(frozen=True, slots=True)
class Imported:
    path: Path
    people: tuple[str, ...]
    organisations: tuple[str, ...]
    unknown_people: tuple[str, ...] = ()
    unknown_organisations: tuple[str, ...] = ()
    events: int = 0

    @property
    def unknown(self) -> tuple[str, ...]:
        return self.unknown_people + self.unknown_organisations


def known_entities(content_dir: Path) -> Known:
    """The entities and language of the site in content_dir; nothing known when there is no site yet."""
    if not content_dir.is_dir():
        return Known()
    diags = Diagnostics()
    config = load_config(content_dir, diags, no_search=True)
    site = build_site(config, load_content(config, diags), diags)
    known: dict[str, list[tuple[str, str]]] = {PERSON: [], ORGANISATION: []}
    for entity in site.entities.values():
        for name in (entity.name, *entity.aliases):
            known[entity.kind].append((entity.name, name))
    return Known(known, config.language)


def read_clipping(path: Path, language: str = "en") -> Clipping:
    """The clipping in a .txt, .html or .pdf file; `language` is the site's, for a clipping too short to tell."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ClippingError(f"cannot read the file: {err.strerror}") from None
    if raw.startswith(b"%PDF") or path.suffix.lower() == ".pdf":
        from .pdf_clipping import from_pdf

        return from_pdf(raw, language)
    text = raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
    start = text.lstrip()[:15].lower()
    looks_html = path.suffix.lower() in (".html", ".htm") or start.startswith(("<!doctype", "<html"))
    return from_html(text, language) if looks_html else from_text(text, language)


def event_suggestions(clipping: Clipping) -> list[tuple[FoundDate, str]]:
    """Each date said in the article's paragraphs (the first MAX_SCANNED) with the sentence that says it, by
    date; one per sentence and date."""
    seen, found = set(), []
    for paragraph in dict.fromkeys(clipping.paragraphs[:MAX_SCANNED]):
        for date in find_dates(paragraph, clipping.language, clipping.date):
            sentence = _sentence_at(paragraph, date.start)
            if (date.date.edtf(), sentence) not in seen:
                seen.add((date.date.edtf(), sentence))
                found.append((date, sentence))
    found.sort(key=lambda pair: (pair[0].date.earliest(), pair[0].date.precision))
    return found[:MAX_EVENTS]


def _sentence_at(paragraph: str, at: int) -> str:
    start = 0
    for boundary in _SENTENCE_RE.finditer(paragraph):
        if boundary.end() > at:
            return paragraph[start:boundary.start() + 1].strip()
        start = boundary.end()
    return paragraph[start:].strip()


def front_matter(clipping: Clipping, people: list[str], organisations: list[str], unknown: tuple[list, list],
                 document: str | None = None) -> list[str]:
    """The draft's front matter: what the clipping says, what the site knows, and commented suggestions."""
    lines = ["---", f"title: {yaml_string(clipping.title)}", f"date: {clipping.date.isoformat()}"]
    if clipping.source:
        lines.append(f"source: {yaml_string(clipping.source)}")
    if clipping.source_url:
        lines.append(f"source_url: {yaml_string(clipping.source_url)}")
    lines += [f"summary: {yaml_string(clipping.summary)}", "draft: true  # imported: check it, then remove this line"]
    for key, names, new, what in (("people", people, unknown[0], "People"),
                                  ("organisations", organisations, unknown[1], "Organisations")):
        lines.append(f"{key}:" + ("" if names else " []"))
        lines += [f"  - {yaml_string(name)}" for name in names]
        if new:
            lines.append(f"# {what} named in the text that the site does not know yet; add the right ones above:")
            lines += [f"#   {name}" for name in new]
    if document:
        mark = "# " if COMMENT_DOCUMENTS else ""
        lines += [f"{mark}documents:  # the PDF this draft was imported from, copied beside it",
                  f"{mark}  - file: {yaml_string(document)}", f"{mark}    title: {yaml_string(clipping.title)}",
                  f"{mark}    date: {clipping.date.isoformat()}"]
    suggestions = event_suggestions(clipping)
    if suggestions:
        lines.append("# events:  # dates found in the text: uncomment the real events, check each date, reword")
        for date, sentence in suggestions:
            lines += [f"#   - date: {date.date.edtf()}  # {' '.join(date.text.split())}",
                      f"#     text: {yaml_string(sentence)}"]
    return lines + ["---"]


def _markdown_paragraph(text: str) -> str:
    """A paragraph of clipped text as Markdown that shows it as written: no markup, no accidental lists."""
    text = text.replace("<", "&lt;")
    return _MARKDOWN_START_RE.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def article_text(clipping: Clipping, people: list[str], organisations: list[str],
                 unknown: tuple[list, list] = ([], []), document: str | None = None) -> str:
    """The new article file: front matter for a writer to confirm, then the clipping's paragraphs."""
    body = "\n\n".join(_markdown_paragraph(p) for p in clipping.paragraphs)
    return "\n".join(front_matter(clipping, people, organisations, unknown, document) + ["", body, ""])


def proposals(clipping: Clipping, known: Known) -> tuple[list[str], list[str], list[str], list[str]]:
    """Known people and organisations the clipping names, and the new names that look like either."""
    text = "\n".join([clipping.title, *clipping.paragraphs])
    people = known_in(text, known.entities[PERSON], person=True)
    organisations = known_in(text, known.entities[ORGANISATION], person=False)
    covered = [match_key(alias) for pairs in known.entities.values() for _, alias in pairs]
    covered += [match_key(name) for name in people + organisations + [clipping.source]]  # the source has its field

    def new(name: str) -> bool:
        key = match_key(name)
        return not any(key == other or f" {key} " in f" {other} " or f" {other} " in f" {key} " for other in covered
                       if len(other) >= 4)

    new_people, new_organisations = candidates(text, clipping.language)
    return (people, organisations, [n for n in new_people if new(n)], [n for n in new_organisations if new(n)])


def import_clipping(path: Path, content_dir: Path, known: Known) -> Imported:
    """Write content/articles/YYYY-MM-DD-<slug>.md for one clipping (a folder with index.md and the file
    itself for a PDF); never overwrites."""
    clipping = read_clipping(path, known.language)
    people, organisations, new_people, new_organisations = proposals(clipping, known)
    name = f"{clipping.date.isoformat()}-{slugify(clipping.title) or 'clipping'}"
    document = None
    if clipping.is_pdf:
        folder = content_dir / "articles" / name
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir()  # FileExistsError: an earlier import of the same document
        document = f"{slugify(path.stem) or 'document'}.pdf"
        shutil.copyfile(path, folder / document)
        target = folder / "index.md"
    else:
        target = content_dir / "articles" / f"{name}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
    text = article_text(clipping, people, organisations, (new_people, new_organisations), document)
    with open(target, "x", encoding="utf-8") as handle:
        handle.write(text)
    return Imported(target, tuple(people), tuple(organisations), tuple(new_people), tuple(new_organisations),
                    text.count("#   - date:"))
