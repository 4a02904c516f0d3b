"""Turn a news clipping saved from the web (.txt or .html) into the parts of an article."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from .dates import MONTHS

MONTH_NUMBERS = {name.lower(): i + 1 for i, name in enumerate(MONTHS)}
MONTH_NUMBERS.update({name[:3].lower(): i + 1 for i, name in enumerate(MONTHS)})
MONTH_NUMBERS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|wed|thu|fri|sat|sun)\.?,?\s+"
_TIME = r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?"
_PREFIX = r"(?:(?:published|updated|posted|last updated|date)\s*:?\s*(?:on\s+)?)?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
DATE_PATTERNS = [
    re.compile(rf"^{_PREFIX}(?:{_WEEKDAY})?{_DAY}\s+{_MONTH},?\s+{_YEAR}{_TIME}$", re.I),
    re.compile(rf"^{_PREFIX}(?:{_WEEKDAY})?{_MONTH}\s+{_DAY},?\s+{_YEAR}{_TIME}$", re.I),
    re.compile(rf"^{_PREFIX}(?P<year>\d{{4}})-(?P<mnum>\d{{2}})-(?P<day>\d{{2}})(?:[T ]\S*)?$", re.I),
    re.compile(rf"^{_PREFIX}(?P<mnum>\d{{1,2}})/(?P<day>\d{{1,2}})/(?P<year>\d{{4}}){_TIME}$", re.I),
]
WIRE_RE = re.compile(r"^(?P<city>[A-Z][A-Z .,'-]{2,40})\s*\((?P<agency>[A-Za-z][\w .&-]{1,30})\)\s*[-–—]+\s*")
BOILERPLATE_RE = re.compile(
    r"\b(join (?:now|the mailing list|our)|sign up|subscribe|newsletter|mailing list|follow us|share this|"
    r"all rights reserved|copyright|©|cookies?|advertisement|read more|related (?:articles|stories)|"
    r"click here|log ?in|download (?:our|the) app)\b", re.I)
TITLE_SUFFIX_RE = re.compile(r"\s*[:|–—-]\s*(?:report|reports|video|photos|live updates|opinion)\s*$", re.I)


@dataclass(slots=True)
class Clipping:
    title: str = ""
    date: dt.date | None = None
    source: str = ""
    source_url: str = ""
    paragraphs: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return self.paragraphs[0] if self.paragraphs else ""


class ClippingError(ValueError):
    """No article could be found in the file; the message says why."""


def parse_date(line: str) -> dt.date | None:
    """A dateline in the forms news sites use: 'Saturday, 21 November 2020 2:32 PM', 'Nov. 21, 2020', ..."""
    text = " ".join(line.strip().split())
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = match.groupdict()
            month = int(parts["mnum"]) if parts.get("mnum") else MONTH_NUMBERS[parts["month"].lower()]
            try:
                return dt.date(int(parts["year"]), month, int(parts["day"]))
            except ValueError:
                return None
    return None


def from_text(text: str) -> Clipping:
    """A plain-text clipping: banners and repeated section names above, sign-up footers below."""
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    dated = next((i for i, line in enumerate(lines) if parse_date(line)), None)
    if dated is None:
        raise ClippingError("found no dateline (such as 'Saturday, 21 November 2020' or 'Nov. 21, 2020')")
    clipping = Clipping(date=parse_date(lines[dated]))
    header = lines[:dated]
    counts = Counter(header)
    repeated = [line for line in header if counts[line] > 1 and len(line.split()) <= 6]
    clipping.source = repeated[-1] if repeated else ""
    headline = [line for line in header if counts[line] == 1 and not BOILERPLATE_RE.search(line)
                and len(line.split()) >= 4]
    if headline:
        clipping.title = TITLE_SUFFIX_RE.sub("", headline[-1]).strip()
    clipping.paragraphs = body_paragraphs(lines[dated + 1:])
    wire = WIRE_RE.match(clipping.paragraphs[0]) if clipping.paragraphs else None
    if wire and not clipping.source:
        clipping.source = wire.group("agency").strip()
    return _checked(clipping)


def from_html(html: str) -> Clipping:
    """A page saved from a browser: trafilatura finds the title, date, site name and the article's text."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False)
    if doc is None:
        raise ClippingError("found no article text in the page")
    data = doc if isinstance(doc, dict) else doc.as_dict()
    clipping = Clipping(title=TITLE_SUFFIX_RE.sub("", data.get("title") or "").strip(),
                        source=data.get("sitename") or "", source_url=data.get("url") or "")
    if data.get("date"):
        clipping.date = dt.date.fromisoformat(data["date"][:10])
    lines = [" ".join(line.split()) for line in (data.get("text") or "").split("\n")]
    lines = [line for line in lines if line and line != clipping.title and not parse_date(line)]
    clipping.paragraphs = body_paragraphs(lines)
    wire = WIRE_RE.match(clipping.paragraphs[0]) if clipping.paragraphs else None
    if wire and not clipping.source:
        clipping.source = wire.group("agency").strip()
    if clipping.date is None:
        clipping.date = next((d for line in html.split(">") if (d := parse_date(line.split("<")[0]))), None)
    return _checked(clipping)


def body_paragraphs(lines: list[str]) -> list[str]:
    """The article's own paragraphs: prose lines, stopping at the first footer line."""
    paragraphs = []
    for line in lines:
        if BOILERPLATE_RE.search(line) and len(line) < 120:
            if paragraphs:
                break
            continue
        if len(line) >= 40 or line.endswith((".", "!", "?", '"', "”")):
            paragraphs.append(line)
    return paragraphs


def _checked(clipping: Clipping) -> Clipping:
    if not clipping.paragraphs:
        raise ClippingError("found no paragraphs of article text")
    if not clipping.title:
        raise ClippingError("found no headline above the dateline")
    if clipping.date is None:
        raise ClippingError("found no publication date")
    return clipping
