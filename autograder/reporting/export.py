"""Grades to the LMS: `python -m autograder export --assignment ID [--canvas GRADEBOOK.csv]`.

The scores come from nbgrader's gradebook, as `nbgrader export` computes them: the points of every
graded cell less nbgrader's late penalty, never below zero; a student in the gradebook who submitted
nothing scores zero. Two files come out:

- scores.csv: student_id, assignment, score, max_score, one row per student of the course;
- with --canvas, a copy of the gradebook CSV the instructor downloaded from Canvas with the
  assignment's column filled in, ready to import back into Canvas. Only that column's cells in the
  rows of students the course knows change; every other byte of the file stays as Canvas wrote it.

Canvas's export has a header row ("Student", "ID", "SIS User ID", "SIS Login ID", sometimes
"Integration ID", "Section", then a column per assignment named "<name> (<Canvas id>)", then
read-only totals), a "Points Possible" row and sometimes a "Manual Posting" or "Muted" row. A row
with a Canvas ID is a student's; every other row is kept as it is. Students are matched by the id
the course uses, nbgrader's student id, against "SIS Login ID" (default) or "SIS User ID", or by
the gradebook's lms_user_id against Canvas's "ID".
"""
import csv
import re
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry


SCORE_COLUMNS = ("student_id", "assignment", "score", "max_score")

# --match: {choice: (the Canvas column holding the key, the gradebook Student's attribute it equals)}
MATCHES = {
    "sis-login-id": ("SIS Login ID", "id"),
    "sis-user-id": ("SIS User ID", "id"),
    "lms-user-id": ("ID", "lms_user_id"),
}
REQUIRED = ("Student", "ID")


class ExportError(Exception):
    """The export cannot be made; the message names the file and the problem."""


@dataclass(frozen=True)
class Score:
    student_id: str
    key: str  # what --match compares with the Canvas column (the student id, or the LMS user id)
    score: float
    max_score: float


@dataclass(frozen=True)
class Report:
    filled: int  # Canvas rows that received a score
    unknown: list  # one line per Canvas student the course does not know
    missing: list  # one line per course student the Canvas file lacks
    warnings: list  # anything else the instructor should check before importing


def class_scores(db_url, assignment, match="sis-login-id"):
    """[Score] of every student in the gradebook, sorted by student id."""
    attribute = MATCHES[match][1]
    with Gradebook(db_url) as gradebook:
        try:
            max_score = gradebook.find_assignment(assignment).max_score
        except MissingEntry:
            raise ExportError(f"{_db_name(db_url)}: the gradebook has no assignment {assignment}; release and grade "
                              f"it first") from None
        scores = []
        for student in sorted(gradebook.students, key=lambda student: student.id):
            try:
                submission = gradebook.find_submission(assignment, student.id)
                score = max(0.0, submission.score - (submission.late_submission_penalty or 0.0))
            except MissingEntry:
                score = 0.0
            scores.append(Score(student.id, getattr(student, attribute) or "", score, max_score))
    return scores


def _db_name(db_url):
    return db_url.removeprefix("sqlite:///")


def write_scores(path, assignment, scores):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(SCORE_COLUMNS)
        for score in scores:
            writer.writerow((score.student_id, assignment, f"{score.score:g}", f"{score.max_score:g}"))
    return path


# A CSV record as it was written: its fields' raw text (quotes included) and the line ending after it.
@dataclass
class _Record:
    fields: list
    ending: str


def _records(text):
    """Split CSV text into records without re-quoting anything, so that they join back to the same text."""
    records, fields, field, quoted = [], [], [], False
    index = 0
    while index < len(text):
        char = text[index]
        if char == '"':
            quoted = not quoted  # an escaped quote ("") toggles twice
            field.append(char)
        elif quoted or char not in ',\r\n':
            field.append(char)
        elif char == ",":
            fields.append("".join(field))
            field = []
        else:
            ending = "\r\n" if text.startswith("\r\n", index) else char
            fields.append("".join(field))
            records.append(_Record(fields, ending))
            fields, field = [], []
            index += len(ending)
            continue
        index += 1
    if field or fields:
        fields.append("".join(field))
        records.append(_Record(fields, ""))
    return records, quoted


def _value(raw):
    if len(raw) >= 2 and raw.startswith('"') and raw.endswith('"'):
        return raw[1:-1].replace('""', '"')
    return raw


def _number(text):
    try:
        return float(text)
    except ValueError:
        return None


def _assignment_column(path, header, assignment, column):
    """The index of the assignment's column: "<column>" exactly, or "<column> (<Canvas id>)"."""
    wanted = column or assignment
    pattern = re.compile(rf"{re.escape(wanted)} \(\d+\)")
    found = [index for index, name in enumerate(header) if name == wanted or pattern.fullmatch(name)]
    if len(found) == 1:
        return found[0]
    if found:
        names = ", ".join(repr(header[index]) for index in found)
        raise ExportError(f"{path}: {len(found)} columns could be {wanted} ({names}); name one with --column")
    start = header.index("Section") + 1 if "Section" in header else len(REQUIRED)
    assignments = [name for name in header[start:] if re.fullmatch(r".* \(\d+\)", name)]
    listed = f"; its assignment columns are {', '.join(map(repr, assignments))}" if assignments else \
        "; it has no assignment columns"
    raise ExportError(f"{path}: no column for {wanted} (a header like '{wanted} (12345)'){listed}: create the "
                      f"assignment in Canvas and download the gradebook again, or name its column with --column")


def _read(path):
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ExportError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ExportError(f"{path}: a folder, not a Canvas gradebook CSV file") from None
    except OSError as error:
        raise ExportError(f"{path}: cannot be read ({error.strerror})") from None
    bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExportError(f"{path}: not a Canvas gradebook CSV file (not UTF-8 text)") from None
    records, unbalanced = _records(text)
    if unbalanced:
        raise ExportError(f"{path}: not a Canvas gradebook CSV file (a quoted field never ends)")
    header = [_value(raw).strip() for raw in records[0].fields] if records else []
    absent = [name for name in REQUIRED if name not in header]
    if absent:
        raise ExportError(f"{path}: not a Canvas gradebook CSV file (its first row has no "
                          f"{' or '.join(repr(name) for name in absent)} column); download it from Canvas's "
                          f"Grades page with Export > Export Entire Gradebook")
    return bom, records, header


def fill_canvas(source, target, assignment, scores, match="sis-login-id", column=None):
    """Write `target`: the Canvas CSV `source` with the assignment's column filled from `scores`; return a Report."""
    bom, records, header = _read(source)
    key_column = MATCHES[match][0]
    if key_column not in header:
        raise ExportError(f"{source}: no {key_column!r} column to match students by (--match {match}); its columns "
                          f"are {', '.join(map(repr, header[:6]))}, ...")
    index = _assignment_column(source, header, assignment, column)
    key_index, id_index, name_index = header.index(key_column), header.index("ID"), header.index("Student")
    by_key = {score.key: score for score in scores if score.key}
    filled, seen, unknown, warnings = 0, set(), [], []
    max_scores = {score.max_score for score in scores}
    for number, record in enumerate(records[1:], start=2):
        values = [_value(raw) for raw in record.fields]
        if len(values) <= index or len(values) != len(header):
            if any(value.strip() for value in values):
                warnings.append(f"{source}: row {number} has {len(values)} fields, the header {len(header)}; "
                                f"left as it was")
            continue
        if values[name_index].strip() == "Points Possible":
            possible = _number(values[index])
            if possible is not None and max_scores and possible not in max_scores:
                ours = ", ".join(f"{points:g}" for points in sorted(max_scores))
                warnings.append(f"{source}: Canvas's {header[index]} is out of {values[index].strip()} points, "
                                f"the gradebook's {assignment} out of {ours}; the scores are written unscaled: "
                                f"change the points in Canvas, or they will not match")
            continue
        if not values[id_index].strip():  # "Points Possible", "Manual Posting", "Muted": not a student
            continue
        key = values[key_index].strip()
        score = by_key.get(key)
        if score is None:
            what = f"{key_column} {key!r}" if key else f"no {key_column}"
            unknown.append(f"{values[name_index].strip()} ({what}): not a student of the course's gradebook; "
                           f"left as it was")
            continue
        record.fields[index] = f"{score.score:g}"
        filled += 1
        seen.add(score.student_id)
    missing = [f"{score.student_id}: in the course's gradebook, not in {source} (no {key_column} "
               f"{score.key!r}); enter {score.score:g} / {score.max_score:g} in Canvas by hand"
               for score in scores if score.student_id not in seen]
    text = bom + "".join(",".join(record.fields) + record.ending for record in records)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode("utf-8"))
    return Report(filled, unknown, missing, warnings)


def export(assignment, out, course, canvas=None, match="sis-login-id", column=None):
    """Write OUT/scores.csv and, given a Canvas CSV, OUT/canvas.csv; return ([paths written], Report or None)."""
    db_url = course.db_url
    if db_url.startswith("sqlite:///") and not Path(_db_name(db_url)).is_file():
        raise ExportError(f"{_db_name(db_url)}: no such gradebook; grade the class first, or name the course with "
                          f"--course")
    scores = class_scores(db_url, assignment, match)
    written, report = [], None
    if canvas:  # first: a Canvas file that cannot be filled stops the export before anything is written
        written.append(Path(out) / "canvas.csv")
        report = fill_canvas(canvas, written[-1], assignment, scores, match, column)
    written.insert(0, write_scores(Path(out) / "scores.csv", assignment, scores))
    return written, report
