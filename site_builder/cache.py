"""The build cache: parsed content files and the last build's manifest, kept between runs.

It lives in .cache/site-builder/ beside content/ (git-ignored). Everything in it is
keyed by what it was made from, including a digest of this package's own code, so
it can make a build faster but never different: a stale or unreadable cache is
simply ignored, and one that cannot be written is a warning and a build without it. Each
file is written whole or not at all (a temporary file, then a rename), and the manifest,
which names the rest, last; while output/ may differ from the manifest, guard.py's mark
says so and the manifest is not trusted."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import pickle
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import guard
from .config import SiteConfig
from .diagnostics import WARNING, Diagnostic
from .parallel import split

CODE = Path(__file__).resolve().parent
RACY_NS = 3_000_000_000  # how recent an mtime may be and still not be trusted


def racy(mtime_ns: int, snapshot_ns: int) -> bool:
    """Whether a file with this time may have changed again, unseen, after a snapshot taken then."""
    return mtime_ns >= snapshot_ns - RACY_NS


def file_digest(raw: bytes) -> bytes:
    """What a file's record is keyed by: a digest of its bytes."""
    return hashlib.blake2b(raw, digest_size=16).digest()


@functools.cache
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
                try:
                    info = entry.stat()
                except OSError:  # a link to nothing or a link loop: the link itself (load warns of it)
                    info = entry.stat(follow_symlinks=False)
                stats[entry.path] = [info.st_size, info.st_mtime_ns]
            elif not entry.name.startswith(".") and not entry.is_symlink():
                _stat_tree(entry.path, stats)
        except OSError:  # gone since it was listed
            continue


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The size and time of every input file, taken at taken_ns, and the digests of the files that
    are not content files read by load (templates, static files, site.yaml) and so recent that
    they may still change without a new time (racy), hashed when the snapshot was taken."""

    stats: dict[str, list[int]]
    taken_ns: int
    digests: dict[str, bytes]

    @classmethod
    def take(cls, config: SiteConfig) -> Snapshot:
        taken_ns = time.time_ns()
        stats = input_stats(config)
        content = os.path.join(config.content_dir, "")
        digests = {path: digest for path, (_, mtime) in stats.items()
                   if racy(mtime, taken_ns) and not (path.startswith(content) and path.endswith(".md"))
                   and (digest := _file_digest(path)) is not None}
        return cls(stats, taken_ns, digests)

    def racy_digests(self, config: SiteConfig, sources: dict[str, bytes]) -> dict[str, bytes]:
        """The digests of the recent files as the build read them: content files by the digest of the
        bytes load read (sources), the others as hashed when the snapshot was taken."""
        content = os.path.join(config.content_dir, "")
        digests = dict(self.digests)
        for path, (_, mtime) in self.stats.items():
            if racy(mtime, self.taken_ns) and path.startswith(content):
                rel = path[len(content):].replace(os.sep, "/")
                if rel in sources:
                    digests[path] = sources[rel]
        return digests


def _file_digest(path: str) -> bytes | None:
    try:
        with open(path, "rb") as stream:
            return file_digest(stream.read())
    except OSError:
        return None


def changed_paths(before: dict[str, list[int]], taken_ns: int, now: dict[str, list[int]]) -> list[str]:
    """The input files that may differ from a snapshot of stats taken at taken_ns: added, deleted,
    of another size or time, or of a time so close to the snapshot's that they may have changed
    again unseen (racy); the caller compares the bytes of those."""
    recent = taken_ns - RACY_NS  # (racy, inline: the preview asks this of every file at every rebuild)
    found = [path for path, stat in now.items() if stat != before.get(path) or stat[1] >= recent]
    return found + [path for path in before if path not in now]


BUCKETS = 32  # records are saved in this many files, so one edit rewrites a thirty-second of them


SEARCH_BUCKETS = 16  # and the state's search entries in this many (Cache._save_search)


def _bucket(rel: str, buckets: int = BUCKETS) -> int:
    return hashlib.blake2b(rel.encode(), digest_size=2).digest()[0] % buckets


def _by_bucket(items: dict, numbers, buckets: int = BUCKETS) -> dict[int, dict]:
    """The items of these bucket numbers, by bucket (each saved as a file of its own)."""
    found: dict[int, dict] = {number: {} for number in numbers}
    for key, value in items.items():
        if (number := _bucket(key, buckets)) in found:
            found[number][key] = value
    return found


class Records(dict):
    """Parsed files by path (load.Entry); remembers which buckets changed since they were read, and
    which files were only touched: the same bytes at a new size or time (load.Entry.touches).
    Those go in one small file of stats (Cache.save_records) instead of their buckets: a fresh
    checkout touches every file, and its buckets are most of the cache's bytes."""

    def __init__(self, *args):
        super().__init__(*args)
        self.dirty: set[int] = set()  # buckets to write
        self.touched: set[str] = set()  # files whose stat is the stats file's, not their bucket's
        self.restated = False  # a file was touched: the stats file is to be written

    def __setitem__(self, key, value):
        old = self.get(key)
        if old is not None and value.touches(old):
            self.touched.add(key)
            self.restated = True
        else:
            self._changed(key)
        super().__setitem__(key, value)

    def __delitem__(self, key):
        self._changed(key)
        super().__delitem__(key)

    def _changed(self, key) -> None:
        self.dirty.add(_bucket(key))
        self.touched.discard(key)  # (its line in the stats file is older than its bucket's: ignored)

    def restat(self, stats: dict) -> None:
        """Bring in the stats file's newer stats: rel -> (stat, seen, digest), each taken of a file
        that had those bytes, applied only to an entry of those bytes seen earlier."""
        for rel, (stat, seen, digest) in stats.items():
            entry = self.get(rel)
            if entry is not None and entry.digest == digest and entry.seen < seen:
                dict.__setitem__(self, rel, dataclasses.replace(entry, stat=stat, seen=seen))
                self.touched.add(rel)

    def stats(self) -> dict | None:
        """What the stats file is to hold (the touched files whose buckets are not written), or
        None if no file was touched since it was written."""
        if not self.restated:
            return None
        return {rel: (entry.stat, entry.seen, entry.digest) for rel in sorted(self.touched)
                if (entry := self.get(rel)) is not None and _bucket(rel) not in self.dirty}

    def written(self, stats: dict | None) -> None:
        """The buckets and the stats file (Cache.save_records) are on disk."""
        self.dirty.clear()
        if stats is not None:
            self.touched, self.restated = set(stats), False


@dataclass(slots=True)
class Cache:
    """Records of parsed files (by content hash) and the manifest of the last build into output/."""

    folder: Path | None
    key: str
    output_key: str
    scope: str  # which content folder's records: two beside each other share this cache folder
    manifest: dict = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)  # what could not be written
    _records: Records | None = None
    _saved_state: object = None  # the manifest's state once read (False: there is none)

    @property
    def records(self) -> Records:
        """Parsed files, read from disk on first use (a build with nothing changed never needs them)."""
        if self._records is None:
            self._records = Records()
            for number in range(BUCKETS) if self.folder else ():
                dict.update(self._records, _read(self._bucket_file(number)) or {})
            if self.folder:
                self._records.restat(_read(self._stats_file()) or {})
        return self._records

    def _stats_file(self) -> Path:
        return self.folder / f"stats-{self.scope}-{self.key}.pickle"

    def _bucket_file(self, number: int) -> Path:
        return self.folder / f"records-{self.scope}-{self.key}-{number}.pickle"

    @classmethod
    def open(cls, config: SiteConfig, use: bool = True) -> Cache:
        # Keyed by names relative to the cache's own folder, not by where the checkout is: a fresh
        # checkout elsewhere with the cache restored finds it.
        key = hashlib.blake2b(json.dumps([code_version(), str(config.content_dir), config.allow_html]).encode(),
                              digest_size=12).hexdigest()
        folder = config.content_dir.resolve().parent / ".cache" / "site-builder" if use else None
        scope = hashlib.blake2b(config.content_dir.resolve().name.encode(), digest_size=4).hexdigest()
        cache = cls(folder, key, _output_key(config), scope)
        if folder:
            _remove_dead_temps(folder)
            if not guard.in_doubt(config.output_dir):  # else output/ is not what the manifest says
                cache.manifest = _read(folder / f"manifest-{cache.output_key}.pickle") or {}
        return cache

    def unchanged(self, config: SiteConfig, snapshot: Snapshot) -> bool:
        """True when the last build into this output/ read exactly these inputs with these settings:
        the same sizes and times, and for the files so recent at its snapshot that they may have
        changed unseen, the same bytes (one read each, not a build)."""
        m = self.manifest
        if not m or m.get("key") != self.key or m.get("settings") != config.settings() \
                or m.get("stats") != snapshot.stats or not (config.output_dir / "index.html").is_file():
            return False
        recent = [path for path, (_, mtime) in snapshot.stats.items() if racy(mtime, m["taken_ns"])]
        digests = m.get("racy", {})
        if any(path not in digests or _file_digest(path) != digests[path] for path in recent):
            return False
        return self.owns_output(config)

    def state(self, config: SiteConfig):
        """The state of the build that output/ holds, if this cache made it and output/ still holds it."""
        m = self.manifest
        if m.get("key") != self.key or not self.owns_output(config):
            return None
        return self._state()

    def _state(self):
        """The state the manifest names, read on first use: it is most of the cache's bytes (every
        page's dependencies and search words), and a build that finds nothing changed never needs it.
        Its search entries are in buckets of their own (save), each of which must be the one it names."""
        if self._saved_state is None:
            stored = _read(self.folder / f"state-{self.output_key}.pickle") if self.folder else None
            state = stored[1] if stored and stored[0] == self.manifest.get("state_id") else None
            self._saved_state = state if state is not None and self._read_search(state) else False
        return self._saved_state or None

    def _read_search(self, state) -> bool:
        """Fill in a state's search entries from their buckets; False if one is not the bucket it
        names (a build stopped between writing its buckets and its manifest)."""
        if len(state.search_ids) != SEARCH_BUCKETS:
            return False
        for number, part_id in enumerate(state.search_ids):
            part = _read(self._search_file(number))
            if not part or part[0] != part_id:
                return False
            state.search.update(part[1])
        return True

    def _search_file(self, number: int) -> Path:
        return self.folder / f"search-{self.output_key}-{number}.pickle"

    def _save_search(self, state, state_id: int) -> list[int]:
        """Write the buckets of search entries that changed since the state was read (state.searched;
        None: all), and give the id of each bucket's file, as the state file records them."""
        previous = self._saved_state.search_ids if self._saved_state and state.searched is not None else None
        changed = (range(SEARCH_BUCKETS) if previous is None
                   else {_bucket(url, SEARCH_BUCKETS) for url in state.searched})
        buckets = _by_bucket(state.search, changed, SEARCH_BUCKETS)
        for n, entries in buckets.items():
            _write(self._search_file(n), (state_id, entries))
        return [state_id if n in buckets else previous[n] for n in range(SEARCH_BUCKETS)]

    def owns_output(self, config: SiteConfig) -> bool:
        """Whether output/ is the folder the manifest's build wrote: the same folder, or one with the
        same files and bytes (a copy restored with the cache, in a fresh checkout)."""
        m = self.manifest
        if not m.get("state_id") or not m.get("output_id"):
            return False
        folder = _folder_id(config.output_dir)
        if folder == m["output_id"]:
            return True
        if folder and (state := self._state()) and _holds(config.output_dir, state):
            m["output_id"] = folder  # recognised: the next build trusts the folder without reading it
            return True
        return False

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
        """Write the records of the parsed files that changed since they were read, and the stats
        of those only touched (Records)."""
        records = self._records
        if not self.folder or records is None:
            return
        stats = records.stats()
        if not records.dirty and stats is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        for number, bucket in _by_bucket(records, records.dirty).items():
            _write(self._bucket_file(number), bucket)
        if stats is not None:  # (after the buckets it amends)
            _write(self._stats_file(), stats)
        records.written(stats)
        for stale in self.folder.glob(f"*-{self.scope}-*.pickle"):  # from another version of the code
            if stale.name.startswith(("records-", "stats-")) and f"-{self.scope}-{self.key}" not in stale.name:
                stale.unlink(missing_ok=True)
        for stale in self.folder.glob("templates-*"):  # compiled templates (render.make_environment)
            if stale.name != f"templates-{code_version()}":
                shutil.rmtree(stale, ignore_errors=True)

    def save(self, config: SiteConfig, snapshot: Snapshot, racy_digests: dict, state, diagnostics: list,
             kinds: dict, index: dict | None = None) -> None:
        """Remember a successful build: the parsed files not saved yet (save_records), and the
        manifest: the state of output/ and which index (index["id"]) goes with it. If they cannot
        be written, a warning: output/ stays marked in doubt, and the next build is a cold one."""
        if not self.folder:
            return
        state_id = time.time_ns()  # the manifest names the state file written with it
        manifest = {"key": self.key, "settings": config.settings(), "stats": snapshot.stats,
                    "taken_ns": snapshot.taken_ns, "racy": racy_digests, "state_id": state_id if state else None,
                    "diagnostics": diagnostics, "kinds": kinds, "index": index,
                    "output_id": _folder_id(config.output_dir)}
        path = self.folder / f"manifest-{self.output_key}.pickle"
        try:
            self.save_records()
            if state:
                state.search_ids = self._save_search(state, state_id)
                _write(self.folder / f"state-{self.output_key}.pickle", (state_id, state))
            _write(path, manifest)
        except OSError as err:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)  # (belt and braces: the mark already keeps it from use)
            where = self.folder.relative_to(Path.cwd()) if self.folder.is_relative_to(Path.cwd()) else self.folder
            self.warnings.append(Diagnostic(str(where), 1, WARNING, f"cannot write the build cache "
                                            f"({err.strerror or err}); the site was built without it"))
            return
        self.manifest, self._saved_state = manifest, state or False
        guard.settled(config.output_dir)


def forget_manifest(config: SiteConfig) -> None:
    """Something else (serve) is about to change output/: the manifest no longer describes it."""
    folder = config.content_dir.resolve().parent / ".cache" / "site-builder"
    with contextlib.suppress(OSError):  # (an unwritable cache holds no manifest this build wrote)
        (folder / f"manifest-{_output_key(config)}.pickle").unlink(missing_ok=True)


def _output_key(config: SiteConfig) -> str:
    """Which output folder a manifest describes: by its path from the folder holding content/ when
    it is inside it (as output/ is), so that a checkout elsewhere finds its manifest."""
    output, root = config.output_dir.resolve(), config.content_dir.resolve().parent
    name = output.relative_to(root).as_posix() if output.is_relative_to(root) else str(output)
    return hashlib.blake2b(name.encode(), digest_size=8).hexdigest()


def _holds(output: Path, state) -> bool:
    """Whether a folder holds exactly the pages, static files and files beside the text of a build's
    state, byte for byte (the search index's files are only required to be there). The files are
    read in two processes: at 10,000 articles they are 20,000 files and half a gigabyte."""
    published = {rel: digests[1] for rel, digests in state.files.items()}  # (source, bytes published)
    expected = {**state.fingerprints, **{rel: None for rel in state.statics}, **published}
    found = _files_under(str(output))
    if any(rel not in expected and not rel.startswith("search/") for rel in found) or not found.issuperset(expected):
        return False
    checks = [(rel, fingerprint, False) for rel, fingerprint in {**state.fingerprints, **published}.items()]
    checks += [(rel, digest, True) for rel, digest in state.statics.items()]
    root = os.path.join(output, "")

    def differs(part: int, parts: int) -> bool:
        for rel, digest, hexadecimal in checks[part::parts]:
            with open(root + rel, "rb") as stream:
                made = hashlib.blake2b(stream.read(), digest_size=16)
            if (made.hexdigest() if hexadecimal else made.digest()) != digest:
                return True
        return False
    return not any(split(len(checks), differs))


def _files_under(folder: str, prefix: str = "") -> set[str]:
    """The files under a folder, as paths relative to it with "/" between parts."""
    found: set[str] = set()
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                found |= _files_under(entry.path, f"{prefix}{entry.name}/")
            else:
                found.add(prefix + entry.name)
    return found


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
    """Write value to path whole or not at all: a reader sees the old file or the new one."""
    temp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    try:
        with open(temp, "wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        guard.step()
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    guard.step()


def _remove_dead_temps(folder: Path) -> None:
    """Delete the temporary files of processes killed while writing them."""
    try:
        temps = list(folder.glob("*.tmp-*"))
    except OSError:
        return
    for temp in temps:
        pid = temp.name.rpartition(".tmp-")[2]
        if pid.isdigit() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                temp.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # (another user's process)
        return True
    return True
