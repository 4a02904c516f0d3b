"""The contract's dates: a day, month or year, approximate (~) or uncertain (?),
and intervals of two such dates (either end may be open: '..')."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .records import record

MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")

DAY, MONTH, YEAR = 0, 1, 2  # precision ranks: a day sorts before its month
DATE_HINT = "use YYYY, YYYY-MM or YYYY-MM-DD, optionally with ~ or ?, or START/END"
_PART_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([~?%]?)")
_TIME_RE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?"
                      r"(Z|[+-]\d{2}:?\d{2})?)?")


class DateError(ValueError):
    """A date that the contract does not allow; the message says why."""


@record
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None
    approx: bool = False
    uncertain: bool = False

    @property
    def precision(self) -> int:
        return DAY if self.day else MONTH if self.month else YEAR

    def earliest(self) -> dt.date:
        """The first day this date can mean."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        """The last day this date can mean."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    def iso(self) -> str:
        """The machine form, as HTML's <time datetime> and JSON take it."""
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def edtf(self) -> str:
        suffix = "%" if self.approx and self.uncertain else "~" if self.approx else "?" if self.uncertain else ""
        return self.iso() + suffix


@record
class DateSpan:
    """A single date (end is start) or an interval; an open end is None."""

    start: PartialDate | None
    end: PartialDate | None
    interval: bool = False

    def sort_key(self) -> tuple[int, int, int]:
        """Earliest day, then precision, then a single date before an interval."""
        first = self.start.earliest().toordinal() if self.start else 0
        precision = self.start.precision if self.start else YEAR
        return (first, precision, int(self.interval))

    def iso(self) -> str:
        if not self.interval:
            return self.start.iso()
        return f"{self.start.iso() if self.start else '..'}/{self.end.iso() if self.end else '..'}"

    def edtf(self) -> str:
        if not self.interval:
            return self.start.edtf()
        return f"{self.start.edtf() if self.start else '..'}/{self.end.edtf() if self.end else '..'}"

    @property
    def precision(self) -> int:
        return self.start.precision if self.start else YEAR


def parse_partial(text: str) -> PartialDate:
    """Parse '2020-10-15', '2020-10', '2020', each optionally followed by ~, ? or %."""
    match = _PART_RE.fullmatch(text)
    if not match:
        raise DateError(f'"{text}" is not a date; {DATE_HINT}')
    year, month, day = (int(g) if g else None for g in match.groups()[:3])
    mark = match.group(4)
    if year == 0:
        raise DateError(f'"{text}": there is no year 0000')
    if month is not None and not 1 <= month <= 12:
        raise DateError(f'"{text}": month {month:02d} does not exist; months run 01 to 12')
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        last = calendar.monthrange(year, month)[1]
        raise DateError(f'"{text}": {MONTHS[month - 1]} {year} has no day {day:02d} (it has {last})')
    return PartialDate(year, month, day, approx=mark in ("~", "%"), uncertain=mark in ("?", "%"))


def parse_span(text: str) -> DateSpan:
    """Parse a single date or an interval 'START/END' ('..' or nothing for an open end)."""
    text = text.strip()
    if "/" not in text:
        single = parse_partial(text)
        return DateSpan(single, single)
    if text.count("/") > 1:
        raise DateError(f'"{text}" is not a date; an interval is START/END with one "/"')
    left, right = (part.strip() for part in text.split("/"))
    start = None if left in ("", "..") else parse_partial(left)
    end = None if right in ("", "..") else parse_partial(right)
    if start is None and end is None:
        raise DateError(f'"{text}": an interval needs at least one end')
    if start and end and end.latest() < start.earliest():
        raise DateError(f'"{text}": the interval ends before it starts')
    return DateSpan(start, end, interval=True)


def parse_published(text: str) -> dt.datetime:
    """An article's publication date: YYYY-MM-DD, optionally with a time; naive means UTC."""
    match = _TIME_RE.fullmatch(text.strip())
    if not match:
        raise DateError(f'"{text}" is not a publication date; use YYYY-MM-DD, '
                        "optionally followed by a time such as T16:40:00")
    day = parse_partial(match.group(1))
    hour, minute, second = (int(g or 0) for g in match.group(2, 3, 4))
    if hour > 23 or minute > 59 or second > 59:
        raise DateError(f'"{text}": {hour:02d}:{minute:02d}:{second:02d} is not a time of day')
    zone = dt.UTC
    offset = match.group(5)
    if offset and offset != "Z":
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        zone = dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone)

