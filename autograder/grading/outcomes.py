"""How each graded function did, from the grader's verdicts: a status and a one-line message.

The message is what the student sees in the feedback.
"""
import enum
import re
from dataclasses import dataclass

import nbformat

from .gradecells import tested_function_of

# What a terminal acts on rather than prints: escape sequences (CSI, OSC up to its terminator, the short ones),
# C0 and C1 controls (\x9b starts a CSI on some terminals), and the bidi controls that reorder a line as shown.
ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -~]?|\x9b[0-?]*[ -/]*[@-~]?")
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
SURROGATES = re.compile("[\ud800-\udfff]")
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
    answer: str = ""  # a digest of the wrong answer on every test call (autograder/similarity/answers.py), "" if right


@dataclass
class Row:
    function: str
    score: float
    max_score: float
    status: Status
    message: str
    mistake: str = ""  # the id of the catalogue mistake the message names, "" when none
    answer: str = ""  # a digest of a wrong answer's values on the test calls, for the similarity check only


def one_line(text, limit: int = MAX_LINE) -> str:
    """Text as a single printable line, cut to `limit` characters: what a student's code or notebook wrote may
    go to a terminal, a CSV file, a page and the gradebook, so lone surrogates (which no UTF-8 file can hold)
    become U+FFFD and escape sequences and control characters go."""
    text = SURROGATES.sub("\ufffd", str(text))
    line = " ".join(CONTROLS.sub("", ESCAPES.sub("", text)).split())
    return line if len(line) <= limit else line[:limit - 1] + "\u2026"


def quoted(text, limit: int = 300) -> str:
    """What a student's code or notebook said, in quotes, so that it never reads as the grader's own words."""
    return repr(str(text)[:limit])


def rows_for_verdicts(verdicts: dict, graded: list) -> list[Row]:
    """One Row per GradedCell in `graded`, from the grader's {function: Verdict}."""
    rows = []
    for cell in graded:
        verdict = verdicts.get(cell.function, Verdict(Status.MISSING, "the function was not graded"))
        rows.append(Row(cell.function, cell.points if verdict.status == Status.PASSED else 0.0, cell.points,
                        verdict.status, one_line(verdict.message), verdict.mistake, verdict.answer))
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
