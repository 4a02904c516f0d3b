"""The site's language: interface words from gettext catalogues, dates from CLDR (Babel),
A–Z order from ICU's collation rules (PyICU)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import re
from pathlib import Path

from .dates import DAY, MONTH, DateSpan, PartialDate
from .diagnostics import Diagnostics, SourcePos
from .slugs import match_key

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
SOURCE = "en"  # the language of the msgids: English needs no catalogue
# BCP 47 as sites write it: a language of 2-3 letters, then script, region and variants.
TAG_RE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?"
                    r"(?:-(?:[A-Za-z\d]{5,8}|\d[A-Za-z\d]{3}))*")
SKELETONS = {DAY: "yMMMMd", MONTH: "yMMMM"}  # a year is "y"
DATE_LOCALES = {"en": "en_GB"}  # plain "en" keeps the day-month-year English the site always had


def N_(message: str) -> str:
    """Marks a word for the catalogue (pybabel extract) where it is defined; translated where shown."""
    return message


def check_tag(tag: str) -> str | None:
    """Why a language tag is not BCP 47, or None if it is."""
    if TAG_RE.fullmatch(tag):
        return None
    return (f'"{tag}" is not a language tag; write a BCP 47 tag such as en, es, es-MX or pt-BR '
            "(a language code, not its name)")


def built_in(tag: str) -> bool:
    """Whether the builder has the interface words of this language (or it is English)."""
    return _catalogue_file(tag) is not None or _primary(tag) == SOURCE


def _primary(tag: str) -> str:
    return tag.split("-")[0].lower()


def _catalogue_file(tag: str) -> Path | None:
    """The most specific built-in catalogue for a tag: es_MX, then es."""
    parts = tag.replace("_", "-").split("-")
    for n in range(len(parts), 0, -1):
        name = "_".join([parts[0].lower(), *(p.upper() if len(p) == 2 else p for p in parts[1:n])])
        path = LOCALE_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            return path
    return None


class Words:
    """One language's interface words (its catalogue with the site's own translations on top),
    date forms and alphabetical order."""

    def __init__(self, tag: str, overrides: tuple = ()):
        # (Babel is imported here: a build that finds nothing changed never needs it.)
        from babel.dates import format_skeleton

        self.tag = tag
        self.translations = _translations(_catalogue_file(tag), overrides)
        self.gettext, self.ngettext = self.translations.gettext, self.translations.ngettext
        self.locale = _date_locale(tag)
        self._format_skeleton = format_skeleton
        self._dates: dict = {}
        self._collators = None

    def __call__(self, message: str, **values) -> str:
        """A word or sentence in the site's language, with %(name)s values filled in."""
        text = self.gettext(message)
        return text % values if values else text

    def template_callables(self):
        """gettext and ngettext for Jinja's i18n extension in its new style (values as keywords,
        escaped; the catalogue's own text is trusted HTML). Jinja's own wrappers cost a
        context lookup, a Markup and its escaping % per call: a tenth of rendering a site."""
        from markupsafe import Markup, escape

        known: dict[str, Markup] = {}

        def fill(text: str, values: dict) -> Markup:
            return Markup(str.__mod__(text, {k: v if type(v) is int else escape(v) for k, v in values.items()}))

        def gettext(message: str, **values) -> Markup:
            text = known.get(message)
            if text is None:
                text = known[message] = Markup(self.gettext(message))
            return fill(text, values) if values or "%" in text else text

        def ngettext(singular: str, plural: str, n: int, **values) -> Markup:
            values.setdefault("num", n)
            return fill(self.ngettext(singular, plural, n), values)
        return gettext, ngettext

    # -- dates -------------------------------------------------------------------------------------

    def day(self, moment: dt.date) -> str:
        """A publication day: '21 November 2020', '21 de noviembre de 2020'."""
        return self._format(SKELETONS[DAY], dt.date(moment.year, moment.month, moment.day))

    def partial(self, date: PartialDate) -> str:
        """A date by its precision, with the approximate and uncertain marks."""
        text = self._format(SKELETONS.get(date.precision, "y"), date.earliest())
        if date.approx:
            text = self(N_("c. %(date)s"), date=text)
        if date.uncertain:
            text = self(N_("%(date)s (?)"), date=text)
        return text

    def span(self, span: DateSpan) -> str:
        """A single date, or an interval of two (either end may be open)."""
        if not span.interval:
            return self.partial(span.start)
        if span.start is None:
            return self(N_("until %(date)s"), date=self.partial(span.end))
        if span.end is None:
            return self(N_("since %(date)s"), date=self.partial(span.start))
        return self(N_("%(start)s – %(end)s"), start=self.partial(span.start), end=self.partial(span.end))

    def _format(self, skeleton: str, day: dt.date) -> str:
        key = (skeleton, day)
        text = self._dates.get(key)
        if text is None:  # (Babel matches the skeleton each time: the same dates come back often)
            text = self._dates[key] = self._format_skeleton(skeleton, day, locale=self.locale)
        return text

    def size(self, size: int) -> str:
        """A file's size: '512 bytes', '1.2 MB' ('1,2 MB' in Spanish); KB and MB of 1,000."""
        from babel.numbers import format_decimal

        if size < 1000:
            return self(N_("%(size)s bytes"), size=format_decimal(size, locale=self.locale))
        for unit in ("KB", "MB"):
            size /= 1000
            if round(size, 1) < 1000 or unit == "MB":
                return f"{format_decimal(round(size, 1), format='#,##0.#', locale=self.locale)} {unit}"
        raise AssertionError("unreachable")

    # -- alphabetical order ------------------------------------------------------------------------

    def _collator(self, letters: bool = False):
        """ICU's order of this language's alphabet (letters: by letter only, no accents or case);
        made on first use, for a build after an edit often sorts nothing (ICU is 40 ms to import)."""
        if self._collators is None:
            import icu

            whole = icu.Collator.createInstance(icu.Locale(str(self.locale)))
            plain = icu.Collator.createInstance(icu.Locale(str(self.locale)))
            plain.setStrength(icu.Collator.PRIMARY)
            self._collators = whole, plain
        return self._collators[letters]

    def sort_key(self, name: str) -> bytes:
        """Orders names as the language's alphabet does (Spanish: ñ after n, accents second)."""
        return self._collator().getSortKey(name)

    def initial(self, name: str) -> str:
        """The letter a name is listed under in an A–Z index: 'Á' under A, 'Ñ' its own in Spanish."""
        first = name.strip()[:1]
        if not first.isalpha():
            return "#"
        plain = match_key(first)[:1].upper()
        if plain and self._collator(letters=True).compare(first, plain) == 0:
            return plain
        return first.upper()  # a letter of its own in this alphabet, such as Spanish Ñ


def _override(catalog, msgid: str, text) -> None:
    """A site's own word: msgid is the English text (of a plural: the singular); text a string or,
    for a plural, the list of its forms."""
    for message in catalog:
        if message.id and (message.id == msgid or (isinstance(message.id, tuple) and message.id[0] == msgid)):
            if isinstance(message.id, tuple):
                forms = list(text) if isinstance(text, (list, tuple)) else [text]
                message.string = tuple((forms + forms[-1:] * catalog.num_plurals)[:catalog.num_plurals])
            else:
                message.string = text if isinstance(text, str) else text[0]
            return
    if isinstance(text, (list, tuple)):
        catalog.add((msgid, msgid), tuple(text))
    else:
        catalog.add(msgid, text)


def _translations(path: Path | None, overrides: tuple):
    """The catalogue's words with the site's own on top, as gettext reads them. English with no
    words of its own needs no catalogue, nor Babel's catalogue code (half a MiB of a build's peak)."""
    if path is None and not overrides:
        import gettext

        return gettext.NullTranslations()
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    if path is not None:
        with path.open("rb") as stream:
            catalog = read_po(stream, locale=path.parent.parent.name)
    else:
        catalog = Catalog(locale="en")
    for msgid, text in overrides:
        _override(catalog, msgid, text)
    mo = io.BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    return Translations(mo, domain=DOMAIN)


def _date_locale(tag: str):
    """The CLDR locale of a tag; English's day-month-year for plain "en"; English if CLDR has none."""
    from babel import Locale, UnknownLocaleError

    name = DATE_LOCALES.get(tag, tag)
    try:
        return Locale.parse(name, sep="-" if "-" in name else "_")
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(_primary(tag))
        except (UnknownLocaleError, ValueError):
            return Locale.parse(DATE_LOCALES[SOURCE])


@functools.lru_cache(maxsize=8)
def words(tag: str, overrides: tuple = ()) -> Words:
    """The Words of a language with a site's translations (made once per process)."""
    return Words(tag, overrides)


@functools.lru_cache(maxsize=8)
def digest(tag: str, overrides: tuple = ()) -> str:
    """What the words and dates of a site depend on: its catalogue's bytes, its own words, its tag
    (cheap: read by every build, also one that finds nothing changed)."""
    path = _catalogue_file(tag)
    source = path.read_bytes() if path else b""
    return hashlib.blake2b(source + repr((tag, overrides)).encode(), digest_size=12).hexdigest()


def for_site(config) -> Words:
    """The Words of a SiteConfig (language and translations) or of a page's `site` settings."""
    if isinstance(config, dict):
        return words(config["language"], config.get("translations", ()))
    return words(config.language, config.translations)


def read_setting(key: str, value, pos: SourcePos, lines: dict, diags: Diagnostics) -> str | tuple | None:
    """site.yaml's `language` (a checked tag) or `translations` (English text -> the site's words)."""
    if value is None:
        return None
    if key == "language":
        if not isinstance(value, str) or (problem := check_tag(value.strip())):
            diags.error(pos, f"language: {problem if isinstance(value, str) else 'expected a tag such as es'}")
            return None
        tag = value.strip()
        if not built_in(tag):
            diags.warning(pos, f'language: "{tag}" has no built-in interface words; the site is in English '
                               "(dates in its language where CLDR has them); give the words under "
                               "translations: (see the README, Language)")
        return tag
    if not isinstance(value, dict):
        diags.error(pos, 'translations: expected a mapping of English text to your words, such as '
                         '"Timeline: Chronology"')
        return None
    pairs = []
    for msgid, text in value.items():
        where = pos.at(lines.get((key, msgid), pos.line))
        forms = text if isinstance(text, list) else [text]
        if not forms or not all(isinstance(f, str) and f.strip() for f in forms):
            diags.error(where, f'translations: "{msgid}": expected text (or, for a word with a plural, '
                               "a list of its forms)")
        else:
            pairs.append((str(msgid), tuple(forms) if isinstance(text, list) else text))
    return tuple(sorted(pairs))
