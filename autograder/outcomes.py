"""How each graded function did, from the grader's verdicts: a status and a one-line message.

status is one of passed, failed (a check found a wrong answer), error (the code raised), timeout
and missing (nothing to grade). The message is what the student sees in the feedback.
"""
import re
from dataclasses import dataclass

import nbformat

from .gradecells import tested_function_of

STATUSES = ("passed", "failed", "error", "timeout", "missing")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
MAX_MESSAGE = 300
KERNEL_DIED = "not run: the Python kernel died in an earlier cell (os._exit, a crash or out of memory)"
KERNEL_UNRESPONSIVE = "not run: the Python kernel stopped responding (a cell ran past the time limit and ignored the interrupt)"


@dataclass
class Row:
    function: str
    score: float
    max_score: float
    status: str
    message: str
    mistake: str = ""  # the id of the catalogue mistake the message names, "" when none


def one_line(text):
    """Text as a single line without terminal colours, cut to a readable length."""
    line = " ".join(ANSI.sub("", str(text)).split())
    return line if len(line) <= MAX_MESSAGE else line[:MAX_MESSAGE - 1] + "\u2026"


def quoted(text, limit=300):
    """What a student's code or notebook said, in quotes, so that it never reads as the grader's own words."""
    return repr(str(text)[:limit])


def rows_for_verdicts(verdicts, graded):
    """One Row per GradedCell in `graded`, from the grader's {function: (status, message[, mistake id])}."""
    rows = []
    for cell in graded:
        status, message, *mistake = verdicts.get(cell.function, ("missing", "the function was not graded"))
        rows.append(Row(cell.function, cell.points if status == "passed" else 0.0, cell.points, status,
                        one_line(message), "".join(mistake[:1])))
    return rows


def with_verdicts(notebook, verdicts):
    """`notebook` with each graded test cell's outputs replaced by the grader's verdict on its function, as
    nbgrader scores outputs: nothing for a pass, an error for anything else. verdicts: {function: Verdict}.
    What the student's code printed in those cells never counts, nor shows beside the verdict."""
    for cell in notebook.cells:
        verdict = verdicts.get(tested_function_of(cell))
        if verdict is not None and cell.cell_type == "code":
            cell.outputs = [] if verdict.status == "passed" else [nbformat.v4.new_output(
                "error", ename=f"Grader: {verdict.status}", evalue=verdict.message, traceback=[verdict.message])]
    return notebook


def rows_for_all(graded, status, message):
    """The same status and message for every function, with no points (a submission that did not run)."""
    return [Row(cell.function, 0.0, cell.points, status, one_line(message)) for cell in graded]
