"""What changed under the preview's folders, as the kernel tells it (Linux inotify).

A preview rebuild must know every input file that changed. Looking at the size and time of
each one (cache.input_stats) costs a system call per file: 60 ms of a 200 ms rebuild at
10,000 articles. `Changes` asks the kernel to report the files written, created, deleted or
moved in those folders instead, as Hugo's server does, and falls back to looking whenever it
cannot be sure: not on Linux, no inotify left, a folder created, deleted or moved (its
files would need watches of their own), the kernel's queue overflowing, or a symbolic link
anywhere (an edit to what it points to is not an event in our folders). `take()` then says
None, and the caller stats every file, as before."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import struct
import sys

IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE = 0x002, 0x004, 0x008
IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE = 0x040, 0x080, 0x100, 0x200
IN_DELETE_SELF, IN_MOVE_SELF = 0x400, 0x800
IN_Q_OVERFLOW, IN_IGNORED, IN_ISDIR = 0x4000, 0x8000, 0x40000000
IN_ONLYDIR, IN_DONT_FOLLOW = 0x01000000, 0x02000000
IN_NONBLOCK, IN_CLOEXEC = os.O_NONBLOCK, os.O_CLOEXEC
_MASK = (IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
         | IN_DELETE_SELF | IN_MOVE_SELF)
_UNSURE = IN_Q_OVERFLOW | IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF  # of the watched folders themselves
_EVENT = struct.Struct("iIII")  # wd, mask, cookie, len; then the name, padded with NULs


def _libc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.inotify_init1, libc.inotify_add_watch  # noqa: B018 (present, or AttributeError)
    except (OSError, AttributeError):
        return None
    return libc


class Changes:
    """The files changed under some folders since the last take(); see the module doc."""

    def __init__(self, folders: list[str]):
        self.folders = list(folders)
        self.fd = -1
        self.paths: dict[int, str] = {}  # watch descriptor -> its folder
        self._start()

    def _start(self) -> None:
        """Watch every folder that cache.input_stats reads (hidden ones and links to folders are
        not read); not at all when a link is among the files."""
        self.close()
        libc = _libc()
        if libc is None:
            return
        fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        if fd < 0:
            return  # (no inotify instance left: look at every file)
        self.fd = fd
        for folder in self.folders:
            if not self._watch_tree(libc, folder):
                self.close()
                return

    def _watch_tree(self, libc, folder: str) -> bool:
        wd = libc.inotify_add_watch(self.fd, os.fsencode(folder), _MASK | IN_ONLYDIR | IN_DONT_FOLLOW)
        if wd < 0:
            return False
        self.paths[wd] = folder
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return False
        for entry in entries:
            if entry.is_symlink():
                return False
            if entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
                if not self._watch_tree(libc, entry.path):
                    return False
        return True

    @property
    def watching(self) -> bool:
        return self.fd >= 0

    def take(self) -> set[str] | None:
        """The paths of the files changed since the last take (or since the watch began), or None
        when that is not known: then stat everything. A folder event starts the watch again."""
        if self.fd < 0:
            return None
        changed: set[str] = set()
        unsure = False
        while True:
            try:
                data = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                break
            except OSError:
                unsure = True
                break
            at = 0
            while at + _EVENT.size <= len(data):
                wd, mask, _, length = _EVENT.unpack_from(data, at)
                name = data[at + _EVENT.size: at + _EVENT.size + length].rstrip(b"\0")
                at += _EVENT.size + length
                folder = self.paths.get(wd)
                if mask & (_UNSURE | IN_ISDIR) or folder is None:
                    unsure = True
                    continue
                path = os.path.join(folder, os.fsdecode(name))
                if os.path.islink(path):
                    unsure = True
                    continue
                changed.add(path)
        if unsure:
            self._start()  # (watches of folders that are new, gone or moved: all again)
            return None
        return changed

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
        self.fd = -1
        self.paths = {}

    def __del__(self):
        self.close()
