"""How each graded function did, from the grader's verdicts: a status and a one-line message.

The message is what the student sees in the feedback.
"""
import enum
import re
from dataclasses import dataclass

import nbformat

from .gradecells import tested_function_of

ANSI = re.compile(r"\x1b\[[0-9;]*m")
MAX_LINE = 300  # characters of a one-line message
KERNEL_DIED = "not run: the Python kernel died in an earlier cell (os._exit, a crash or out of memory)"
KERNEL_UNRESPONSIVE = "not run: the Python kernel stopped responding (a cell ran past the time limit and ignored the interrupt)"


class Status(enum.StrEnum):
    """A graded function's status; the text is what grades.csv and the pages show."""
    PASSED = "passed"
    FAILED = "failed"  # a check found a wrong answer
    ERROR = "error"  # the code raised, or could not be run
    TIMEOUT = "timeout"
    MISSING = "missing"  # nothing to grade


class KernelLost(enum.StrEnum):
    """Why a function was not graded at all: the kernel was gone before its turn."""
    DIED = "died while it ran"
    UNRESPONSIVE = "stopped responding"


@dataclass(frozen=True)
class Verdict:
    """The grader's verdict on one function."""
    status: Status
    message: str = ""
    kernel_lost: KernelLost = None  # set when the function was not graded because the kernel was lost
    mistake: str = ""  # the id of the catalogue mistake the message names (autograder/hidden/diagnosis.py)


@dataclass
class Row:
    function: str
    score: float
    max_score: float
    status: Status
    message: str
    mistake: str = ""  # the id of the catalogue mistake the message names, "" when none


def one_line(text) -> str:
    """Text as a single line without terminal colours, cut to a readable length."""
    line = " ".join(ANSI.sub("", str(text)).split())
    return line if len(line) <= MAX_LINE else line[:MAX_LINE - 1] + "\u2026"


def quoted(text, limit: int = 300) -> str:
    """What a student's code or notebook said, in quotes, so that it never reads as the grader's own words."""
    return repr(str(text)[:limit])


def rows_for_verdicts(verdicts: dict, graded: list) -> list[Row]:
    """One Row per GradedCell in `graded`, from the grader's {function: Verdict}."""
    rows = []
    for cell in graded:
        verdict = verdicts.get(cell.function, Verdict(Status.MISSING, "the function was not graded"))
        rows.append(Row(cell.function, cell.points if verdict.status == Status.PASSED else 0.0, cell.points,
                        verdict.status, one_line(verdict.message), verdict.mistake))
    return rows


def with_verdicts(notebook, verdicts: dict):
    """`notebook` with each graded test cell's outputs replaced by the grader's verdict on its function, as
    nbgrader scores outputs: nothing for a pass, an error for anything else. verdicts: {function: Verdict}.
    What the student's code printed in those cells never counts, nor shows beside the verdict."""
    for cell in notebook.cells:
        verdict = verdicts.get(tested_function_of(cell))
        if verdict is not None and cell.cell_type == "code":
            cell.outputs = [] if verdict.status == Status.PASSED else [nbformat.v4.new_output(
                "error", ename=f"Grader: {verdict.status}", evalue=verdict.message, traceback=[verdict.message])]
    return notebook


def rows_for_all(graded: list, status: Status, message: str) -> list[Row]:
    """The same status and message for every function, with no points (a submission that did not run)."""
    return [Row(cell.function, 0.0, cell.points, status, one_line(message)) for cell in graded]
