"""Hostile submissions (issue 20, "Fuzz the reader"): whatever a student puts in the submission folder, the grade
command grades the rest of the class and says what is wrong, in one piece.

Every test runs the real command line, `python -m autograder grade`, in a subprocess (sandboxed, two workers), on a
class of mutated submissions and one valid one, and asks of it what the README promises:

- it exits 0 or 1 (never 2, never a hang), and prints no Python traceback and no control character but newlines;
- the valid student scores 100 / 100 with nothing to attend to;
- grades.csv has one row per student per function and totals.csv one row per student, both valid UTF-8 with no
  control character in any field but newlines;
- report.html and each student's feedback page exist, and no page a student gets holds the hidden tests.

Hypothesis mutates the notebook's JSON (the types of its fields, huge and deeply nested values, odd strings), its
bytes (invalid UTF-8, truncation, an empty file) and the files beside it (timestamp.txt, submission_secret.txt,
links, FIFOs, a deep folder, odd file names); the known findings also have a deterministic case each.
"""
import csv
import io
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from autograder.generators import sample_class
from autograder.grading.results import GRADE_COLUMNS, TOTAL_COLUMNS
from autograder.hidden.step_by_step import HIDDEN_CALLS
from autograder.paths import NOTEBOOKS, RELEASE, ROOT

pytestmark = pytest.mark.kernels  # real Jupyter kernels: left out of make test-fast

ASSIGNMENT = "step_by_step"
NOTEBOOK = NOTEBOOKS[ASSIGNMENT]
FUNCTIONS = list(HIDDEN_CALLS)
VALID_STUDENT = "valid_student"
HIDDEN_TESTS_MARK = b"BEGIN HIDDEN TESTS"  # in the instructor's notebook only
COLLECTED_TIMESTAMP = "2026-12-01 09:00:00.000000 UTC"
COMMAND_TIMEOUT = 120  # seconds: a hang fails the test instead of stalling CI
COMMAND_MEMORY = 4 * 1024 ** 3  # bytes of address space: reading /dev/zero fails instead of exhausting the machine

_RELEASED = json.loads((RELEASE / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8"))
CELL_COUNT = len(_RELEASED["cells"])
GRADED_CELLS = [index for index, cell in enumerate(_RELEASED["cells"])
                if cell["metadata"].get("nbgrader", {}).get("grade_id")]


# What the mutations are made of.

ODD_PIECES = ["\ud800", "\udfff", "\x00", "\x1b]0;title\x07", "\x1b[2J", "\x1b[31m", "\u202e", "\u2066", "\r", "\x07",
              "\x7f", "\x85", "\u2028", "\ufeff", "\x08", "é", "x", " ", "\n", "\\", '"', "4"]
ODD_NAME_PIECES = [b"\n", b"\x1b", b"\x1b[2J", b"\x1b]0;title\x07", b"\r", b"\x07", b"\xff", b"\xed\xa0\x80",
                   "\u202e".encode(), b"notes", b" ", b".ipynb"]
INVALID_UTF8 = [b"\xff", b"\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\x80", b"\xe2\x82"]
DELETE = "@@delete@@"
HUGE_INTEGER = re.compile(r'"@@(huge|deep_list|deep_object):(\d+)@@"')


def _huge(kind, size):
    """A JSON value the marker stands for: an integer of `size` digits, lists or objects nested `size` deep."""
    if kind == "huge":
        return "1" + "7" * (size - 1)
    if kind == "deep_list":
        return "[" * size + "]" * size
    return '{"a":' * size + "1" + "}" * size


odd_strings = st.lists(st.sampled_from(ODD_PIECES), min_size=1, max_size=6).map("".join)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-2 ** 70, 2 ** 70), st.floats(), odd_strings,
                    st.text(max_size=12))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=6) | odd_strings, inner, max_size=3), max_leaves=6)
huge_values = st.one_of(st.integers(4301, 6000).map(lambda size: f"@@huge:{size}@@"),
                        st.integers(1000, 3000).map(lambda size: f"@@deep_list:{size}@@"),
                        st.integers(1000, 3000).map(lambda size: f"@@deep_object:{size}@@"))
field_values = st.one_of(json_values, huge_values, st.just(DELETE),
                         st.sampled_from([4, 5, "4", 4.0, -1, 2 ** 63, [], {}, "", [4], {"nbformat": 4}]))
locations = st.one_of(
    st.sampled_from(["nbformat", "nbformat_minor", "cells", "metadata"]).map(lambda key: (key,)),
    st.tuples(st.just("cells"), st.integers(0, CELL_COUNT - 1),
              st.sampled_from(["cell_type", "source", "outputs", "metadata", "id", "execution_count",
                               "attachments"])),
    st.tuples(st.just("cells"), st.sampled_from(GRADED_CELLS), st.just("metadata"), st.just("nbgrader"),
              st.sampled_from(["grade_id", "points", "grade", "solution", "locked", "schema_version"])),
    st.sampled_from([("metadata", "kernelspec"), ("metadata", "kernelspec", "name"),
                     ("metadata", "language_info", "name"), ("metadata", "nbgrader")]),
)

json_edits = st.tuples(st.just("json"), st.lists(st.tuples(locations, field_values), min_size=1, max_size=3)
                       .map(tuple), st.booleans())
byte_edits = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0, 1, exclude_max=True)),
    st.tuples(st.just("invalid_utf8"), st.floats(0, 1), st.sampled_from(INVALID_UTF8)),
    st.just(("empty",)),
    st.tuples(st.just("bytes"), st.binary(max_size=64)),
)
odd_names = st.lists(st.sampled_from(ODD_NAME_PIECES), min_size=1, max_size=4).map(b"".join) \
    .filter(lambda name: name not in (b".", b".."))
beside_edits = st.one_of(
    st.tuples(st.just("timestamp"), st.binary(max_size=40)
              | odd_strings.map(lambda text: text.encode("utf-8", "surrogatepass"))),
    st.just(("timestamp_link", "/dev/zero")),
    st.just(("timestamp_fifo",)),
    st.just(("secret_link_to_instructor_notebook",)),
    st.tuples(st.just("notebook_link"), st.sampled_from(["instructor notebook", "/dev/zero", "outside"])),
    st.just(("notebook_fifo",)),
    st.tuples(st.just("deep_folder"), st.integers(1000, 1200)),
    st.tuples(st.just("odd_file"), odd_names, st.booleans()),
)


def _students(mutations, least, most):
    """Lists of (collected by nbgrader: timestamp.txt and submission_secret.txt beside the notebook, mutation)."""
    return st.lists(st.tuples(st.booleans(), mutations), min_size=least, max_size=most)


# Each class mixes the three kinds of mutation: a few examples cover them all.
classes = st.tuples(_students(json_edits, 2, 3), _students(byte_edits, 1, 2), _students(beside_edits, 2, 3)) \
    .map(lambda kinds: [student for kind in kinds for student in kind])


# Making a class.

def _set_at(notebook, path, value):
    """Set (or delete) the field at `path`; nothing, when an earlier edit took away what holds it."""
    *parents, last = path
    holder = notebook
    for key in parents:
        if not isinstance(holder, (dict, list)) or (isinstance(holder, list) and not isinstance(key, int)):
            return
        try:
            holder = holder[key]
        except (KeyError, IndexError):
            return
    if isinstance(holder, list) and not isinstance(last, int) or not isinstance(holder, (dict, list)):
        return
    if value == DELETE:
        holder.pop(last, None)
    else:
        holder[last] = value


def _notebook_bytes(perfect, edits, ascii_only):
    notebook = json.loads(json.dumps(perfect))
    for path, value in edits:
        _set_at(notebook, path, value)
    text = HUGE_INTEGER.sub(lambda match: _huge(match[1], int(match[2])),
                            json.dumps(notebook, indent=1, ensure_ascii=ascii_only))
    return text.encode("utf-8", "surrogatepass")  # a lone surrogate unescaped is invalid UTF-8, as it should be


def _deep_folder(folder, depth):
    """folder/d/d/.../d, `depth` levels, made relative to each level (no path grows too long to name)."""
    parent = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=parent)
            child = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=parent)
            os.close(parent)
            parent = child
        with open(os.open("notes.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=parent), "w") as handle:
            handle.write("deep down\n")
    finally:
        os.close(parent)


def _apply(folder, mutation, perfect, course_root):
    """Mutate the perfect submission in `folder` as `mutation` says."""
    notebook = folder / NOTEBOOK
    kind, *arguments = mutation
    original = notebook.read_bytes()
    if kind == "json":
        notebook.write_bytes(_notebook_bytes(perfect, *arguments))
    elif kind == "truncate":
        notebook.write_bytes(original[:int(len(original) * arguments[0])])
    elif kind == "invalid_utf8":
        where = int(len(original) * arguments[0])
        notebook.write_bytes(original[:where] + arguments[1] + original[where:])
    elif kind == "empty":
        notebook.write_bytes(b"")
    elif kind == "bytes":
        notebook.write_bytes(arguments[0])
    elif kind == "timestamp":
        (folder / "timestamp.txt").write_bytes(arguments[0])
    elif kind == "timestamp_link":
        (folder / "timestamp.txt").unlink(missing_ok=True)
        (folder / "timestamp.txt").symlink_to(arguments[0])
    elif kind == "timestamp_fifo":
        (folder / "timestamp.txt").unlink(missing_ok=True)
        os.mkfifo(folder / "timestamp.txt")
    elif kind == "secret_link_to_instructor_notebook":
        (folder / "submission_secret.txt").unlink(missing_ok=True)
        (folder / "submission_secret.txt").symlink_to(course_root / "source" / ASSIGNMENT / NOTEBOOK)
        if not (folder / "timestamp.txt").exists():
            (folder / "timestamp.txt").write_text(COLLECTED_TIMESTAMP)
    elif kind == "notebook_link":
        targets = {"instructor notebook": course_root / "source" / ASSIGNMENT / NOTEBOOK, "/dev/zero": "/dev/zero",
                   "outside": folder.parent.parent.parent / "outside.ipynb"}
        notebook.rename(folder.parent.parent.parent / "outside.ipynb")
        notebook.symlink_to(targets[arguments[0]])
    elif kind == "notebook_fifo":
        notebook.unlink()
        os.mkfifo(notebook)
    elif kind == "deep_folder":
        _deep_folder(folder, arguments[0])
    elif kind == "odd_file":
        name, instead_of_notebook = arguments
        with open(os.path.join(os.fsencode(folder), name), "wb") as handle:
            handle.write(original if instead_of_notebook else b"a student's notes\n")
        if instead_of_notebook:
            notebook.unlink()
    else:
        raise ValueError(f"unknown mutation {mutation!r}")


def _own_course(session_course, root):
    """A course of its own, copied from the session's released one: this test's gradebook and autograded/."""
    root.mkdir(parents=True)
    for folder in ("source", "release"):
        shutil.copytree(session_course.root / folder, root / folder)
    shutil.copy2(session_course.root / "nbgrader_config.py", root)
    return root


def _build_class(session_course, root, mutated):
    """root/course, and root/submitted/ with one student per (student id, (collected, mutation)) of `mutated` and
    the valid student; return (course root, submitted folder)."""
    course_root = _own_course(session_course, root / "course")
    submitted = root / "submitted"
    perfect = sample_class.notebooks(session_course.release_notebook(ASSIGNMENT))["ada_perfect"]
    for student, (collected, mutation) in [*mutated.items(), (VALID_STUDENT, (False, None))]:
        folder = submitted / student / ASSIGNMENT
        shutil.copytree(course_root / "release" / ASSIGNMENT, folder, ignore=shutil.ignore_patterns("__pycache__"))
        (folder / NOTEBOOK).write_text(json.dumps(perfect, indent=1), encoding="utf-8")
        if collected:
            (folder / "timestamp.txt").write_text(COLLECTED_TIMESTAMP)
            (folder / "submission_secret.txt").write_text("0123456789abcdef")
        if mutation:
            _apply(folder, mutation, perfect, course_root)
    return course_root, submitted


# Grading it, and what must hold.

@dataclass
class Run:
    status: int | None  # None: killed after COMMAND_TIMEOUT
    stdout: bytes
    stderr: bytes


def _bounded_memory():
    resource.setrlimit(resource.RLIMIT_AS, (COMMAND_MEMORY, COMMAND_MEMORY))


def _grade(course_root, submitted, out, timeout=COMMAND_TIMEOUT):
    command = [sys.executable, "-m", "autograder", "grade", str(submitted), "--assignment", ASSIGNMENT,
               "--out", str(out), "--course", str(course_root), "--workers", "2"]
    process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, start_new_session=True, preexec_fn=_bounded_memory)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
        status = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        try:
            stdout, stderr = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:  # something outside the group holds the pipes: give up on the output
            stdout, stderr = b"", b"(output lost)"
        status = None
    finally:
        try:  # whatever the command left behind in its own process group (its workers, their sandboxes)
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return Run(status, stdout, stderr)


def _control_characters(text):
    """The control characters in `text` other than newlines, as their escapes."""
    return sorted({repr(char) for char in text if char != "\n" and unicodedata.category(char) == "Cc"})


def _last_lines(data, count=6):
    return " | ".join(data.decode("utf-8", "backslashreplace").strip().splitlines()[-count:])


def _printed_problems(run):
    problems = []
    if run.status is None:
        problems.append(f"the command was still running after {COMMAND_TIMEOUT} s and was killed; "
                        f"it had printed: {_last_lines(run.stderr)}")
    elif run.status not in (0, 1):
        problems.append(f"exit status {run.status}: {_last_lines(run.stderr)}")
    for name, data in (("stdout", run.stdout), ("stderr", run.stderr)):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(f"{name} is not valid UTF-8 ({error})")
            text = data.decode("utf-8", "replace")
        if "Traceback (most recent call last)" in text:
            problems.append(f"a traceback on {name} (exit status {run.status}): {_last_lines(data)}")
        if _control_characters(text):
            problems.append(f"control characters on {name}: {', '.join(_control_characters(text))}")
    return problems


def _table(path, columns):
    """(rows as dicts, or None when it cannot be read, problems) of a CSV table the command wrote."""
    if not path.is_file():
        return None, [f"{path.name} was not written"]
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        return None, [f"{path.name} is not valid UTF-8 ({error})"]
    records = list(csv.reader(io.StringIO(text, newline="")))
    problems = []
    if not records or tuple(records[0]) != columns:
        problems.append(f"{path.name}'s header is {records[:1]}")
    problems += [f"{path.name} has a row of {len(record)} fields, not {len(columns)}: {record}"
                 for record in records[1:] if len(record) != len(columns)]
    garbled = [(record[0], value) for record in records[1:] for value in record if _control_characters(value)]
    if garbled:
        student, value = garbled[0]
        problems.append(f"{path.name}: {len(garbled)} field(s) with control characters, the first "
                        f"{', '.join(_control_characters(value))} in {student!r}'s {value!r}")
    return [dict(zip(columns, record)) for record in records[1:]], problems


def _student_pages(out, course_root):
    """Every file a student gets: the feedback pages of OUT/feedback/ and what the course's feedback/ holds."""
    return [path for folder in (out / "feedback", course_root / "feedback") if folder.is_dir()
            for path in folder.rglob("*") if path.is_file() and not path.is_symlink()]


def _keeps_the_notebook(mutation):
    """Whether `mutation` leaves the perfect notebook as it was (it changes only what lies beside it)."""
    kind, *arguments = mutation
    return kind in {"timestamp", "timestamp_link", "timestamp_fifo", "secret_link_to_instructor_notebook",
                    "deep_folder"} or (kind == "odd_file" and not arguments[1])


def class_problems(run, course_root, submitted, out, intact=()):
    """Everything the command got wrong on this class, one line each (none: all is well); `intact` are the
    students whose notebook is the perfect one, whatever lies beside it: their files cost them no points."""
    problems = _printed_problems(run)
    expected_students = sorted(path.name for path in submitted.iterdir())
    grades, grade_problems = _table(out / "grades.csv", GRADE_COLUMNS)
    totals, total_problems = _table(out / "totals.csv", TOTAL_COLUMNS)
    problems += grade_problems + total_problems
    if grades is not None:
        keys = sorted((row.get("student_id"), row.get("function")) for row in grades)
        expected = sorted((student, function) for student in expected_students for function in FUNCTIONS)
        if keys != expected:
            missing, unexpected = sorted(set(expected) - set(keys)), sorted(set(keys) - set(expected))
            problems.append(f"grades.csv's rows are not one per student per function: missing {missing[:6]}, "
                            f"unexpected {unexpected[:6]}")
    if totals is not None:
        if sorted(row.get("student_id") for row in totals) != expected_students:
            problems.append(f"totals.csv's students are {sorted(row.get('student_id') for row in totals)}, "
                            f"not {expected_students}")
        valid = [tuple(row.get(column) for column in ("score", "max_score", "passed", "needs_attention"))
                 for row in totals if row.get("student_id") == VALID_STUDENT]
        if valid != [("100", "100", f"{len(FUNCTIONS)}/{len(FUNCTIONS)}", "")]:
            problems.append(f"the valid student's totals.csv row is {valid}, not 100 / 100 with nothing to attend to")
        for row in totals:
            if row.get("student_id") in intact and (row.get("score"), row.get("max_score")) != ("100", "100"):
                problems.append(f"{row['student_id']}'s notebook is the perfect one, yet it scored {row.get('score')} "
                                f"/ {row.get('max_score')}: {row.get('needs_attention')}")
    if not (out / "report.html").is_file():
        problems.append("report.html was not written")
    missing_pages = [student for student in expected_students if not (out / "feedback" / f"{student}.html").is_file()]
    if missing_pages:
        problems.append(f"no feedback page for {missing_pages}")
    leaked = [str(path) for path in _student_pages(out, course_root) if HIDDEN_TESTS_MARK in path.read_bytes()]
    if leaked:
        problems.append(f"the hidden tests reached what students get: {leaked}")
    return problems


def _remove(folder):
    """rm -rf: shutil.rmtree recurses, and gives up on a folder 1,100 levels deep."""
    subprocess.run(["rm", "-rf", "--", str(folder)], check=True)


def grade_class(session_course, root, mutated):
    """Grade the valid student and the `mutated` ones in a course of their own under `root`; return the problems."""
    try:
        course_root, submitted = _build_class(session_course, root, mutated)
        out = root / "grades"
        run = _grade(course_root, submitted, out)
        intact = {student for student, (_, mutation) in mutated.items() if _keeps_the_notebook(mutation)}
        return class_problems(run, course_root, submitted, out, intact)
    finally:
        _remove(root)


# The property: a class of mutated submissions, and one valid one.

@settings(max_examples=6, deadline=None, derandomize=True, database=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
          print_blob=False)
@given(mutations=classes)
def test_mutated_submissions_never_stop_the_class_or_garble_the_tables(course, tmp_path_factory, mutations):
    root = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp(), prefix="fuzz-"))
    mutated = {f"student_{index}_{mutation[0]}": (collected, mutation)
               for index, (collected, mutation) in enumerate(mutations)}
    problems = grade_class(course, root, mutated)
    assert not problems, "\n".join(problems)


# The known findings, one class each: the mutated student and the valid one.

KNOWN_FINDINGS = [
    pytest.param(False, ("json", ((("nbformat",), "\ud800"),), True), id="lone-surrogate-in-nbformat"),
    pytest.param(False, ("json", ((("nbformat_minor",), "@@huge:5000@@"),), True), id="5000-digit-integer"),
    pytest.param(True, ("timestamp", b"the night before the deadline, honest"), id="timestamp-not-a-date"),
    pytest.param(False, ("deep_folder", 1100), id="folder-1100-levels-deep"),
    pytest.param(True, ("timestamp_link", "/dev/zero"), id="timestamp-links-to-dev-zero"),
    pytest.param(False, ("json", ((("nbformat",), "\x1b]0;title\x07\x1b[2J"),), True),
                 id="terminal-escapes-in-nbformat"),
    pytest.param(True, ("timestamp_fifo",), id="timestamp-is-a-fifo"),
    pytest.param(True, ("secret_link_to_instructor_notebook",), id="secret-links-to-instructor-notebook"),
    pytest.param(False, ("notebook_fifo",), id="notebook-is-a-fifo"),
    pytest.param(False, ("odd_file", b"\x1b[2J\x1b]0;title\x07\nmy_copy.ipynb", True),
                 id="renamed-notebook-with-escapes-in-its-name"),
    pytest.param(False, ("json", ((("nbformat",), "@@deep_list:1100@@"),), True), id="lists-1100-deep"),
    pytest.param(False, ("invalid_utf8", 0.5, b"\xff"), id="invalid-utf8"),
]


@pytest.mark.parametrize("collected, mutation", KNOWN_FINDINGS)
def test_a_known_hostile_submission_is_reported_and_the_rest_of_the_class_graded(course, tmp_path, collected,
                                                                                 mutation):
    problems = grade_class(course, tmp_path / "class", {f"hostile_{mutation[0]}": (collected, mutation)})
    assert not problems, "\n".join(problems)
