"""Read, from an autograded notebook, how each graded function did: a status and a one-line message.

status is one of passed, failed (a check found a wrong answer), error (the code raised), timeout
and missing (nothing to grade). The message is what the student sees in the feedback.
"""
import re
from dataclasses import dataclass

from nbgrader.utils import determine_grade

STATUSES = ("passed", "failed", "error", "timeout", "missing")
CHECK_FAILURES = ("AssertionError", "CheckFailed")
CROSS = "\u2718"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
MAX_MESSAGE = 300
KERNEL_DIED = "not run: the Python kernel died in an earlier cell (os._exit, a crash or out of memory)"


@dataclass
class Row:
    function: str
    score: float
    max_score: float
    status: str
    message: str


def one_line(text):
    """Text as a single line without terminal colours, cut to a readable length."""
    line = " ".join(ANSI.sub("", str(text)).split())
    return line if len(line) <= MAX_MESSAGE else line[:MAX_MESSAGE - 1] + "\u2026"


def rows_for_notebook(notebook, graded):
    """One Row per GradedCell in `graded`, read from the executed `notebook`."""
    cells = {}
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is not None:
            cells.setdefault(grade_id, cell)
    return [_row(cells.get(graded_cell.grade_id), graded_cell) for graded_cell in graded]


def rows_for_all(graded, status, message):
    """The same status and message for every function, with no points (a submission that did not run)."""
    return [Row(cell.function, 0.0, cell.points, status, one_line(message)) for cell in graded]


def _row(cell, graded_cell):
    if cell is None:
        return Row(graded_cell.function, 0.0, graded_cell.points, "missing", "the graded cell is missing")
    score, max_score = determine_grade(cell)
    score = float(score or 0.0)
    status, message = _status(cell, score, max_score)
    return Row(graded_cell.function, score, float(max_score), status, one_line(message))


def _status(cell, score, max_score):
    errors = [output for output in cell.get("outputs", []) if output.output_type == "error"]
    if any(error.ename == "CellTimeoutError" for error in errors):  # after the interrupt's KeyboardInterrupt
        return "timeout", "the cell did not finish within the time limit (an infinite loop?)"
    if errors:
        error = errors[0]
        if error.ename in CHECK_FAILURES:
            return "failed", _first_cross(cell) or error.evalue or error.ename
        if error.ename == "DeadKernelError":
            return "error", KERNEL_DIED
        if error.ename == "NotImplementedError":
            return "error", "not written yet: the function still raises NotImplementedError"
        return "error", f"{error.ename}: {error.evalue}"
    stderr = [output.text for output in cell.get("outputs", []) if output.output_type == "stream"
              and output.name == "stderr"]
    if stderr:
        return "failed", f"wrote to stderr (a warning?): {stderr[0].strip().splitlines()[0]}"
    if score >= max_score:
        return "passed", ""
    return "failed", f"partial credit: {score:g} of {max_score:g}"


def _first_cross(cell):
    for output in cell.get("outputs", []):
        if output.output_type == "stream" and output.name == "stdout":
            for line in output.text.splitlines():
                if CROSS in line:
                    return line.split(CROSS, 1)[1].strip()
    return None
