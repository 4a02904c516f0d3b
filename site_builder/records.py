"""Frozen records: compact in memory and quick to pickle, for the build cache holds a million."""

from __future__ import annotations

from dataclasses import dataclass, fields
from operator import attrgetter


def record(cls=None, /, **options):
    """@dataclass(frozen=True, slots=True), pickled as a call with its fields, shown (repr) as its
    class name and the tuple of its values.

    Slots save a dict per record (a third of the memory of a big site's records), and
    a slotted frozen dataclass would otherwise be unpickled by setting each field in
    turn through object.__setattr__ and a dict. A record is unpickled by its class's
    `_rebuild`, which sets its slots directly: a third faster than calling the class,
    whose frozen __init__ goes through object.__setattr__ for each field (a build after
    an edit loads half a million records)."""

    def wrap(cls):
        cls = dataclass(frozen=True, slots=True, repr=False, **options)(cls)
        names = [f.name for f in fields(cls)]
        values = attrgetter(*names) if len(names) > 1 else lambda record: (getattr(record, names[0]),)
        name = cls.__name__
        rebuild = rebuilder(cls, names)
        cls._rebuild = staticmethod(rebuild)  # (where pickle finds it, by its name)

        def __reduce__(self):  # (attrgetter of one name gives the value, not a tuple of it)
            return rebuild, values(self)

        def __repr__(self):  # its values in order: what fragments' digests are taken of, fast
            return name + repr(values(self))
        cls.__reduce__ = __reduce__
        cls.__repr__ = __repr__
        return cls
    return wrap if cls is None else wrap(cls)


def rebuilder(cls, names: list[str]):
    """A function of the fields' values, in order, making the record without __init__: what an
    unpickled record was when it was pickled (no field is computed in __init__)."""
    setters = {f"_set{i}": getattr(cls, n).__set__ for i, n in enumerate(names)}  # (the slots' own descriptors)
    lines = [f"    _set{i}(_record, _{i})" for i in range(len(names))]
    code = (f"def _rebuild({', '.join(f'_{i}' for i in range(len(names)))}):\n    _record = _new(_cls)\n"
            + "\n".join(lines) + "\n    return _record\n")
    scope = {"_new": object.__new__, "_cls": cls, **setters}
    exec(code, scope)  # (generated once per class, as dataclasses makes __init__)
    rebuild = scope["_rebuild"]
    rebuild.__module__, rebuild.__qualname__ = cls.__module__, f"{cls.__qualname__}._rebuild"
    return rebuild
