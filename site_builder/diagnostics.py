"""Problems found in content: collected, never raised."""

from __future__ import annotations

from dataclasses import dataclass, field

from .records import record

ERROR = "error"
WARNING = "warning"


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
