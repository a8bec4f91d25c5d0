"""When a submission was handed in: the student's claim, checked against what the exchange saw.

nbgrader's `submit` writes the submission's time into its `timestamp.txt`, and nbgrader's late penalty is computed
from it. That file is written by the student's own process, in a folder the student owns: the student may write
any text into it, or make it a link to /dev/zero, a FIFO, or a file of gigabytes. So the claim is read here without
following a link or blocking (`submitted_files.open_regular`), at most MAX_CLAIM_BYTES of it, and parsed as
nbgrader parses it (`nbgrader.utils.parse_utc`), every error caught: what is not a date is reported in one line,
never raised (nbgrader's own `CourseDirectory.get_existing_timestamp` calls a `fail` method it does not have).

What the student cannot set is the inode change time (ctime) of the files they wrote: the kernel sets it to the
clock's time whenever a file's contents or metadata change, and no call sets it back. When the exchange still holds
the submission (`<Exchange.root>/<course_id>/inbound/<student>+<assignment>+<time>+<random>/`, the folder `nbgrader
collect` copied into submitted/<student>/<assignment>/), the latest ctime of that folder and of everything in it
(read with lstat, never through a link) is when the submission was last written there: the student can make it
later (by touching a file), never earlier. A claim earlier than that by more than SLACK is not believed: lateness is
counted from the ctime, and the instructor gets a one-line notice.

Which inbound folder was collected: the collected copy's regular files (its timestamp.txt and the random
submission_secret.txt that submit writes first, then the rest) must all be byte for byte the same in it. A copy is
what collect makes, so that holds for the folder collected, unless someone changed either since; folders a student
made to look alike (the same claim and secret, different work) differ in the work. When several are exact copies,
the latest written counts. When the student has folders in the exchange but none is a copy (changed after
collect, in the exchange or in submitted/), the claim is used, unconfirmed, and a notice says so.

What this can and cannot establish:
- it is evidence only where nbgrader's default exchange holds the submission: a submission copied into
  submitted/ by hand (the demo's sample class), an exchange folder removed meanwhile, or another exchange
  implementation (`c.ExchangeFactory`) leave the claim as the only time, used as before, with no notice;
- the ctime is the clock of the machine holding the exchange (the file server's, on NFS), so it is only as right
  as that clock, and root can set the clock, or the raw filesystem;
- anyone who changes the inbound copies' metadata (chmod, chown, touch) or contents moves their ctime to that
  moment: an instructor's `chmod -R` over inbound/ makes every submission look as late as the chmod; copying or
  restoring the exchange from a backup does too;
- the exchange must be on a filesystem that keeps ctime (every POSIX one; not some FUSE or network mounts);
- other students cannot list inbound/ (nbgrader makes it 2733) nor guess a folder's random name, so they cannot
  make a classmate's submission look later by touching it;
- a claim later than the evidence is believed: it only makes the student later.
"""
import datetime
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.utils import parse_utc

from ..course import Course
from .outcomes import one_line, quoted
from .submitted_files import MAX_DEPTH, MAX_ENTRIES, NotRegular, open_regular, walk

CLAIM_FILE = "timestamp.txt"
MISSING = "missing"  # read_claim's problem when there is no timestamp.txt at all
SECRET_FILE = "submission_secret.txt"
MAX_CLAIM_BYTES = 256  # nbgrader's own are about 30 bytes ("2026-11-20 09:00:00.123456 UTC")
MAX_COMPARED_BYTES = 1 << 30  # a larger file is never taken for a copy (nbgrader's collect keeps up to 100 MB)
CHUNK = 1 << 20
# nbgrader submit takes its time first, then copies the files and sets their modes, so the files' ctime follows
# the claim by as long as that takes (under a second for this course's files, seconds for large ones on a slow
# network filesystem), plus, on NFS, the difference between the student's server's clock and the file server's,
# which NTP keeps within a second. Two minutes is far above both and far below any lateness that matters.
SLACK = datetime.timedelta(minutes=2)


@dataclass(frozen=True)
class SubmissionTime:
    """When a submission counts as handed in, for nbgrader's late penalty, and what the instructor should know."""
    timestamp: datetime.datetime | None  # naive UTC, as nbgrader's gradebook stores it; None: unknown, no penalty
    notice: str = ""  # one line for the instructor; empty when the claim stands unquestioned
    claimed: datetime.datetime | None = None  # what timestamp.txt says, when it is a date
    written: datetime.datetime | None = None  # when the exchange's copy was last written, when one was found


def submission_time(course: Course, student_id: str, assignment: str, submission_folder) -> SubmissionTime:
    """The time of the collected submission in `submission_folder` (submitted/<student>/<assignment>/); never raises."""
    claimed, problem = read_claim(submission_folder)
    try:
        written, unmatched = exchange_written(course, student_id, assignment, submission_folder)
    except OSError as error:  # a folder of the exchange gone or unreadable while it was read
        written, unmatched = None, f"the exchange could not be read ({error.strerror}), so the claim was not checked"
    if written is not None:
        if problem:
            notice = f"{CLAIM_FILE}: {problem}: lateness counted from when the exchange's copy was written, "
            return SubmissionTime(written, one_line(notice + _utc(written), 500), None, written)
        if claimed < written - SLACK:
            return SubmissionTime(written, one_line(f"{CLAIM_FILE} claims {_utc(claimed)}, but the exchange's copy "
                                                    f"was written at {_utc(written)}: lateness counted from the "
                                                    f"latter", 500), claimed, written)
        return SubmissionTime(claimed, "", claimed, written)
    parts = [f"{CLAIM_FILE}: {problem}"] if problem and (unmatched or problem != MISSING) else []
    if unmatched:
        parts.append(unmatched)
    if not parts:
        return SubmissionTime(claimed, "", claimed)
    ending = ("the submission time is unknown, so no late penalty was computed" if claimed is None else
              f"lateness counted from {CLAIM_FILE}'s {_utc(claimed)}, which nothing confirms")
    return SubmissionTime(claimed, one_line("; ".join(parts) + ": " + ending, 500), claimed)


def read_claim(submission_folder) -> tuple:
    """(the time timestamp.txt claims, naive UTC, or None; what is wrong with it, "" when nothing is)."""
    path = Path(submission_folder) / CLAIM_FILE
    try:
        with open_regular(path, MAX_CLAIM_BYTES) as handle:
            data = handle.read(MAX_CLAIM_BYTES)
    except NotRegular as refused:
        if not os.path.lexists(path):
            return None, MISSING
        if refused.too_large:
            return None, f"not a date ({refused.what}, not read)"
        return None, f"not read ({refused.what})"
    except OSError as error:
        return None, f"not read ({error.strerror})"
    text = data.decode("utf-8", "replace").strip()
    if not text:
        return None, "empty"
    try:
        claimed = parse_utc(text)
    except Exception:  # dateutil raises ValueError, OverflowError, TypeError...: all mean "not a date"
        claimed = None
    if not isinstance(claimed, datetime.datetime):
        return None, f"not a date ({quoted(one_line(text, 60))})"
    return claimed, ""


def exchange_written(course: Course, student_id: str, assignment: str, submission_folder) -> tuple:
    """(when the exchange's copy of the collected submission was last written, naive UTC, or None; a one-line
    problem when the student has folders in the exchange but none is that copy, "" otherwise)."""
    inbound = inbound_folder(course)
    if inbound is None:
        return None, ""
    try:
        names = _listing(inbound)
    except FileNotFoundError:
        return None, ""
    except OSError as error:
        return None, f"the exchange's {inbound} could not be read ({error.strerror}), so the claim was not checked"
    prefix = f"{student_id}+{assignment}+"
    candidates = [inbound / name for name in names if name.startswith(prefix)]
    if not candidates:
        return None, ""
    collected = _identity_first(walk(submission_folder).files)
    copies = [folder for folder in candidates
              if _is_folder(folder) and _is_copy(Path(submission_folder), collected, folder)]
    if not copies:
        return None, (f"none of the student's {len(candidates)} folder(s) in the exchange's {inbound} is a copy of "
                      f"the collected submission (changed since it was collected?)")
    return max(last_written(folder) for folder in copies), ""


def _is_folder(path: Path) -> bool:
    """A folder itself, not a link to one. nbgrader submit makes folders; collect would copy through a link the
    student put there, but the link's times say nothing of its target's, which may be anywhere: when the target
    is another folder of inbound/, that folder is the copy, else none is."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def inbound_folder(course: Course) -> Path | None:
    """The course's inbound folder in nbgrader's exchange, as nbgrader collect finds it; None without a course id."""
    try:
        course_id = CourseDirectory(config=course.config).course_id
        root = ExchangeCollect(config=course.config).root
    except Exception:  # a configuration nbgrader itself would refuse: no exchange to look in
        return None
    return Path(root) / course_id / "inbound" if course_id and root else None


_listed = {}  # {inbound folder: ((its identity and last change), its entries' names)}, this process's


def _listing(inbound: Path) -> tuple:
    """The names in `inbound`, listed again only when it changed: a class of thousands would otherwise list
    thousands of folders once per student."""
    status = os.stat(inbound)
    version = (status.st_dev, status.st_ino, status.st_mtime_ns, status.st_ctime_ns)
    known = _listed.get(inbound)
    if known is None or known[0] != version:
        with os.scandir(inbound) as entries:
            known = _listed[inbound] = (version, tuple(entry.name for entry in entries))
    return known[1]


def _identity_first(files):
    """The files to compare, the two that tell submissions apart cheaply first."""
    return sorted(files, key=lambda relative: (relative not in (CLAIM_FILE, SECRET_FILE), relative))


def _is_copy(collected: Path, files, folder: Path) -> bool:
    """Whether each of `files` (relative to `collected`) is, byte for byte, a regular file of the same name in
    `folder`, read without following links or blocking."""
    return all(_same_bytes(collected / relative, folder / relative) for relative in files)


def _same_bytes(path, other) -> bool:
    try:
        with open_regular(path, MAX_COMPARED_BYTES) as first, open_regular(other, MAX_COMPARED_BYTES) as second:
            if os.fstat(first.fileno()).st_size != os.fstat(second.fileno()).st_size:
                return False
            while True:
                chunk = first.read(CHUNK)
                if chunk != second.read(CHUNK):
                    return False
                if not chunk:
                    return True
    except (NotRegular, OSError):
        return False


def last_written(folder: Path) -> datetime.datetime:
    """The latest ctime of `folder` and of every entry under it (links themselves, never their targets), as a
    naive UTC datetime; at most MAX_ENTRIES entries, MAX_DEPTH folders deep."""
    latest = os.lstat(folder).st_ctime_ns
    pending, seen = [(folder, 0)], 0
    while pending and seen < MAX_ENTRIES:
        parent, depth = pending.pop()
        try:
            with os.scandir(parent) as entries:
                for entry in entries:
                    seen += 1
                    status = entry.stat(follow_symlinks=False)
                    latest = max(latest, status.st_ctime_ns)
                    if stat.S_ISDIR(status.st_mode) and depth < MAX_DEPTH:
                        pending.append((Path(entry.path), depth + 1))
        except OSError:
            continue  # an entry gone meanwhile, or unreadable: the rest still counts
    return _naive_utc(latest)


EPOCH = datetime.datetime(1970, 1, 1)


def _naive_utc(nanoseconds: int) -> datetime.datetime:
    return EPOCH + datetime.timedelta(microseconds=nanoseconds // 1000)


def _utc(moment: datetime.datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC"
