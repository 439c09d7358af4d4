"""Atomic file output: a file the tool writes is either the old one or the complete new one,
never a half-written one, whatever kills the process in between. A place that cannot be written
(a ConfigError) or a disk that fills up or fails while writing (a StoreError) is one coded error
naming the file (``writing``), never an OSError's traceback."""

from __future__ import annotations

import csv
import errno
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from disclosure_check.errors import ConfigError, DisclosureCheckError, StoreError

AGAIN = "run the command again; a file it would replace is left as it was"
# What an OSError's errno means for a file being written, and how to fix it. Full or failing disks
# are StoreErrors (where output is kept failed); places that cannot be written are ConfigErrors.
WRITE_PROBLEMS = {
    errno.ENOSPC: (StoreError, "the disk is full: the file could not be written",
                   f"free space on that disk, or write the file elsewhere, and {AGAIN}"),
    errno.EDQUOT: (StoreError, "this user's disk quota is used up: the file could not be written",
                   f"free space within the quota, or write the file elsewhere, and {AGAIN}"),
    errno.EFBIG: (StoreError, "the file is larger than this file system allows", f"write it elsewhere and {AGAIN}"),
    errno.EIO: (StoreError, "the disk reported an input/output error while writing",
                f"check the disk (removed, failing, a network share that went away) and {AGAIN}"),
    errno.EROFS: (ConfigError, "this is on a read-only disk", "choose a place on a writable disk"),
    errno.EACCES: (ConfigError, "this user may not write here",
                   "choose a place this user may write, or change the folder's permissions"),
    errno.EPERM: (ConfigError, "this user may not write here",
                  "choose a place this user may write, or change the folder's permissions"),
    errno.EISDIR: (ConfigError, "this is a folder, not a file", "give a file name"),
    errno.ENOTDIR: (ConfigError, "a part of this path is a file, not a folder", "check the path"),
    errno.EEXIST: (ConfigError, "a part of this path is a file, not a folder", "check the path"),
    errno.ENOENT: (ConfigError, "its folder does not exist and cannot be made, or takes no new files", "check the path"),
}


def write_error(exc: OSError, path: str | Path) -> DisclosureCheckError:
    """``exc``, met while writing ``path``, as one coded error naming the file and what to do."""
    kind, what, fix = WRITE_PROBLEMS.get(exc.errno or 0, (ConfigError, "this file cannot be written",
                                                         "choose another place"))
    reason = exc.strerror or str(exc) or type(exc).__name__
    return kind(f"{what} ({reason})", where=str(path), fix=fix)


@contextmanager
def writing(path: str | Path) -> Iterator[None]:
    """Turn an OSError met while writing ``path`` (a file, or a folder of files) into
    ``write_error``'s coded error. An OSError about another file (one being read) is left as it is."""
    try:
        yield
    except OSError as exc:
        if not _about(exc.filename, Path(path)):
            raise
        raise write_error(exc, path) from None


def writable_folder(folder: str | Path) -> Path:
    """``folder``, made if missing, once a file could be created in it: a place that cannot be
    written is refused before long work (training) whose result would go there."""
    folder = Path(folder)
    with writing(folder):
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".write-check.", dir=folder)
        os.close(handle)
        os.unlink(name)
    return folder


def _about(filename: str | bytes | None, target: Path) -> bool:
    """Whether an OSError's file is the output: the file or folder, a file beside or inside it, or
    one of the folders above it (being made); a write to an open file names none."""
    if filename is None:
        return True
    found = Path(os.fsdecode(filename))
    return found == target or found.parent == target.parent or target in found.parents or found in target.parents


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; on success it is flushed to disk and renamed
    over ``path`` (atomic on POSIX and Windows), on an exception it is removed."""
    target = Path(path)
    with writing(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        os.close(handle)
    tmp = Path(name)
    try:
        with writing(target):
            yield tmp
            with open(tmp, "rb+") as written:
                os.fsync(written.fileno())
            os.chmod(tmp, _readable_mode(target))
            os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes(path: str | Path, data: bytes) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    return write_bytes(path, text.encode(encoding))


def write_csv(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    """A UTF-8 CSV with ``header`` then ``rows``, written atomically (cells as given: neutralise
    spreadsheet formulas before, where the file is meant for spreadsheets)."""
    with atomic_path(path) as tmp, tmp.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return Path(path)


def _readable_mode(target: Path) -> int:
    """The mode a new file gets from the umask (usually 0644: others may read a report or an export),
    or the mode of the file being replaced. mkstemp's own 0600 would lock others out."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    try:  # Linux says it without changing it (os.umask would, for a moment, for every thread)
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
