"""A PDF document (a court filing, a report) as a clipping: its text extracted by pypdf, reflowed."""

from __future__ import annotations

import datetime as dt
import io
import re

from . import datelines
from .clipping import Clipping, ClippingError
from .clipping_language import detect_language

_HEADING_WORDS = re.compile(r"\b(ORDER|MEMORANDUM|INDICTMENT|JUDGMENT|JUDGEMENT|OPINION|COMPLAINT|MOTION|"
                            r"RULING|DECISION|SENTENCIA|AUTO|ACUERDO|RESOLUCI[OÓ]N|DEMANDA|DICTAMEN|INFORME)\b")
_COURT_WORDS = re.compile(r"\b(COURT|TRIBUNAL|JUZGADO|SUPREMA CORTE|FISCAL[IÍ]A)\b", re.I)
_ENDS = 40  # paragraphs at each end of a document where its date is written (reading all of a long one is slow)
_SMALL_WORDS = {"of", "the", "and", "for", "in", "on", "de", "del", "la", "el", "y", "a", "v.", "vs."}


def from_pdf(raw: bytes, language: str = "en") -> Clipping:
    """Title (the file's metadata or its first heading), date (the one it is 'Dated:', else its latest),
    the court or body that issued it as source, and its paragraphs."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(raw))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
        meta = reader.metadata
    except FileNotDecryptedError:
        raise ClippingError("the PDF is encrypted; save a copy without a password first") from None
    except (PyPdfError, ValueError, KeyError, TypeError) as err:  # a damaged file: pypdf says what it found
        raise ClippingError(f"cannot read the PDF: {err}") from None
    lines = [" ".join(line.split()) for line in text.split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        raise ClippingError("found no text in the PDF (a scan needs OCR first)")
    clipping = Clipping(language=detect_language(text, language), paragraphs=reflow(lines), is_pdf=True)
    clipping.title = (meta.title if meta and meta.title else "").strip() or _heading(lines)
    clipping.source = _issuer(lines)
    clipping.date = _document_date(clipping.paragraphs, clipping.language, meta)
    if clipping.date is None:
        raise ClippingError("found no date in the PDF (such as 'Dated: November 18, 2020')")
    if not clipping.title:
        raise ClippingError("found no title in the PDF's metadata nor a heading such as 'ORDER'")
    return clipping


def reflow(lines: list[str]) -> list[str]:
    """Paragraphs from a PDF's lines: a line ending a sentence, or a heading in capitals, ends one."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        heading = line.isupper() and len(line) < 90
        if heading and current:
            paragraphs.append(" ".join(current))
            current = []
        current.append(line)
        if heading or line.endswith((".", ":", "?", "!", ".\"", ".”")):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return [re.sub(r"(\w)- (\w)", r"\1\2", paragraph) for paragraph in paragraphs]


def _heading(lines: list[str]) -> str:
    """The document's own heading ('ORDER OF DISMISSAL'), written as a headline."""
    heading = next((line for line in lines[:40] if line.isupper() and _HEADING_WORDS.search(line)), "")
    return heading[:1] + heading[1:].lower() if heading else ""


def _issuer(lines: list[str]) -> str:
    """The court (and its district) named on top: 'United States District Court, Eastern District of New York'."""
    top = [line for line in lines[:4] if line.isupper() and len(line) < 80]
    if not top or not _COURT_WORDS.search(top[0]):
        return ""
    parts = top[:2] if len(top) > 1 and re.search(r"DISTRICT|CIRCUIT|DIVISION|DISTRITO", top[1]) else top[:1]
    return ", ".join(_capitalised(part) for part in parts)


def _capitalised(text: str) -> str:
    words = text.lower().split()
    return " ".join(w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _document_date(paragraphs: list[str], language: str, meta) -> dt.date | None:
    """The date the document says it was signed or filed, else the latest full date on its first and last
    pages, else its metadata's."""
    ends = paragraphs if len(paragraphs) <= 2 * _ENDS else paragraphs[:_ENDS] + paragraphs[-_ENDS:]
    dates = [found for paragraph in dict.fromkeys(ends) for found in datelines.find_dates(paragraph, language)
             if found.date.day and found.has_year]
    signed = [found for found in dates if found.label == "published"]
    if signed:
        return signed[-1].date.earliest()
    if dates:
        return max(found.date.earliest() for found in dates)
    created = getattr(meta, "creation_date", None) if meta else None
    return created.date() if created else None
