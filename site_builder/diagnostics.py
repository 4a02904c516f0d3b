"""Problems found in content: collected, never raised."""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field

from .records import record

ERROR = "error"
WARNING = "warning"
SHOWN_ANNOTATIONS = 10  # GitHub shows this many of each kind per step, and hides the rest
SUMMARY_BYTES = 1_000_000  # a step summary may have 1 MiB; keep room for the other steps' words


@record(order=True)
class SourcePos:
    """A place in a content file: its path as shown to the user and a 1-based line."""

    path: str
    line: int = 1

    def at(self, line: int | None) -> SourcePos:
        """The same file at another line (unchanged when line is None)."""
        return self if line is None else SourcePos(self.path, line)


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    level: str
    message: str

    def __str__(self) -> str:
        prefix = "warning: " if self.level == WARNING else ""
        return f"{self.path}:{self.line}: {prefix}{self.message}"


@dataclass(slots=True)
class Diagnostics:
    """Collects every problem of a build; `--strict` turns warnings into failures."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, pos: SourcePos, message: str) -> None:
        self.items.append(Diagnostic(pos.path, pos.line, ERROR, message))

    def warning(self, pos: SourcePos, message: str) -> None:
        self.items.append(Diagnostic(pos.path, pos.line, WARNING, message))

    def extend(self, other: Diagnostics) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == WARNING]

    def failed(self, strict: bool = False) -> bool:
        """True when the build must not be written."""
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Diagnostic]:
        """Every problem once, by file, then line, errors before warnings."""
        return sorted(set(self.items), key=lambda d: (d.path, d.line, d.level, d.message))


def github_annotations(problems: list[Diagnostic]) -> list[str]:
    """Each problem as a GitHub Actions workflow command, so a pull request shows it on its line:
    `::error file=PATH,line=N,title=...::message`, escaped as actions/toolkit escapes them."""
    lines = []
    for problem in problems:
        props = {}
        if (file := repository_path(problem.path)) is not None:
            props = {"file": file, "line": str(problem.line)}
        props["title"] = f"content {problem.level}"
        fields = ",".join(f"{key}={_escape_property(value)}" for key, value in props.items())
        lines.append(f"::{problem.level} {fields}::{_escape_data(problem.message)}")
    counts = {level: sum(p.level == level for p in problems) for level in (ERROR, WARNING)}
    if any(count > SHOWN_ANNOTATIONS for count in counts.values()):
        lines.append(f"::notice title=more problems than annotations::{counts[ERROR]} errors and "
                     f"{counts[WARNING]} warnings; GitHub shows the first {SHOWN_ANNOTATIONS} of each kind: "
                     "the run's summary lists them all")
    return lines


def markdown_summary(problems: list[Diagnostic], failed: bool) -> str:
    """The whole list as a Markdown table, for $GITHUB_STEP_SUMMARY (GitHub shows only the first
    ten annotations of each kind). Every character of content that Markdown could read as markup
    is escaped: the summary is rendered."""
    errors = sum(p.level == ERROR for p in problems)
    heading = f"### Content check: {errors} error{'s' * (errors != 1)}, {len(problems) - errors} warning" \
              f"{'s' * (len(problems) - errors != 1)}{' (failed)' if failed else ''}\n\n"
    if not problems:
        return heading + "No problems found.\n"
    table = "| File | Line | Level | Problem |\n|---|---|---|---|\n"
    size = len((heading + table).encode())
    for shown, p in enumerate(problems):
        row = f"| {_md(repository_path(p.path) or p.path)} | {p.line} | {p.level} | {_md(p.message)} |\n"
        size += len(row.encode())
        if size > SUMMARY_BYTES:
            return heading + table + f"\n{len(problems) - shown} more; run `python build.py check` to see them.\n"
        table += row
    return heading + table


def repository_path(shown: str) -> str | None:
    """A problem's file as the repository has it (relative to the root of the git work tree it
    is in), as shown when it is in none; None when the problem is not in a file (--base-url)."""
    path = os.path.abspath(shown)
    if not os.path.exists(path):
        return None
    root = _work_tree(os.path.dirname(path))
    return shown if root is None else os.path.relpath(path, root).replace(os.sep, "/")


@functools.lru_cache(maxsize=64)
def _work_tree(folder: str) -> str | None:
    if os.path.exists(os.path.join(folder, ".git")):  # a folder, or a file in a linked worktree
        return folder
    parent = os.path.dirname(folder)
    return None if parent == folder else _work_tree(parent)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_MARKUP = re.compile(r"([!-/:-@\[-`{-~])")  # ASCII punctuation: CommonMark lets any be escaped


def _md(text: str) -> str:
    return _MARKUP.sub(r"\\\1", " ".join(text.split()))
