"""Which language a clipping is written in, and the words of that language the importer needs."""

from __future__ import annotations

import functools
import re

from .slugs import match_key

# The languages whose boilerplate, titles and particles the importer knows. A clipping is recognised as one
# of these or as the site's own language; its dates are read by dateparser in any language it has.
LANGUAGES = ("en", "es")
_WORD_RE = re.compile(r"[^\W\d_]+")


@functools.cache
def stop_words(language: str) -> frozenset[str]:
    """The language's common words (jusText's stop lists), folded as names are; empty for one it lacks."""
    import justext
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(base_language(language)).english_name
    except (UnknownLocaleError, ValueError):
        return frozenset()
    if name not in justext.get_stoplists():
        return frozenset()
    return frozenset(match_key(word) for word in justext.get_stoplist(name))


def base_language(tag: str) -> str:
    """'es' for 'es-MX' and 'ES'."""
    return tag.split("-")[0].split("_")[0].lower()


def detect_language(text: str, default: str = "en") -> str:
    """The language (a known one or `default`, the site's) whose stop words are most of the text's words;
    `default` when none stands out."""
    fallback = base_language(default)
    words = _WORD_RE.findall(match_key(text[:20000]))
    if not words:
        return fallback
    scores = {code: sum(word in stop_words(code) for word in words) for code in dict.fromkeys((*LANGUAGES,
                                                                                                fallback))}
    best = max(scores, key=scores.get)
    # A clear winner only: the site's language keeps a tie or a text too short to tell.
    if scores[best] < 1.3 * scores[fallback] + 2:
        return fallback
    return best
