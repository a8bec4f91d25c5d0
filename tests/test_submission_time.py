"""A submission's time: the student's timestamp.txt read without ever following, blocking on or swallowing it, and
checked against when nbgrader's exchange saw the submission written (its files' ctime), with nbgrader's own
release_assignment, submit and collect in a real exchange folder."""
import csv
import datetime
import json
import os
import shutil
import threading

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange import ExchangeFactory
from nbgrader.utils import parse_utc

from autograder.course import Course, succeeded
from autograder.grading import submission_time as module
from autograder.grading.gradebook import gradebook, record_graded
from autograder.grading.gradecells import graded_cells
from autograder.grading.outcomes import Verdict, with_verdicts
from autograder.grading.submission_time import SubmissionTime, last_written, submission_time

ASSIGNMENT = "step_by_step"
NOTEBOOK = "Building_your_Deep_Neural_Network_Step_by_Step.ipynb"
COURSE_ID = "deep-nn-step-by-step"
STUDENT = "amara"
CLAIM = "2026-11-20 09:00:00.123456 UTC"  # as nbgrader submit writes it
BACKDATED = datetime.timedelta(days=2)


def within_seconds(seconds, call):
    """call()'s result, or a failed test if it has not returned after `seconds` (a blocked open of a FIFO)."""
    outcome = {}
    worker = threading.Thread(target=lambda: outcome.update(result=call()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"still running after {seconds} s: blocked"
    return outcome["result"]


def a_course(root, exchange):
    """A course folder with its own nbgrader configuration and the assignment's released files."""
    (root / "release" / ASSIGNMENT).mkdir(parents=True)
    (root / "release" / ASSIGNMENT / NOTEBOOK).write_text(json.dumps({"cells": [], "released": True}))
    (root / "nbgrader_config.py").write_text(f"c = get_config()  # noqa: F821\n"
                                             f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
                                             f"c.Exchange.root = {str(exchange)!r}\n")
    return Course.at(root)


def with_exchange(course, exchange):
    """`course`, its nbgrader_config.py pointing at `exchange`, which is made and released into."""
    exchange.mkdir()
    exchange.chmod(0o777)  # as nbgrader's documentation asks: every user writes into it
    with open(course.root / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write(f"\nc.Exchange.root = {str(exchange)!r}\n")
    course = Course.at(course.root)
    with gradebook(course.db_url):
        pass  # made now, stamped in this process, before nbgrader's own apps open it
    succeeded(course.api().release_assignment(ASSIGNMENT), "release_assignment")
    return course


def submit(course, home, notebook_text, student=STUDENT):
    """nbgrader submit of `notebook_text` as `student` from `home`; returns the folder it made in inbound/."""
    work = home / ASSIGNMENT
    work.mkdir(parents=True, exist_ok=True)
    (work / NOTEBOOK).write_text(notebook_text)
    config = course.configured(CourseDirectory={"student_id": student},
                               Exchange={"assignment_dir": str(home), "cache": str(home / ".cache")})
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = ASSIGNMENT
    inbound = module.inbound_folder(course)
    before = set(inbound.iterdir())
    ExchangeFactory(config=config).Submit(coursedir=coursedir, authenticator=Authenticator(config=config),
                                          config=config).start()
    (made,) = set(inbound.iterdir()) - before
    return made


def collect(course, student=STUDENT):
    """nbgrader collect, as the instructor runs it; returns the student's collected folder."""
    succeeded(course.api().collect(ASSIGNMENT), "collect")
    return course.root / "submitted" / student / ASSIGNMENT


def backdate(inbound_copy):
    """What a student can do after submitting: write an earlier time into their own inbound copy."""
    path = inbound_copy / "timestamp.txt"
    earlier = parse_utc(path.read_text()) - BACKDATED
    path.write_text(f"{earlier:%Y-%m-%d %H:%M:%S.%f} UTC")
    return earlier


# -- timestamp.txt as the student may leave it, without an exchange copy to check it against ------------------

def _valid(folder, outside):
    (folder / "timestamp.txt").write_text(CLAIM)


def _garbage(folder, outside):
    (folder / "timestamp.txt").write_text("yesterday\x1b[31m, \x00honest!\n")


def _link_to_dev_zero(folder, outside):
    (folder / "timestamp.txt").symlink_to("/dev/zero")


def _link_outside(folder, outside):
    (outside / "instructors_time.txt").write_text("2026-11-01 00:00:00 UTC")
    (folder / "timestamp.txt").symlink_to(outside / "instructors_time.txt")


def _fifo(folder, outside):
    os.mkfifo(folder / "timestamp.txt")


def _ten_megabytes(folder, outside):
    (folder / "timestamp.txt").write_bytes(CLAIM.encode().ljust(10 * 1024 * 1024))  # a date, then spaces


def _empty(folder, outside):
    (folder / "timestamp.txt").write_bytes(b"")


def _missing(folder, outside):
    pass


@pytest.mark.parametrize("make, timestamp, notice", [
    (_valid, datetime.datetime(2026, 11, 20, 9, 0, 0, 123456), ""),
    (_garbage, None, "timestamp.txt: not a date ('yesterday, honest!'): the submission time is unknown, so no late "
                     "penalty was computed"),
    (_link_to_dev_zero, None, "timestamp.txt: not read (a link): the submission time is unknown"),
    (_link_outside, None, "timestamp.txt: not read (a link): the submission time is unknown"),
    (_fifo, None, "timestamp.txt: not read (a FIFO): the submission time is unknown"),
    (_ten_megabytes, None, "timestamp.txt: not a date (10,485,760 bytes, more than the 256 allowed, not read): the "
                           "submission time is unknown"),
    (_empty, None, "timestamp.txt: empty: the submission time is unknown"),
    (_missing, None, ""),  # copied by hand, as the demo's class: no time, as nbgrader has none, and nothing to say
], ids=lambda value: value.__name__.strip("_") if callable(value) else "")
def test_a_timestamp_txt_never_raises_nor_blocks_and_says_what_is_wrong(tmp_path, make, timestamp, notice):
    course = a_course(tmp_path / "course", tmp_path / "no-exchange")
    folder = course.root / "submitted" / STUDENT / ASSIGNMENT
    folder.mkdir(parents=True)
    make(folder, tmp_path)
    found = within_seconds(10, lambda: submission_time(course, STUDENT, ASSIGNMENT, folder))
    assert found.timestamp == timestamp
    assert found.notice.startswith(notice) if notice else found.notice == ""
    assert "\n" not in found.notice and "\x1b" not in found.notice and "\x00" not in found.notice


# -- through nbgrader's exchange ----------------------------------------------------------------------------

@pytest.fixture
def exchange_course(tmp_path):
    """A course of its own (not the session's `course`), with an exchange it released the assignment into."""
    return with_exchange(a_course(tmp_path / "course", tmp_path / "exchange"), tmp_path / "exchange")


def test_an_honest_submission_keeps_the_time_it_claims(exchange_course, tmp_path):
    course = exchange_course
    inbound_copy = submit(course, tmp_path / "home", "{}")
    folder = collect(course)
    found = submission_time(course, STUDENT, ASSIGNMENT, folder)
    claimed = parse_utc((folder / "timestamp.txt").read_text())
    assert found == SubmissionTime(claimed, "", claimed, last_written(inbound_copy))


def test_a_claim_backdated_after_submitting_counts_from_when_the_exchange_saw_it_written(exchange_course, tmp_path):
    course = exchange_course
    inbound_copy = submit(course, tmp_path / "home", "{}")
    earlier = backdate(inbound_copy)
    found = submission_time(course, STUDENT, ASSIGNMENT, collect(course))
    written = last_written(inbound_copy)
    assert found.timestamp == written and found.timestamp - earlier > BACKDATED - datetime.timedelta(minutes=1)
    assert found.notice == (f"timestamp.txt claims {earlier:%Y-%m-%d %H:%M:%S} UTC, but the exchange's copy was "
                            f"written at {written:%Y-%m-%d %H:%M:%S} UTC: lateness counted from the latter")


def test_a_claim_that_is_not_a_date_counts_from_when_the_exchange_saw_it_written(exchange_course, tmp_path):
    course = exchange_course
    inbound_copy = submit(course, tmp_path / "home", "{}")
    (inbound_copy / "timestamp.txt").write_text("whenever")
    found = submission_time(course, STUDENT, ASSIGNMENT, collect(course))
    assert found.timestamp == last_written(inbound_copy)
    assert found.notice.startswith("timestamp.txt: not a date ('whenever'): lateness counted from when the "
                                   "exchange's copy was written")


def _dressed_as_the_first(course, home):
    """A student's two submissions, the second made to claim what the first did: (the first, the second)."""
    on_time = submit(course, home, '{"work": "unfinished"}')
    late = submit(course, home, '{"work": "finished after the due date"}')
    for name in ("timestamp.txt", "submission_secret.txt"):
        (late / name).write_bytes((on_time / name).read_bytes())
    return on_time, late


def test_a_late_submission_dressed_as_an_earlier_one_counts_from_its_own_writing(exchange_course, tmp_path,
                                                                                 monkeypatch):
    monkeypatch.setattr(module, "SLACK", datetime.timedelta(0))  # the two submissions are a moment apart here
    on_time, late = _dressed_as_the_first(exchange_course, tmp_path / "home")
    found = submission_time(exchange_course, STUDENT, ASSIGNMENT, collect(exchange_course))
    assert last_written(on_time) < last_written(late) == found.timestamp
    assert found.notice.startswith("timestamp.txt claims")


def test_a_dressed_late_submission_removed_after_collect_is_not_taken_for_the_earlier_one(exchange_course, tmp_path):
    on_time, late = _dressed_as_the_first(exchange_course, tmp_path / "home")
    folder = collect(exchange_course)
    shutil.rmtree(late)  # the student's own folder, which nbgrader makes writable to all
    found = submission_time(exchange_course, STUDENT, ASSIGNMENT, folder)
    assert (found.timestamp, found.written) == (parse_utc((on_time / "timestamp.txt").read_text()), None)
    assert "none of the student's 1 folder(s) in the exchange's" in found.notice


def test_a_collected_copy_that_no_exchange_folder_matches_keeps_its_claim_unconfirmed(exchange_course, tmp_path):
    course = exchange_course
    submit(course, tmp_path / "home", "{}")
    folder = collect(course)
    (folder / NOTEBOOK).write_text('{"edited": "after collect"}')
    found = submission_time(course, STUDENT, ASSIGNMENT, folder)
    assert found.timestamp == parse_utc((folder / "timestamp.txt").read_text())
    assert "none of the student's 1 folder(s) in the exchange's" in found.notice
    assert found.notice.endswith("which nothing confirms")


def test_another_students_submission_is_never_taken_for_this_ones(exchange_course, tmp_path):
    course = exchange_course
    submit(course, tmp_path / "bruno", "{}", student="bruno")
    folder = collect(course, student="bruno")
    ours = course.root / "submitted" / STUDENT / ASSIGNMENT
    ours.mkdir(parents=True)
    for name in os.listdir(folder):  # an exact copy of bruno's, put there as amara's
        (ours / name).write_bytes((folder / name).read_bytes())
    found = submission_time(course, STUDENT, ASSIGNMENT, ours)
    assert (found.written, found.notice) == (None, "")


# -- into the gradebook ---------------------------------------------------------------------------------------

def _graded_notebook(course):
    notebook = nbformat.read(course.release_notebook(ASSIGNMENT), as_version=4)
    cells = graded_cells(course.source_notebook(ASSIGNMENT))
    return with_verdicts(notebook, {cell.function: Verdict("passed", "a message") for cell in cells})


@pytest.mark.kernels  # the session's released course, and a PostgreSQL server
def test_the_gradebook_records_the_exchanges_time_of_a_backdated_submission(gradebook_course, tmp_path):
    course = with_exchange(gradebook_course, tmp_path / "exchange")
    home = tmp_path / "home"
    inbound_copy = submit(course, home, course.release_notebook(ASSIGNMENT).read_text())
    backdate(inbound_copy)
    recorded = record_graded(course, ASSIGNMENT, STUDENT, _graded_notebook(course), collect(course))
    with Gradebook(course.db_url) as book:
        assert book.find_submission(ASSIGNMENT, STUDENT).timestamp == last_written(inbound_copy)
    assert recorded.timestamp == last_written(inbound_copy) and "lateness counted from the latter" in recorded.notice


@pytest.mark.kernels  # the session's released course, and a PostgreSQL server
def test_recording_a_submission_whose_timestamp_is_not_a_date_records_no_time(gradebook_course, tmp_path):
    folder = tmp_path / "submitted" / STUDENT / ASSIGNMENT
    folder.mkdir(parents=True)
    (folder / "timestamp.txt").write_text("not a date")  # nbgrader's get_existing_timestamp: AttributeError
    recorded = record_graded(gradebook_course, ASSIGNMENT, STUDENT, _graded_notebook(gradebook_course), folder)
    with Gradebook(gradebook_course.db_url) as book:
        assert book.find_submission(ASSIGNMENT, STUDENT).timestamp is None
    assert recorded.notice.startswith("timestamp.txt: not a date ('not a date')")


@pytest.mark.kernels  # grades with real kernels, into SQLite (this process records) and PostgreSQL (the workers do)
def test_the_grade_command_records_the_exchanges_time_and_tells_the_instructor(gradebook_course, tmp_path):
    from autograder.__main__ import main
    from autograder.generators import sample_class
    course = with_exchange(gradebook_course, tmp_path / "exchange")
    perfect = sample_class.notebooks(json.loads(course.release_notebook(ASSIGNMENT).read_text()))["ada_perfect"]
    inbound_copy = submit(course, tmp_path / "home", json.dumps(perfect))
    backdate(inbound_copy)
    collect(course)
    out = tmp_path / "grades"
    assert main(["grade", str(course.root / "submitted"), "--assignment", ASSIGNMENT, "--out", str(out),
                 "--course", str(course.root), "--workers", "1"]) == 1
    with open(out / "totals.csv", encoding="utf-8") as handle:
        (totals,) = list(csv.DictReader(handle))
    assert float(totals["score"]) == 100 and "lateness counted from the latter" in totals["needs_attention"]
    with Gradebook(course.db_url) as book:
        assert book.find_submission(ASSIGNMENT, STUDENT).timestamp == last_written(inbound_copy)


@pytest.mark.kernels  # grades with real kernels
def test_lateness_is_in_the_grade_commands_summary_and_in_the_report(gradebook_course, tmp_path, capsys):
    from autograder.__main__ import main
    from autograder.generators import sample_class
    with Gradebook(gradebook_course.db_url) as book:
        book.update_or_create_assignment(ASSIGNMENT, duedate=datetime.datetime(2026, 11, 20, 12, 0))
    folder = tmp_path / "submitted" / STUDENT / ASSIGNMENT
    folder.mkdir(parents=True)
    perfect = sample_class.notebooks(json.loads(gradebook_course.release_notebook(ASSIGNMENT).read_text()))
    (folder / NOTEBOOK).write_text(json.dumps(perfect["ada_perfect"]))
    (folder / "timestamp.txt").write_text("2026-11-21 14:00:00.000000 UTC")
    out = tmp_path / "grades"
    capsys.readouterr()
    assert main(["grade", str(tmp_path / "submitted"), "--assignment", ASSIGNMENT, "--out", str(out),
                 "--course", str(gradebook_course.root), "--workers", "1"]) == 0
    said = "1 d 2 h after the due date (2026-11-20 12:00 UTC); no points taken off"
    printed = capsys.readouterr().out
    assert "1 late submission(s):" in printed and said in printed
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "<h2>Late submissions</h2>" in report and said in report
