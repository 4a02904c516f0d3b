"""Typed reading of front-matter values, each problem a diagnostic at the value's line."""

from __future__ import annotations

from difflib import get_close_matches
from typing import Any
from urllib.parse import urlsplit

from .dates import DateError, parse_span
from .diagnostics import Diagnostics, SourcePos
from .frontmatter import FALSE_WORDS, TRUE_WORDS
from .frontmatter import Document as Parsed
from .markdown import names_file
from .model import Document, FileField, Picture

DOCUMENT_KEYS = ("file", "url", "title", "date")


def describe(value: Any) -> str:
    """'a list', 'a mapping', 'nothing' or 'text': what the writer gave."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing" if value is None else "text"


def dotted(path: tuple) -> str:
    """('events', 0, 'date') -> 'events[1].date' (1-based, as a writer counts)."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class Reader:
    """Reads one document's values; every problem becomes a diagnostic, never an exception."""

    def __init__(self, doc: Parsed, src: SourcePos, diags: Diagnostics):
        self.doc, self.src, self.diags = doc, src, diags

    def pos(self, *path) -> SourcePos:
        return self.src.at(self.doc.line(*path))

    def error(self, path: tuple, message: str) -> None:
        self.diags.error(self.pos(*path), f"{dotted(path)}: {message}")

    def get(self, path: tuple) -> Any:
        value = self.doc.data
        for part in path:
            if isinstance(value, dict) and isinstance(part, str):
                value = value.get(part)
            elif isinstance(value, list) and isinstance(part, int) and part < len(value):
                value = value[part]
            else:
                return None
        return value

    def text(self, path: tuple, required: bool = False, hint: str = "") -> str | None:
        """A single line or paragraph of text; None when absent."""
        value = self.get(path)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                what = "is required" if value is None else "is empty"
                self.error(path, f"{what}{'; ' + hint if hint else ''}")
            return None
        if not isinstance(value, str):
            self.error(path, f"expected text, found {describe(value)}")
            return None
        return value.strip()

    def flag(self, path: tuple) -> bool:
        value = self.get(path)
        if value is None:
            return False
        word = value.lower() if isinstance(value, str) else ""
        if word not in TRUE_WORDS | FALSE_WORDS:
            self.error(path, f'"{value}" is not true or false')
            return False
        return word in TRUE_WORDS

    def items(self, path: tuple) -> list[tuple[tuple, Any]]:
        """(path, value) of each entry of a list; a single value counts as a list of one."""
        value = self.get(path)
        if value is None:
            return []
        if isinstance(value, list):
            return [(path + (i,), item) for i, item in enumerate(value) if item is not None]
        if isinstance(value, dict):
            self.error(path, "expected a list (lines starting with '- '), found a mapping")
            return []
        return [(path, value)]

    def texts(self, path: tuple) -> list[tuple[tuple, str]]:
        result = []
        for item_path, item in self.items(path):
            if isinstance(item, str) and item.strip():
                result.append((item_path, item.strip()))
            elif isinstance(item, str):
                continue
            else:
                self.error(item_path, f"expected text, found {describe(item)}")
        return result

    def url(self, path: tuple, value: str) -> str | None:
        parts = urlsplit(value)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            self.error(path, f'"{value}" is not an http or https URL; write it in full, '
                             "such as https://example.com/page")
            return None
        return value

    def urls(self, path: tuple) -> tuple[str, ...]:
        return tuple(u for p, v in self.texts(path) if (u := self.url(p, v)))

    def date(self, path: tuple, parse=parse_span):
        """The date at path, read by `parse` (a span by default; parse_published for a moment);
        None, and an error at its line, if it is not one."""
        value = self.text(path)
        if value is None:
            return None
        try:
            return parse(value)
        except DateError as err:
            self.error(path, str(err))
            return None

    def check_keys(self, path: tuple, mapping: dict, known: tuple[str, ...]) -> None:
        """A warning for every key that is not known, with the nearest known one; an error for a key
        within two edits of a known one (`peopel:`): silently dropping its values is worse than stopping."""
        for key in mapping:
            if key in known:
                continue
            where, label = self.pos(*path, key), dotted(path + (key,))
            if misspelt := misspelling(str(key), known):
                self.diags.error(where, f'{label}: unknown key, probably a misspelling of "{misspelt}"; '
                                        f'write "{misspelt}:" (its values would be ignored otherwise)')
                continue
            near = get_close_matches(str(key), known, n=1, cutoff=0.6)
            hint = f'did you mean "{near[0]}"?' if near else f"known keys: {', '.join(known)}"
            self.diags.warning(where, f"{label}: unknown key; {hint}")


# -- files beside the text (files.py resolves them) ---------------------------------------------

def read_file_field(r: Reader, path: tuple) -> FileField | None:
    """A content file (a path relative to this file, or from content/ with a leading /) or an http(s) URL."""
    text = r.text(path)
    if text is None:
        return None
    if names_file(text, image=True):
        return FileField(text, r.pos(*path), dotted(path))
    return FileField(text, r.pos(*path), dotted(path)) if r.url(path, text) else None


def read_picture(r: Reader) -> Picture | None:
    """`image`, `image_alt` and `image_credit` of notes and articles."""
    file = read_file_field(r, ("image",))
    alt, credit = r.text(("image_alt",)), r.text(("image_credit",))
    for key in ("image_alt", "image_credit"):
        if r.get((key,)) is not None and r.get(("image",)) is None:
            r.diags.warning(r.pos(key), f"{key}: there is no image: to go with; add one or remove this line")
    return Picture(file, alt, credit) if file else None


def read_documents(r: Reader) -> tuple[Document, ...]:
    """An article's `documents:`, each a file: or a url: with a title and an optional date."""
    documents = []
    for path, item in r.items(("documents",)):
        if not isinstance(item, dict):
            r.error(path, f"expected a mapping with file: (or url:) and title:, found {describe(item)}")
            continue
        r.check_keys(path, item, DOCUMENT_KEYS)
        file = None
        title = r.text(path + ("title",), required=True, hint="say what the document is")
        keys = [key for key in ("file", "url") if r.get(path + (key,)) is not None]
        if len(keys) != 1:
            r.error(path, "needs one of file: (a file beside the text) or url: (an http or https URL)")
        elif keys == ["url"]:
            url = r.text(path + ("url",))
            file = FileField(url, r.pos(*path, "url")) if url and r.url(path + ("url",), url) else None
        else:
            file = read_file_field(r, path + ("file",))
        date = r.date(path + ("date",))
        if title and file:
            documents.append(Document(file, title, date, r.pos(*path)))
    return tuple(documents)


def misspelling(key: str, known: tuple[str, ...]) -> str | None:
    """The known key that key is within two edits of (letters swapped count as one edit; a short key
    allows one edit in two of its letters, so that `id` is not `to`), or None."""
    from rapidfuzz.distance import OSA  # (here: a build that meets no unknown key never imports rapidfuzz)

    folded = key.casefold()
    for limit in (1, 2):
        for word in known:
            if OSA.distance(folded, word, score_cutoff=limit) <= min(limit, max(1, len(word) // 2)):
                return word
    return None
