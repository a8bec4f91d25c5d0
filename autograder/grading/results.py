"""Each student's result, stored as one JSON file per student, and the CSV tables built from them.

A result file is written atomically (to a temporary name, then renamed) after the gradebook has
the same grades, so a run killed at any point leaves each student either fully recorded or not at
all; the tables are always rebuilt from the result files, so a student appears exactly once.
"""
import csv
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .outcomes import Row, one_line

MAX_NOTICE = 500  # characters of one line of needs_attention

GRADE_COLUMNS = ("student_id", "assignment", "function", "score", "max_score", "status", "message", "mistake")
TOTAL_COLUMNS = ("student_id", "assignment", "score", "max_score", "passed", "needs_attention")


@dataclass
class StudentResult:
    student_id: str
    assignment: str
    fingerprint: str
    rows: list
    problem: str = ""  # why the submission as a whole needs the instructor's attention
    notices: list = field(default_factory=list)
    sandboxed: bool = True  # False when graded with --no-sandbox
    folder: str = ""  # the submission folder graded, SUBMITTED/<student_id>/<assignment>, absolute
    late: str = ""  # how late it was and what the late policy took off (feedback.lateness); "" when on time

    def __post_init__(self):
        """What needs attention quotes the student's files and names: printable single lines, wherever it goes."""
        self.problem = one_line(self.problem, MAX_NOTICE) if self.problem else ""
        self.notices = [one_line(notice, MAX_NOTICE) for notice in self.notices]

    @property
    def score(self):
        return sum(row.score for row in self.rows)

    @property
    def max_score(self):
        return sum(row.max_score for row in self.rows)

    @property
    def attention(self):
        return "; ".join(([self.problem] if self.problem else []) + self.notices)


def result_path(out_dir: Path, student_id: str) -> Path:
    return Path(out_dir) / "results" / f"{student_id}.json"


def save(out_dir: Path, result: StudentResult) -> Path:
    path = result_path(out_dir, result.student_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".json.partial")
    data = asdict(result)
    temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
    os.replace(temporary, path)


def load(path: Path) -> StudentResult:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    data["rows"] = [Row(**row) for row in data["rows"]]
    return StudentResult(**data)


def load_all(out_dir: Path) -> list[StudentResult]:
    return [load(path) for path in sorted((Path(out_dir) / "results").glob("*.json"))]


def write_tables(out_dir: Path, results: list[StudentResult]) -> None:
    """grades.csv (a row per student per function) and totals.csv (a row per student), each written whole or
    not at all (to a temporary name, then renamed): a table is never left half written."""
    out_dir = Path(out_dir)
    grades = [GRADE_COLUMNS] + [(result.student_id, result.assignment, row.function, f"{row.score:g}",
                                 f"{row.max_score:g}", row.status, row.message, row.mistake)
                                for result in results for row in result.rows]
    totals = [TOTAL_COLUMNS] + [(result.student_id, result.assignment, f"{result.score:g}", f"{result.max_score:g}",
                                 f"{sum(row.status == 'passed' for row in result.rows)}/{len(result.rows)}",
                                 result.attention) for result in results]
    for name, rows in (("grades.csv", grades), ("totals.csv", totals)):
        temporary = out_dir / f".{name}.partial"
        with open(temporary, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
        os.replace(temporary, out_dir / name)
    return out_dir / "grades.csv", out_dir / "totals.csv"
