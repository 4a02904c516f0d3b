"""Dates in a clipping's text, read by dateparser in the clipping's language; wire datelines; which date
is the publication date."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from .clipping_language import base_language
from .dates import PartialDate
from .slugs import match_key

# What dateparser does not do: AP's "Nov. 18" (it reads "Nov" and "18" apart) and "mid-October".
_ABBREVIATION_DOT_RE = re.compile(r"\b([A-Za-z]{3,4})\.(?=\s*\d)")
_QUALIFIER_RE = re.compile(r"\b(?:(mid)|early|late)-?\s*$|\b(?:(mediados)|principios|finales|fines)(?:\s+de)?\s*$",
                           re.I)
_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_YEAR_RE = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_NUMERIC_RE = re.compile(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b")
_LABELS = {
    "published": ("published", "posted", "publicado", "publicada", "fecha de publicacion", "dated", "filed",
                  "signed", "fechado", "firmado", "dado en"),
    "updated": ("updated", "last updated", "modified", "actualizado", "actualizada", "modificado", "editado"),
}
# City words before "(Agency) -": capitalised words, with the particles of place names between them.
_WIRE_RE = re.compile(r"^(?P<head>[^()]{2,90}?)\s*\((?P<agency>[A-Z][^()]{1,40})\)\s*[.,:]?\s*[-–—]+\s*")
_PLACE_WORD_RE = re.compile(r"^(?:[A-ZÁÉÍÓÚÑÜ][\w.'’-]*|de|del|la|las|los|el|of|the|upon|on)$")


def _words(text: str) -> list[str]:
    """The words of text, a hyphenated one both whole and in parts: "quinta-feira", "mid-October"."""
    return [part for word in _WORD_RE.findall(text) for part in dict.fromkeys((word, *word.split("-")))]


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date said in a text: the words that say it, where they start, and what they mean."""

    text: str
    start: int
    date: PartialDate
    label: str = ""  # "published" or "updated" when the words before the date say so
    has_year: bool = True


@dataclass(frozen=True, slots=True)
class Wire:
    """A wire dateline such as 'MEXICO CITY, Jan 15, 2021 (Example Wire) -' at the start of a paragraph."""

    city: str
    agency: str
    date: FoundDate | None


@functools.cache
def calendar_words(language: str) -> frozenset[str]:
    """Month and weekday names of a language (CLDR, via Babel), folded as match_key folds them."""
    from babel import Locale, UnknownLocaleError
    from babel.dates import get_day_names, get_month_names

    try:
        Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        language = "en"
    words = set()
    for width in ("wide", "abbreviated"):
        for names in (get_month_names(width, locale=language), get_day_names(width, locale=language)):
            words.update(match_key(name).strip(".") for name in names.values())
    words.add("sept")
    return frozenset(words)


def _settings(language: str, base: dt.date) -> dict:
    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DAY_OF_MONTH": "first",
                "RELATIVE_BASE": dt.datetime.combine(base, dt.time(12))}
    if base_language(language) == "en":
        settings["DATE_ORDER"] = "MDY"  # 11/05/2020 in an English clipping is US: 5 November
    return settings


@functools.cache
def _date_parser(language: str, base: dt.date):
    from dateparser.date import DateDataParser  # slow to import: only when a clipping is read

    return DateDataParser(languages=[language], settings=_settings(language, base))


@functools.cache
def _readable(language: str) -> str:
    """The language's code if dateparser reads it, else English ('tlh' in site.yaml must not crash import)."""
    from dateparser.data.languages_info import language_order

    return base_language(language) if base_language(language) in language_order else "en"


def _says_a_date(words: str, language: str) -> bool:
    """Whether dateparser's match names a date rather than 'now', 'a second' or 'the 2nd'."""
    if _YEAR_RE.search(words) or _NUMERIC_RE.search(words):
        return True
    names = calendar_words(base_language(language))
    for word in _words(words):
        # English capitalises months and weekdays: "may" is a verb, "May" a month.
        if match_key(word) in names and (base_language(language) != "en" or word[0].isupper()):
            return True
    return False


def find_dates(text: str, language: str, base: dt.date | None = None) -> list[FoundDate]:
    """Every date said in text, in order; weekdays and yearless dates are read relative to `base`."""
    from dateparser.search import search_dates

    anchor = base or dt.date.today()
    language = _readable(language)
    names = calendar_words(language)
    if not _YEAR_RE.search(text) and not _NUMERIC_RE.search(text) and not any(
            match_key(word) in names for word in _words(text)):
        return []  # dateparser takes milliseconds a paragraph: skip those that name no date
    prepared = _ABBREVIATION_DOT_RE.sub(lambda m: m.group(1) + (" " if match_key(m.group(1)) in names else "."), text)
    prepared = prepared.replace("mid-", "mid ").replace("Mid-", "Mid ")
    found = search_dates(prepared, languages=[language], settings=_settings(language, anchor)) or []
    dates, at = [], 0
    for words, _when in found:
        # dateparser gives the words back with single spaces: find them again as they were written.
        where = re.compile(r"\s+".join(map(re.escape, words.split()))).search(prepared, at)
        if where is None or not _says_a_date(words, language):
            continue
        start, at = where.start(), where.end()
        date = _meaning(words.strip(" ,;"), prepared[:start], language, anchor)
        has_year = bool(_YEAR_RE.search(words) or _NUMERIC_RE.search(words))
        if date and (base or has_year) and 1800 <= date.year <= anchor.year + 1:
            qualifier = _QUALIFIER_RE.search(text[:start]) if date.approx else None
            # "mid-October" is what the text says, not "October"
            said = _date_words(text[qualifier.start() if qualifier else start:at], names, keep_start=bool(qualifier))
            dates.append(FoundDate(" ".join(said.split()), start, date, _label(text[:start]), has_year))
    return dates


def _date_words(words: str, names: frozenset[str], keep_start: bool = False) -> str:
    """The words that say the date, without the ones dateparser took along ('on', ', at', 'y a')."""
    tokens = words.split()

    def dated(token: str) -> bool:
        return any(c.isdigit() for c in token) or match_key(token).strip(".,;") in names
    while tokens and not keep_start and not dated(tokens[0]):
        tokens = tokens[1:]
    while tokens and not dated(tokens[-1]):
        tokens = tokens[:-1]
    return " ".join(tokens).strip(" ,;") or words.strip(" ,;")


def _meaning(words: str, before: str, language: str, base: dt.date) -> PartialDate | None:
    data = _date_parser(language, base).get_date_data(words)
    if data.date_obj is None:
        return None
    when, period = data.date_obj, data.period
    qualifier = _QUALIFIER_RE.search(before)
    names = calendar_words(base_language(language))
    if not _NUMERIC_RE.search(words) and not any(match_key(w) in names for w in _words(words)):
        period = "year"  # "a 1992 pact": a year said alone
    elif period == "day" and (base - when.date()).days == 7 and not re.search(r"\d", words):
        when = dt.datetime.combine(base, dt.time())  # "on Saturday" in Saturday's paper is that day
    if period == "year":
        return PartialDate(when.year, approx=bool(qualifier))
    if period == "month" or (qualifier and period != "time"):
        if qualifier and (qualifier.group(1) or qualifier.group(2)):
            return PartialDate(when.year, when.month, 15, approx=True)  # "mid-October"
        return PartialDate(when.year, when.month, approx=bool(qualifier))
    return PartialDate(when.year, when.month, when.day)


def _label(before: str) -> str:
    """'published' or 'updated' when the few words before a date say which it is (the nearest says)."""
    near = match_key(" ".join(before.split()[-4:]))
    said = [(hit.end(), label) for label, words in _LABELS.items() for word in words
            for hit in re.finditer(rf"\b{word}\b", near)]
    return max(said)[1] if said else ""


def dateline(line: str, language: str) -> list[FoundDate]:
    """The dates of a line that is a dateline ('Updated: 3 Sept 2020', 'viernes, 20 de noviembre de 2020');
    none for a line of prose that happens to hold a date."""
    if not any(c.isdigit() for c in line) or len(line.split()) > 16:
        return []
    dates = [found for found in find_dates(line, language) if found.date.day and found.has_year]
    said = sum(len(found.text.split()) for found in dates)
    return dates if dates and len(line.split()) - said <= 8 else []


def wire_dateline(paragraph: str, language: str, base: dt.date | None) -> Wire | None:
    """The wire dateline that opens a paragraph: 'MEXICO CITY (Reuters) -', 'México, 20 nov (EFE).-'."""
    match = _WIRE_RE.match(paragraph)
    if not match:
        return None
    head = match.group("head").strip(" ,")
    dates = find_dates(head, language, base)
    city = head[:dates[0].start].strip(" ,") if dates else head
    words = city.replace(",", " ").split()
    if not words or len(words) > 6 or not all(_PLACE_WORD_RE.match(word) for word in words):
        return None
    return Wire(city, " ".join(match.group("agency").split()), dates[0] if dates else None)


def publication_date(candidates: list[FoundDate]) -> FoundDate | None:
    """The publication date among the header's dates: one said to be published, else the first that is not
    an update, else the first."""
    for wanted in ("published", ""):
        for found in candidates:
            if found.label == wanted and found.date.day:
                return found
    return next((found for found in candidates if found.date.day), None)
