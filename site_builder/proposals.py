"""The people and organisations a clipping names: the ones the site knows, and new names worth proposing."""

from __future__ import annotations

import functools
import re
import unicodedata

from .clipping_language import stop_words
from .datelines import calendar_words
from .slugs import match_key

_CAP = r"[A-ZÁÉÍÓÚÑÜÇ][\w'’.-]*"
_LINK = r"(?:de\s+la|de\s+los|de\s+las|del|de|y|of\s+the|of|for|and|&)"
# Runs of capitalised words, with the small words that join the parts of names between them.
NAME_RE = re.compile(rf"(?<![\w'’]){_CAP}(?:(?:\s+{_LINK})?\s+{_CAP})*")
ACRONYM_RE = re.compile(r"^[A-ZÁÉÍÓÚÑ&.]{2,6}$")
TITLE_WORDS = frozenset("""
mr mrs ms dr sr sra srta don dona lic us u.s. ee.uu. eeuu mexican american former foreign minister ministry attorney
general president secretary judge defense defence prosecutor prosecutors senator governor spokesman spokeswoman
retired ex-minister ex chief deputy interior military army lawyer lawyers agent agents director officer commander
presidente secretario secretaria exsecretario exsecretaria canciller fiscal juez jueza ministro ministra vocero
vocera portavoz abogado abogada senador senadora gobernador gobernadora mexicano mexicana estadounidense
exfuncionario funcionario titular jefe jefa defensa el la los las del al
the a an but and however when after before while although since then segun aunque durante tras ante para pero
sin con desde hasta mientras cuando tambien ademas este esta
""".split())
PLACES = frozenset(match_key(place) for place in """
Los Angeles|New York|Mexico City|Brooklyn|Washington|Sinaloa|Jalisco|Tijuana|Guadalajara|Monterrey|Texas|California
|Arizona|Florida|Chicago|Miami|Houston|San Diego|Bogota|Madrid|Ciudad de Mexico|Nueva York|Estados Unidos
|America|Latin America|Latin American|North America|Central America|Europe|Africa|Asia|EU|UN|USA""".split("|"))
ORGANISATION_WORDS = frozenset("""
department ministry office court bank agency administration army navy cartel party university police commission
council committee senate congress institute foundation corporation company inc ltd group association union bureau
service secretariat tribunal prosecutor's network press tv times post news journal herald guard force forces
secretaria fiscalia departamento ministerio juzgado ejercito cartel partido universidad policia procuraduria
gobierno corte senado camara instituto comision consejo guardia marina banco agencia suprema
""".split())
# Words that make a run of capitals a place, a law or a thing rather than a person.
NOT_PEOPLE_WORDS = frozenset("""
airport hospital prison street avenue road square bridge building plaza park river lake act law rules rule code
procedure constitution treaty amendment award prize aeropuerto penal prision calle avenida puente edificio parque
rio lago ley codigo reglamento constitucion tratado premio
""".split())
NEWS_AGENCIES = ("Reuters", "Associated Press", "Agence France-Presse", "AFP", "EFE", "Bloomberg", "Xinhua",
                 "Europa Press", "Notimex", "ANSA", "dpa")


@functools.cache
def _places() -> frozenset[str]:
    """Countries and regions in English and Spanish (CLDR, via Babel), and the cities news names most."""
    from babel import Locale

    names = {match_key(name) for code in ("en", "es") for name in Locale(code).territories.values()}
    return frozenset(names | PLACES)


def known_in(text: str, known: list[tuple[str, str]], person: bool) -> list[str]:
    """Canonical names of the known entities named in text (accents and case ignored; acronyms as written),
    each once, in order of first appearance."""
    folded, cased = f" {match_key(text)} ", f" {_deaccent(text)} "
    found: dict[str, int] = {}
    for canonical, name in known:
        for form in _forms(name, person):
            if ACRONYM_RE.match(form):
                at = re.search(rf"(?<![\w]){re.escape(_deaccent(form))}(?![\w])", cased)
            elif len(match_key(form)) >= 3:
                at = re.search(rf"(?<![\w]){re.escape(match_key(form))}(?![\w])", folded)
            else:
                continue
            if at and (canonical not in found or at.start() < found[canonical]):
                found[canonical] = at.start()
    return sorted(found, key=found.get)


def _forms(name: str, person: bool) -> list[str]:
    """A name and, for a person with a second surname ('Marcelo Ebrard Casaubón'), the forms without it
    or without the given name ('Marcelo Ebrard', 'Ebrard Casaubón'), as Spanish-language news writes them."""
    words = name.split()
    if not person or len(words) != 3 or any(word.lower() in ("de", "del", "y") for word in words):
        return [name]
    return [name, " ".join(words[:2]), " ".join(words[1:])]


def _deaccent(text: str) -> str:
    """Text without accents, case kept: acronyms are matched as written ('PAN' the party, not 'pan')."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def candidates(text: str, language: str) -> tuple[list[str], list[str]]:
    """Names in the text that look like people's and organisations' names: (people, organisations)."""
    people: list[str] = []
    organisations: list[str] = []
    # A capitalised common word opens a sentence ("When", "Según"); a name's words are never written small.
    small = {match_key(word) for word in re.findall(r"(?<![\w'’])[a-záéíóúñü]+(?![\w'’])", text)}
    common = (stop_words(language) | stop_words("en")) & small | TITLE_WORDS
    for sentence in re.split(r"(?<=[.!?;:\"“”«»()])\s+|\n+|\s[-–—]\s", text):
        for match in NAME_RE.finditer(sentence):
            name, kind = _classify(match.group(0).split(), language, common)
            if kind == "organisation" and name not in organisations:
                organisations.append(name)
            elif kind == "person" and name not in people:
                people.append(name)
    for agency in NEWS_AGENCIES:
        if re.search(rf"(?<!\w){re.escape(agency)}(?!\w)", text) and agency not in organisations:
            organisations.append(agency)
    return people, organisations


def _trimmed(words: list[str], language: str) -> list[str]:
    """A run of capitalised words cut where the name ends: before a date, a trailing 'of', a possessive."""
    calendar = calendar_words(language) | calendar_words("en")
    cut = next((i for i, word in enumerate(words) if match_key(word).strip(".") in calendar), len(words))
    words = words[:cut]  # "Cienfuegos on Tuesday", "Barr Monday"
    while words and words[-1].lower() in ("de", "del", "la", "y", "of", "the", "and", "for", "&"):
        words = words[:-1]
    # Possessives end a name: "Mexico's threat", "Ebrard's spokesman".
    for i, word in enumerate(words):
        if word.endswith(("'s", "’s")) or (word.endswith(("'", "’")) and len(word) > 2):
            words = words[:i] + [re.sub(r"['’]s?$", "", word)]
            break
    return [word if ACRONYM_RE.match(word) else word.rstrip(".") for word in words]


def _classify(words: list[str], language: str, common: frozenset[str] | set[str]) -> tuple[str, str]:
    """The name a run of capitalised words holds and whether it is a person's, an organisation's or neither."""
    words = _trimmed(words, language)
    if sum(len(word) > 3 and word.isupper() for word in words) >= 2:
        return "", ""  # a heading in capitals: "UNITED STATES DISTRICT COURT"
    if len(words) >= 2 and any(match_key(word) in ORGANISATION_WORDS for word in words):
        while words and match_key(words[0]) in ("the", "el", "la", "los", "las", "a", "an"):
            words = words[1:]
        return " ".join(words), "organisation" if len(words) >= 2 else ""
    places = _places()
    folded = " ".join(match_key(word) for word in words)
    if any(f" {place} " in f" {folded} " for place in places if " " in place) or any(
            match_key(word) in NOT_PEOPLE_WORDS for word in words):
        return "", ""  # "Los Angeles International Airport", "Federal Rules of Criminal Procedure"
    while words and match_key(words[0]).strip("'’") in common:
        words = words[1:]
    if not 2 <= len(words) <= 5 or any(word.isupper() and len(word) > 1 for word in words):
        return "", ""
    if match_key(" ".join(words)) in places or any(match_key(word) in places for word in words):
        return "", ""  # "Cienfuegos Mexico", "Los Angeles"
    if any(match_key(word) in TITLE_WORDS for word in words):
        return "", ""
    return " ".join(words), "person"
