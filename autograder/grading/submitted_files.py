"""What a submission folder holds, read without following anything out of it.

A submission is the student's folder, and the student chose every entry in it: a link may point at the
instructor's source notebook or /dev/zero, a FIFO blocks whoever opens it, a folder may be nested deeper
than any recursive walk goes. Everything the kit reads, copies or hands to nbgrader from a submission goes
through here: `walk` lists the regular files (and, separately, what it left out and why) without
descending into links, and `read_regular` opens one file without following a link, refusing anything but
a regular file and reading at most a bounded number of bytes.
"""
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .outcomes import one_line

MAX_DEPTH = 32  # folders inside the submission; the release has two levels
MAX_ENTRIES = 10_000  # files, links and folders; the release has about twenty
MAX_FILE_BYTES = 100 * 1000 ** 2  # the course's notebooks are well under 1 MB; their outputs included, a few MB
SKIPPED_NAMES = ("__pycache__", ".ipynb_checkpoints")  # made by Python and Jupyter, never the student's work


class NotRegular(Exception):
    """The path is a link, a FIFO, a device, a socket or a folder, or larger than allowed: it was not read.
    `what` says which, in words that follow the path ("a link", "a FIFO", "12,000,000 bytes, ...")."""

    def __init__(self, path, what, too_large=False):
        super().__init__(f"{path}: {what}")
        self.what, self.too_large = what, too_large


@dataclass(frozen=True)
class SubmittedFiles:
    """The regular files of a submission folder (relative posix paths, sorted), its links ((path, target)),
    and what was left out, one line each."""
    files: tuple = ()
    links: tuple = ()
    left_out: tuple = ()

    def notice(self):
        """One line for the instructor's summary when links or other entries were left out of grading."""
        parts = []
        if self.links:
            names = ", ".join(repr(path) for path, _ in self.links[:3]) + (", ..." if len(self.links) > 3 else "")
            parts.append(f"{len(self.links)} link(s) not followed and left out of grading ({names})")
        if self.left_out:
            parts.append("; ".join(self.left_out[:3]) + (f" (+{len(self.left_out) - 3} more)"
                                                         if len(self.left_out) > 3 else ""))
        return one_line("the submission folder holds " + "; ".join(parts), 500) if parts else ""


def _kind(mode):
    for test, name in ((stat.S_ISDIR, "folder"), (stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"),
                       (stat.S_ISCHR, "device"), (stat.S_ISBLK, "device")):
        if test(mode):
            return name
    return "special file"


def walk(folder, max_depth: int = MAX_DEPTH, max_entries: int = MAX_ENTRIES,
         max_file_bytes: int = MAX_FILE_BYTES) -> SubmittedFiles:
    """The folder's regular files, links and left-out entries, without following a link or recursing."""
    folder = Path(folder)
    files, links, left_out, seen = [], [], [], 0
    pending = [("", 0)]  # a stack of (relative folder, depth): no recursion, however deep the tree
    while pending:
        relative, depth = pending.pop()
        try:
            entries = sorted(os.scandir(folder / relative), key=lambda entry: entry.name)
        except OSError as error:
            left_out.append(f"{relative or '.'!r} could not be listed ({error.strerror})")
            continue
        for entry in entries:
            path = f"{relative}/{entry.name}" if relative else entry.name
            seen += 1
            if seen > max_entries:
                left_out.append(f"more than {max_entries} entries: the rest was left out")
                return SubmittedFiles(tuple(sorted(files)), tuple(sorted(links)), tuple(left_out))
            status = entry.stat(follow_symlinks=False)
            mode = status.st_mode
            if stat.S_ISLNK(mode):
                links.append((path, os.readlink(entry.path)))
            elif stat.S_ISDIR(mode):
                if entry.name in SKIPPED_NAMES:
                    continue
                if depth + 1 > max_depth:
                    left_out.append(f"{path!r} is nested more than {max_depth} folders deep: left out")
                else:
                    pending.append((path, depth + 1))
            elif stat.S_ISREG(mode) and status.st_size > max_file_bytes:
                left_out.append(f"{path!r} is {status.st_size:,} bytes, more than the {max_file_bytes:,} allowed: "
                                f"left out")
            elif stat.S_ISREG(mode):
                files.append(path)
            else:
                left_out.append(f"{path!r} is a {_kind(mode)}: left out")
    return SubmittedFiles(tuple(sorted(files)), tuple(sorted(links)), tuple(left_out))


def open_regular(path, max_bytes: int):
    """A binary file object of `path`, which must be a regular file of at most `max_bytes` bytes, opened
    without following a link and without blocking on a FIFO; NotRegular otherwise."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise NotRegular(path, "a link" if os.path.islink(path) else f"cannot be opened ({error.strerror})") \
            from None
    status = os.fstat(descriptor)
    if not stat.S_ISREG(status.st_mode) or status.st_size > max_bytes:
        os.close(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise NotRegular(path, f"a {_kind(status.st_mode)}")
        raise NotRegular(path, f"{status.st_size:,} bytes, more than the {max_bytes:,} allowed", too_large=True)
    os.set_blocking(descriptor, True)
    return os.fdopen(descriptor, "rb")


def read_regular(path, max_bytes: int) -> bytes:
    """The bytes of the regular file `path` (see open_regular), never more than `max_bytes`."""
    with open_regular(path, max_bytes) as handle:
        return handle.read(max_bytes + 1)[:max_bytes]
