"""Turn a news clipping saved from the web (.txt or .html) into the parts of an article."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from . import datelines
from .boilerplate import is_boilerplate, is_byline, is_footer, is_menu, is_noise
from .clipping_language import base_language, detect_language

TITLE_SUFFIX_RE = re.compile(r"\s*[:|–—-]\s*(?:report|reports|video|photos|live updates|opinion|"
                             r"informe|reporte|fotos|en vivo|opinión)\s*$", re.I)
NO_DATELINE = ("found no dateline (such as 'Saturday, 21 November 2020', 'viernes, 20 de noviembre de 2020' "
               "or 'MEXICO CITY, Jan 15, 2021 (Reuters) -')")
_HEADER_LINES = 60  # a dateline further down than this is in the article, not above it


@dataclass(slots=True)
class Clipping:
    title: str = ""
    date: dt.date | None = None
    source: str = ""
    source_url: str = ""
    paragraphs: list[str] = field(default_factory=list)
    language: str = "en"
    is_pdf: bool = False  # a document to keep beside the article, not a web page

    @property
    def summary(self) -> str:
        """The first paragraph of prose (a PDF opens with headings)."""
        prose = (p for p in self.paragraphs if len(p.split()) >= 8 and not p.isupper())
        return next(prose, self.paragraphs[0] if self.paragraphs else "")


class ClippingError(ValueError):
    """No article could be found in the file; the message says why."""


def parse_date(line: str, language: str = "en") -> dt.date | None:
    """The publication date of a dateline ('Saturday, 21 November 2020 2:32 PM', 'Nov. 21, 2020', ...)."""
    found = datelines.publication_date(datelines.dateline(" ".join(line.split()), language))
    return found.date.earliest() if found else None


def from_text(text: str, language: str = "en") -> Clipping:
    """A plain-text clipping: banners and repeated section names above, sign-up footers below.
    `language` is the site's: the clipping's own is detected, and this one kept when unsure."""
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    clipping = Clipping(language=detect_language(text, language))
    first, body, dates = _header(lines, clipping.language)
    header = lines[:first]
    counts = Counter(header)
    repeated = [line for line in header if counts[line] > 1 and len(line.split()) <= 6]
    clipping.source = repeated[-1] if repeated else ""
    headline = [line for line in header if counts[line] == 1 and len(line.split()) >= 4
                and not is_boilerplate(line, clipping.language) and not is_byline(line)]
    if headline:
        clipping.title = TITLE_SUFFIX_RE.sub("", headline[-1]).strip()
    clipping.paragraphs = body_paragraphs(lines[body:], clipping.language)
    _read_wire(clipping, dates)
    if clipping.date is None:
        raise ClippingError(NO_DATELINE)
    return _checked(clipping)


def _header(lines: list[str], language: str) -> tuple[int, int, list[datelines.FoundDate]]:
    """Where the dateline lines start, where the article starts after them, and their dates.
    Without a dateline line, a paragraph opening with a wire dateline starts the article."""
    for i, line in enumerate(lines[:_HEADER_LINES]):
        if len(line) >= 60 and datelines.wire_dateline(line, language, None):
            return i, i, []
        found = datelines.dateline(line, language)
        if found:
            end = i + 1
            while end < len(lines) and ((more := datelines.dateline(lines[end], language)) or is_byline(lines[end])):
                found += more
                end += 1
            return i, end, found
    raise ClippingError(NO_DATELINE)


def _read_wire(clipping: Clipping, dates: list[datelines.FoundDate]) -> None:
    """The publication date among the header's dates and a wire dateline's, unless the page's metadata
    gave one; the wire's agency as source, unless the page names its publication."""
    header_date = datelines.publication_date(dates)
    base = header_date.date.earliest() if header_date else None
    wire = datelines.wire_dateline(clipping.paragraphs[0], clipping.language, base) if clipping.paragraphs else None
    chosen = datelines.publication_date(dates + ([wire.date] if wire and wire.date else []))
    if chosen and clipping.date is None:
        clipping.date = chosen.date.earliest()
    if wire and not clipping.source:
        clipping.source = wire.agency


def from_html(html: str, language: str = "en") -> Clipping:
    """A page saved from a browser: trafilatura finds the title, site name, text and the date its markup
    gives (htmldate); else the date is the text's dateline."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False,
                                      date_extraction_params={"original_date": True, "extensive_search": False})
    if doc is None:
        raise ClippingError("found no article text in the page")
    data = doc if isinstance(doc, dict) else doc.as_dict()
    declared = re.search(r"<html[^>]*\slang=[\"']?([A-Za-z-]+)", html[:2000], re.I)
    text = data.get("text") or ""
    clipping = Clipping(title=TITLE_SUFFIX_RE.sub("", data.get("title") or "").strip(),
                        source=data.get("sitename") or "", source_url=data.get("url") or "",
                        language=detect_language(text, declared.group(1) if declared else language))
    if data.get("date"):
        clipping.date = dt.date.fromisoformat(data["date"][:10])
    if not clipping.source:
        clipping.source = _site_in_title(html, clipping.title)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    dates = [found for line in lines[:_HEADER_LINES] for found in datelines.dateline(line, clipping.language)]
    lines = [line for line in lines if line and line != clipping.title and not datelines.dateline(line, "en")
             and not datelines.dateline(line, clipping.language)]
    clipping.paragraphs = body_paragraphs(lines, clipping.language, stop_at_footer=False)
    _read_wire(clipping, dates)
    if clipping.date is None:
        clipping.date = _date_guessed(html)
    return _checked(clipping)


def _site_in_title(html: str, headline: str) -> str:
    """'Semanario Sur' from <title>Headline - Semanario Sur</title>, for a page that names its site nowhere else."""
    title = re.search(r"<title[^>]*>([^<]+)</title>", html[:20000], re.I)
    parts = re.split(r"\s+[-|–—]\s+", " ".join(title.group(1).split())) if title else []
    return parts[-1] if len(parts) == 2 and parts[0] == headline and len(parts[1].split()) <= 5 else ""


def _date_guessed(html: str) -> dt.date:
    """htmldate's guess from anywhere in the page, when neither its markup nor its text has a dateline:
    a guess, so only after both (it reads '© 2020' as 2020-01-01)."""
    from htmldate import find_date

    found = find_date(html, extensive_search=True, original_date=True)
    if not found:
        raise ClippingError("found no publication date")
    return dt.date.fromisoformat(found[:10])


def body_paragraphs(lines: list[str], language: str = "en", stop_at_footer: bool = True) -> list[str]:
    """The article's own paragraphs: prose lines without ads and menus, stopping at the first footer line
    (or skipping it, in a page's text that trafilatura has already cut to the article)."""
    paragraphs = []
    for line in lines:
        if is_footer(line, language):
            if paragraphs and stop_at_footer:
                break
            continue
        if is_noise(line, language) or is_menu(line):
            continue
        if len(line) >= 40 or line.endswith((".", "!", "?", '"', "”", "»")):
            paragraphs.append(line)
    return paragraphs


def _checked(clipping: Clipping) -> Clipping:
    if not clipping.paragraphs:
        raise ClippingError("found no paragraphs of article text")
    if not clipping.title:
        raise ClippingError("found no headline above the dateline")
    clipping.language = base_language(clipping.language)
    return clipping
