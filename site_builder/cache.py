"""The build cache: parsed content files and the last build's manifest, kept between runs.

It lives in .cache/site-builder/ beside content/ (git-ignored). Everything in it is
keyed by what it was made from, including a digest of this package's own code, so
it can make a build faster but never different: a stale or unreadable cache is
simply ignored."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .config import SiteConfig
from .load import RACY_NS, racy

CODE = Path(__file__).resolve().parent


def code_version() -> str:
    """A digest of the builder's own source: any change to it invalidates every cache."""
    digest = hashlib.blake2b(digest_size=12)
    for path in sorted(CODE.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def input_stats(config: SiteConfig) -> dict[str, list[int]]:
    """Size and modification time of every file a build reads: content, templates, static files
    (hidden folders and links to folders are not read; a link to nothing is no file)."""
    stats: dict[str, list[int]] = {}
    for folder in (config.content_dir, *config.template_dirs):
        _stat_tree(str(folder), stats)
    return stats


def _stat_tree(folder: str, stats: dict[str, list[int]]) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if not entry.is_dir():
                info = entry.stat()
                stats[entry.path] = [info.st_size, info.st_mtime_ns]
            elif not entry.name.startswith(".") and not entry.is_symlink():
                _stat_tree(entry.path, stats)
        except OSError:  # gone since it was listed, or a link to nothing
            continue


def changed_paths(before: dict[str, list[int]], taken_ns: int, now: dict[str, list[int]]) -> list[str]:
    """The input files that may differ from a snapshot of stats taken at taken_ns: added, deleted,
    of another size or time, or of a time so close to the snapshot's that they may have changed
    again unseen (load.racy); the caller compares the bytes of those."""
    return [path for path in before.keys() | now.keys()
            if before.get(path) != now.get(path) or racy(now[path][1], taken_ns)]


BUCKETS = 32  # records are saved in this many files, so one edit rewrites a thirty-second of them


def _bucket(rel: str) -> int:
    return hashlib.blake2b(rel.encode(), digest_size=2).digest()[0] % BUCKETS


class Records(dict):
    """Parsed files by path; remembers which buckets changed since they were read."""

    def __init__(self, *args):
        super().__init__(*args)
        self.dirty: set[int] = set()

    def __setitem__(self, key, value):
        self.dirty.add(_bucket(key))
        super().__setitem__(key, value)

    def __delitem__(self, key):
        self.dirty.add(_bucket(key))
        super().__delitem__(key)


@dataclass(slots=True)
class Cache:
    """Records of parsed files (by content hash) and the manifest of the last build into output/."""

    folder: Path | None
    key: str
    output_key: str
    scope: str  # which content folder's records: two beside each other share this cache folder
    manifest: dict = field(default_factory=dict)
    _records: Records | None = None

    @property
    def records(self) -> Records:
        """Parsed files, read from disk on first use (a build with nothing changed never needs them)."""
        if self._records is None:
            self._records = Records()
            for number in range(BUCKETS) if self.folder else ():
                dict.update(self._records, _read(self._bucket_file(number)) or {})
        return self._records

    def _bucket_file(self, number: int) -> Path:
        return self.folder / f"records-{self.scope}-{self.key}-{number}.pickle"

    @classmethod
    def open(cls, config: SiteConfig, use: bool = True) -> Cache:
        key = hashlib.blake2b(json.dumps([code_version(), str(config.content_dir), config.allow_html]).encode(),
                              digest_size=12).hexdigest()
        folder = config.content_dir.resolve().parent / ".cache" / "site-builder" if use else None
        scope = hashlib.blake2b(str(config.content_dir.resolve()).encode(), digest_size=4).hexdigest()
        cache = cls(folder, key, _output_key(config), scope)
        if folder:
            cache.manifest = _read(folder / f"manifest-{cache.output_key}.pickle") or {}
        return cache

    def unchanged(self, config: SiteConfig, stats: dict) -> bool:
        """True when the last build into this output/ read exactly these inputs with these settings."""
        m = self.manifest
        if not m or m.get("key") != self.key or m.get("settings") != config.settings() or m.get("stats") != stats:
            return False
        # A file written just before the last build started could have changed again without a new mtime.
        newest = max((mtime for _, mtime in stats.values()), default=0)
        return (newest < m["started_ns"] - RACY_NS and (config.output_dir / "index.html").is_file()
                and m.get("output_id") == _folder_id(config.output_dir))

    def state(self, config: SiteConfig):
        """The state of the build that output/ holds, if this cache made it and output/ is still that folder."""
        m = self.manifest
        if m.get("key") != self.key or m.get("output_id") != _folder_id(config.output_dir):
            return None
        return m.get("state")

    def read_index(self, index_id: int) -> bytes | None:
        """The saved index (saved.py) written with this id, if it is still there."""
        stored = _read(self.folder / f"index-{self.output_key}.pickle") if self.folder else None
        return stored[1] if stored and stored[0] == index_id else None

    def save_index(self, index_id: int, data: Callable[[], bytes]) -> None:
        """Write the saved index (saved.py) of a build that indexed the site: its id, and a
        function giving its data."""
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write(self.folder / f"index-{self.output_key}.pickle", (index_id, data()))

    def save_records(self) -> None:
        """Write the records of the parsed files that changed since they were read."""
        if not self.folder or self._records is None or not self._records.dirty:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        buckets: dict[int, dict] = {number: {} for number in self._records.dirty}
        for rel, record in self._records.items():
            if (number := _bucket(rel)) in buckets:
                buckets[number][rel] = record
        for number, records in buckets.items():
            _write(self._bucket_file(number), records)
        self._records.dirty.clear()
        for stale in self.folder.glob(f"records-{self.scope}-*.pickle"):  # from another version of the code
            if not stale.name.startswith(f"records-{self.scope}-{self.key}-"):
                stale.unlink(missing_ok=True)

    def save(self, config: SiteConfig, stats: dict, started_ns: int, state, diagnostics: list, kinds: dict,
             index: dict | None = None) -> None:
        """Remember a successful build: the parsed files not saved yet (save_records), and the
        manifest: the state of output/ and which index (index["id"]) goes with it."""
        if not self.folder:
            return
        self.save_records()
        self.manifest = {"key": self.key, "settings": config.settings(), "stats": stats, "started_ns": started_ns,
                         "state": state, "diagnostics": diagnostics, "kinds": kinds, "index": index,
                         "output_id": _folder_id(config.output_dir)}
        _write(self.folder / f"manifest-{self.output_key}.pickle", self.manifest)


def forget_manifest(config: SiteConfig) -> None:
    """Something else (serve) is about to change output/: the manifest no longer describes it."""
    folder = config.content_dir.resolve().parent / ".cache" / "site-builder"
    (folder / f"manifest-{_output_key(config)}.pickle").unlink(missing_ok=True)


def _output_key(config: SiteConfig) -> str:
    return hashlib.blake2b(str(config.output_dir.resolve()).encode(), digest_size=8).hexdigest()


def _folder_id(folder: Path) -> list[int]:
    """Which output/ folder this is: a new build swaps in a new folder, with a new inode."""
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        return []
    return [info.st_dev, info.st_ino]


def _read(path: Path):
    try:
        with open(path, "rb") as stream:
            return pickle.load(stream)
    except Exception:  # missing, truncated or from another version: build without it
        return None


def _write(path: Path, value) -> None:
    temp = path.with_suffix(f".tmp-{os.getpid()}")
    with open(temp, "wb") as stream:
        pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temp, path)
