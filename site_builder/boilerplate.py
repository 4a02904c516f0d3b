"""Lines of a saved page that are not the article: menus, bylines, sign-up footers, in each known language."""

from __future__ import annotations

import functools
import re

from .clipping_language import base_language
from .slugs import match_key

# Short lines that end the article (footers, sign-ups, credits), matched anywhere in the accent-folded,
# lower-case line; and lines to drop where they stand (ads, calls to read another story, share buttons),
# matched at the line's start so that "The announcement came on Tuesday." stays.
_FOOTERS = {
    "en": r"join (?:now|the mailing list|our)|sign up|subscribe|newsletter|mailing list|follow us|"
          r"all rights reserved|copyright|©|cookies?|related (?:articles|stories)|more (?:stories|from)|"
          r"log ?in|download (?:our|the) app|reporting by|editing by|our standards",
    "es": r"suscr[ií]bete|suscripcion|boletin|newsletter|siguenos|todos los derechos reservados|"
          r"derechos reservados|aviso de privacidad|politica de (?:privacidad|cookies)|inicia(?:r)? sesion|"
          r"registrate|descarga (?:nuestra|la) app|con informacion de|notas relacionadas|comentarios|"
          r"mas noticias|te recomendamos",
}
_INLINE = {
    "en": r"advertisement$|read (?:more|also)\b|share (?:this|on)\b|click here|skip to (?:main )?content|"
          r"watch:|listen to (?:this|the) article",
    "es": r"publicidad$|anuncio$|lee (?:tambien|mas)\b|leer mas|te puede interesar|comparte (?:esta|en)\b|"
          r"compartir$|ir al contenido|haz clic|mira:|escucha (?:esta|la) nota",
}
_BYLINE_RE = re.compile(r"^(?:by|por|redaccion|staff|escrito por)\b", re.I)
_MENU_SEPARATORS = re.compile(r"\s[|·•»>/]\s")


@functools.cache
def _pattern(kind: str, language: str) -> re.Pattern:
    table = _FOOTERS if kind == "footer" else _INLINE
    # English labels appear on every site; the language's own besides.
    parts = list(dict.fromkeys([table["en"], table.get(base_language(language), table["en"])]))
    start = r"\b" if kind == "footer" else "^"
    return re.compile(start + "(?:" + "|".join(parts) + ")", re.I)


def is_footer(line: str, language: str) -> bool:
    """A short line that ends the article: 'Suscríbete a nuestro boletín', 'All rights reserved'."""
    return len(line) < 120 and bool(_pattern("footer", language).search(match_key(line)))


def is_noise(line: str, language: str) -> bool:
    """A short line inside the article that is not part of it: 'Advertisement', 'LEE TAMBIÉN:'."""
    return len(line) < 120 and bool(_pattern("inline", language).search(match_key(line)))


def is_menu(line: str) -> bool:
    """A row of section names: 'World | Politics | Business', 'Inicio · Nacional · Deportes'."""
    parts = _MENU_SEPARATORS.split(f" {line} ")
    return len(parts) >= 3 and all(len(part.split()) <= 3 for part in parts)


def is_byline(line: str) -> bool:
    """'By Ana Ortiz', 'Por Redacción': who wrote it, not the headline."""
    return len(line.split()) <= 12 and bool(_BYLINE_RE.match(match_key(line)))


def is_boilerplate(line: str, language: str) -> bool:
    return is_footer(line, language) or is_noise(line, language) or is_menu(line)
