"""Split a content file into YAML front matter and Markdown, keeping a line for every value.

Scalars stay text: PyYAML alone would turn 2020-11-21 into a date and 1992 into an
int, and our own date parser must see what the writer wrote."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TRUE_WORDS = {"true", "yes", "on"}  # a flag's words (YAML reads yes/no and on/off as text)
FALSE_WORDS = {"false", "no", "off"}
MAX_NODES = 20000  # guards against alias bombs ("billion laughs")
MAX_DEPTH = 100  # lists and mappings within each other; far more than any front matter needs
# Control characters (but tab and line ends) and the two non-characters: no XML file may hold
# them and HTML calls them errors, so a file with one is rejected at its line, never published.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# The bytes that start one in UTF-8: a C0 control is one byte, a C1 control starts with C2,
# a non-character with EF. Deleting all others (bytes.translate) tells fast if a file may hold one.
_SUSPECT_BYTES = bytes([*range(0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f, 0xc2, 0xef])
_INNOCENT_BYTES = bytes(sorted(set(range(256)) - set(_SUSPECT_BYTES)))
Path_ = tuple  # a key path such as ("events", 0, "date")


class FrontMatterError(ValueError):
    """The file cannot be read as front matter + Markdown; line is 1-based in the file."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(slots=True)
class Document:
    """A parsed content file: plain data (str, None, list, dict) and where each value is."""

    data: Any
    body: str
    body_line: int  # file line of the first line of the body
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, *path: Any) -> int:
        """The file line of the deepest part of path that exists (1 if none)."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1


def yaml_string(value: str) -> str:
    """value as a double-quoted YAML scalar (a JSON string is one), safe whatever it holds."""
    return json.dumps(value, ensure_ascii=False)


def decode(raw: bytes) -> str:
    """UTF-8 text without a BOM and with LF line endings, or FrontMatterError at the bad byte."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise FrontMatterError(line, f"the file is not UTF-8 text (byte 0x{raw[err.start]:02x}); "
                                     "save it as UTF-8") from None
    text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if raw.translate(None, _INNOCENT_BYTES):
        if found := _CONTROL.search(text):
            raise FrontMatterError(text.count("\n", 0, found.start()) + 1, _control_message(found.group()))
    return text


def _control_message(char: str) -> str:
    name = {"\x00": " (NUL)", "\x1b": " (escape)", "\x0c": " (form feed)"}.get(char, "")
    return (f"the control character U+{ord(char):04X}{name} cannot appear in a page or feed; "
            "delete it (it often comes with text pasted from a PDF or a terminal)")


def split(text: str) -> tuple[str, str, int]:
    """(yaml text, body, body's first line); the YAML starts at file line 2."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        raise FrontMatterError(1, "no front matter: the file must start with a line '---', "
                                  "then YAML such as 'title: ...', then another '---'")
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return "\n".join(lines[1:number]), "\n".join(lines[number + 1:]), number + 2
    raise FrontMatterError(1, "the front matter is not closed: add a line '---' after it")


def parse(raw: bytes) -> Document:
    """Read a whole content file; raises FrontMatterError with the line of the problem."""
    yaml_text, body, body_line = split(decode(raw))
    data, lines = parse_yaml(yaml_text, first_line=2)
    return Document(data, body, body_line, lines)


def parse_yaml(text: str, first_line: int = 1) -> tuple[Any, dict[Path_, int]]:
    """Plain data and the file line of every value, for YAML starting at first_line."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except RecursionError:  # (only the pure-Python loader recurses)
        raise FrontMatterError(first_line, _too_deep()) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        if err.context_mark and mark.line >= text.count("\n") + (not text.endswith("\n")):
            mark = err.context_mark  # ran off the end: point at what was left open
        line = mark.line + first_line if mark else first_line
        problem = err.problem or "invalid YAML"
        raise FrontMatterError(line, f"YAML syntax: {problem}; check indentation, colons "
                                     "and quotes (quote values that contain ': ' or start with [ { * &)") from None
    except yaml.YAMLError as err:
        raise FrontMatterError(1, f"YAML syntax: {err}") from None
    converter = _Converter(first_line)
    data = {} if node is None else converter.convert(node, ())
    return data, converter.lines


def _too_deep() -> str:
    return (f"the front matter nests lists or mappings more than {MAX_DEPTH} deep; "
            "check the indentation and the brackets")


class _Converter:
    """YAML nodes to plain data, recording the file line of every key and item."""

    def __init__(self, first_line: int):
        self.first = first_line
        self.lines: dict[Path_, int] = {}
        self.count = 0

    def convert(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise FrontMatterError(node.start_mark.line + self.first, "the front matter is too large "
                                   "or repeats an alias too often")
        self.lines.setdefault(path, node.start_mark.line + self.first)
        if len(path) > MAX_DEPTH:
            raise FrontMatterError(node.start_mark.line + self.first, _too_deep())
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, path + (i,)) for i, item in enumerate(node.value)]
        if node.tag == "tag:yaml.org,2002:null" and not node.style:
            return None
        if not node.value.isprintable() and (found := _CONTROL.search(node.value)):  # written as an escape
            raise FrontMatterError(node.start_mark.line + self.first, _control_message(found.group()))
        return node.value

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merged = self.convert(value_node, path)
                if isinstance(merged, dict):
                    for key, value in merged.items():
                        result.setdefault(key, value)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise FrontMatterError(key_node.start_mark.line + self.first,
                                       "a key must be a plain word such as title:")
            key = key_node.value
            if key in result:
                raise FrontMatterError(key_node.start_mark.line + self.first,
                                       f"{key}: the key appears twice; keep one")
            self.lines[path + (key,)] = key_node.start_mark.line + self.first
            result[key] = self.convert(value_node, path + (key,))
        return result
