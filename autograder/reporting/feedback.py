"""Per-student feedback pages: each function's score, status and one-line diagnostic.

The page shows only the grader's verdicts: the hidden tests run from outside the student's kernel
and their expected values stay in the grader, so neither reaches a student. Each page is written
twice: into the grades folder for the instructor, and, for a submission collected through nbgrader's
exchange, into the course's feedback folder as the notebook's feedback, where `nbgrader
release_feedback` takes it from, so that `nbgrader fetch_feedback` brings each student their page.
"""
import os
from html import escape
from pathlib import Path

from nbgrader.coursedir import CourseDirectory

from ..course import Course
from ..grading.gradebook import Standing, standing
from ..grading.results import StudentResult
from ..grading.submissions import fingerprint
from ..grading.submitted_files import NotRegular, read_regular
from ..paths import NOTEBOOKS

# What nbgrader's release_feedback reads beside each page: the submission's time, and the secret from
# which it names the released page, so that only the student who submitted can fetch it.
IDENTITY = ("timestamp.txt", "submission_secret.txt")

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid #ddd; vertical-align: top; }
th { background: #f3f4f6; }
td.score { white-space: nowrap; font-variant-numeric: tabular-nums; }
.status { font-weight: 600; }
.passed { color: #1d7a46; } .failed { color: #b3261e; } .error { color: #b3261e; }
.timeout { color: #9a5b00; } .missing { color: #6b7280; }
.attention { background: #fff4e5; border-left: 4px solid #9a5b00; padding: .6rem .8rem; }
.note { color: #555; font-size: .9rem; }
.late { color: #9a5b00; }
"""


class NotDelivered(Exception):
    """The page cannot go to the student through nbgrader's exchange; the message says why."""


class SubmissionChanged(NotDelivered):
    """The submitted files differ from those graded: the page would go out as another submission's feedback."""


MAX_IDENTITY_BYTES = 4096  # nbgrader writes a timestamp and a hex digest


def _duration(seconds):
    minutes, seconds = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = [(days, "d"), (hours, "h"), (minutes, "min"), (seconds, "s")]
    return " ".join(f"{value} {unit}" for value, unit in parts if value) or "under a second"


def score_lines(result, standing):
    """The page's score, with nbgrader's late penalty taken off as `nbgrader export` takes it off."""
    if not standing.seconds_late:
        return f"<p><strong>Score: {result.score:g} / {result.max_score:g}</strong></p>"
    late = f"Submitted {_duration(standing.seconds_late)} after the due date ({escape(standing.duedate)})"
    if not standing.penalty:
        return (f"<p><strong>Score: {result.score:g} / {result.max_score:g}</strong></p>\n"
                f'<p class="late">{late}; no points were taken off.</p>')
    final = max(0.0, result.score - standing.penalty)
    return (f"<p><strong>Score: {final:g} / {result.max_score:g}</strong></p>\n"
            f'<p class="late">{late}: the course\'s late policy takes off {standing.penalty:g} of the '
            f"{result.score:g} points your functions earned.</p>")


def for_student(text: str, result: StudentResult) -> str:
    """`text` with the paths of the grader's machine cut to the names inside the student's own submission."""
    if not result.folder:
        return text
    folder = result.folder.rstrip("/")
    return text.replace(folder + "/", "").replace(folder, "your submission")


def render(result: StudentResult, standing: Standing = Standing()) -> str:
    """The HTML page for one StudentResult; `standing` adds the roster's name and the late penalty."""
    who = (f"{escape(standing.name)} ({escape(result.student_id)})" if standing.name
           else escape(result.student_id))
    rows = "\n".join(
        f"<tr><td><code>{escape(row.function)}</code></td><td class=\"score\">{row.score:g} / {row.max_score:g}</td>"
        f"<td class=\"status {escape(row.status)}\">{escape(row.status)}</td>"
        f"<td>{escape(for_student(row.message, result))}</td></tr>"
        for row in result.rows)
    attention = (f'<p class="attention">{escape(for_student(result.attention, result))}</p>' if result.attention
                 else "")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(result.assignment)}: feedback for {who}</title>
<style>{STYLE}</style></head>
<body><main>
<h1>{escape(result.assignment)}: feedback for {who}</h1>
{score_lines(result, standing)}
{attention}
<table>
<tr><th>Function</th><th>Score</th><th>Result</th><th>What the grader found</th></tr>
{rows}
</table>
<p class="note">Each function was graded on its own, with correct versions of the functions it calls.
The grader also ran your functions on inputs you have not seen; a message that mentions a hidden test
names the shapes it used. Anything your code printed is not shown here.</p>
</main></body></html>
"""


def write(out_dir: Path, result: StudentResult, standing: Standing = Standing()) -> Path:
    """The instructor's copy: OUT/feedback/<student_id>.html."""
    path = Path(out_dir) / "feedback" / f"{result.student_id}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(result, standing), encoding="utf-8")
    return path


def page_names(result):
    """The notebook names the student's exchange submission holds, each of which nbgrader's fetch_feedback
    looks up: the assignment's notebook, and, when it is missing, the notebooks submitted in its place
    (so that a student who renamed it learns why it scored nothing)."""
    expected = Path(NOTEBOOKS[result.assignment]).stem
    folder = Path(result.folder)
    if (folder / NOTEBOOKS[result.assignment]).is_file():
        return [expected]
    return [expected] + sorted(path.stem for path in folder.glob("*.ipynb") if path.stem != expected)


def deliver(course: Course, result: StudentResult, standing: Standing = Standing()) -> Path | None:
    """Write the page as the notebook's feedback in the course's feedback folder,
    feedback/<student_id>/<assignment>/<notebook>.html, beside the submission's timestamp.txt and
    submission_secret.txt, where `nbgrader release_feedback` takes it from; return that folder.

    Returns None for a submission that did not come through nbgrader's exchange (no secret to name the
    page by, and no student's copy to match it to). Raises SubmissionChanged when the submitted files are
    no longer those graded, NotDelivered when the files nbgrader submit wrote are not plain files (a link to the
    instructor's notebook as the secret would release that notebook). Any other page in the folder (nbgrader's generate_feedback's) is removed, so
    release_feedback releases the kit's page only.
    """
    folder = Path(result.folder) if result.folder else None
    if folder is None or not all(os.path.lexists(folder / name) for name in IDENTITY):
        return None
    if fingerprint(folder) != result.fingerprint:
        raise SubmissionChanged(f"{folder}: changed since it was graded; grade it again before releasing feedback "
                                f"(python -m autograder grade ... --assignment {result.assignment})")
    try:  # the student made these files: a link to the instructor's notebook must not be copied through
        identity = {name: read_regular(folder / name, MAX_IDENTITY_BYTES) for name in IDENTITY}
    except NotRegular as error:
        raise NotDelivered(f"{error}: not what nbgrader submit writes, so no page was delivered; send this "
                           f"student the page in grades/{result.assignment}/feedback/ yourself") from None
    coursedir = CourseDirectory(config=course.config)
    target = Path(coursedir.format_path(coursedir.feedback_directory, result.student_id, result.assignment))
    target.mkdir(parents=True, exist_ok=True)
    for stale in target.glob("*.html"):
        stale.unlink()
    for name, data in identity.items():
        (target / name).write_bytes(data)
    names = page_names(result)
    pages = {name: render(result, standing) for name in names}
    # fetch_feedback looks for a page of every notebook submitted: the ungraded companion gets a short one
    pages.update({stem: companion_page(stem, result, names[0]) for stem in _submitted_stems(folder)
                  if stem not in pages})
    for name, page in pages.items():
        path = target / f"{name}.html"
        path.write_text(page, encoding="utf-8")
        # release_feedback copies the mode too: whatever the instructor's umask, the student must be able to read
        # it (the permissions nbgrader's generate_feedback gives its pages).
        path.chmod(0o664 if coursedir.groupshared else 0o644)
    return target


def _submitted_stems(folder):
    return sorted(path.stem for path in folder.glob("*.ipynb") if not path.is_symlink() and path.is_file())


def companion_page(stem, result, graded):
    """The page of a notebook of the submission that is not graded (gradient_checking.ipynb)."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(result.assignment)}: {escape(stem)}</title>
<style>{STYLE}</style></head>
<body><main><h1>{escape(result.assignment)}: {escape(stem)}</h1>
<p>This notebook is not graded. Your grades are on the page of {escape(graded)}, beside this one.</p>
</main></body></html>
"""


def lateness(known: Standing) -> str:
    """How late a submission was and what the late policy took off, for the instructor; "" when on time."""
    if not known.seconds_late:
        return ""
    taken = f"the late policy took off {known.penalty:g} points" if known.penalty else "no points taken off"
    return f"{_duration(known.seconds_late)} after the due date ({known.duedate}); {taken}"


def publish(out_dir: Path, course: Course, result: StudentResult) -> Path | None:
    """Both copies of a student's page, with what the gradebook knows of them; return deliver's folder. The
    result learns how late the submission was (StudentResult.late)."""
    known = standing(course.db_url, result.assignment, result.student_id)
    result.late = lateness(known)
    write(out_dir, result, known)
    return deliver(course, result, known)
