"""Which language a clipping is written in, and the words of that language the importer needs."""

from __future__ import annotations

import functools
import re

from .slugs import match_key

# The languages whose boilerplate, titles and particles the importer knows; dates are read by
# dateparser in any language it has, but a clipping is only recognised as one of these.
LANGUAGES = {"en": "English", "es": "Spanish"}
_WORD_RE = re.compile(r"[^\W\d_]+")


@functools.cache
def stop_words(language: str) -> frozenset[str]:
    """The language's common words (jusText's stop lists), folded as names are; empty for another language."""
    import justext

    name = LANGUAGES.get(base_language(language))
    return frozenset(match_key(word) for word in justext.get_stoplist(name)) if name else frozenset()


def base_language(tag: str) -> str:
    """'es' for 'es-MX' and 'ES'."""
    return tag.split("-")[0].split("_")[0].lower()


def detect_language(text: str, default: str = "en") -> str:
    """The known language whose stop words are most of the text's words; `default` when none stands out."""
    words = _WORD_RE.findall(match_key(text[:20000]))
    if not words:
        return base_language(default)
    scores = {code: sum(word in stop_words(code) for word in words) for code in LANGUAGES}
    best = max(scores, key=scores.get)
    fallback = base_language(default)
    # A clear winner only: the default language keeps a tie or a text too short to tell.
    if fallback in scores and scores[best] < 1.3 * scores[fallback] + 2:
        return fallback
    return best
