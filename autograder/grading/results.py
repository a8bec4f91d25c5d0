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

from .outcomes import Row

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
    """grades.csv (a row per student per function) and totals.csv (a row per student)."""
    out_dir = Path(out_dir)
    with open(out_dir / "grades.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(GRADE_COLUMNS)
        for result in results:
            for row in result.rows:
                writer.writerow((result.student_id, result.assignment, row.function, f"{row.score:g}",
                                 f"{row.max_score:g}", row.status, row.message, row.mistake))
    with open(out_dir / "totals.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(TOTAL_COLUMNS)
        for result in results:
            passed = sum(row.status == "passed" for row in result.rows)
            writer.writerow((result.student_id, result.assignment, f"{result.score:g}", f"{result.max_score:g}",
                             f"{passed}/{len(result.rows)}", result.attention))
    return out_dir / "grades.csv", out_dir / "totals.csv"
