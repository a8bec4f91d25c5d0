"""Where the course's files live, relative to the repository root."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source"
RELEASE = ROOT / "release"

# The student-facing modules every assignment imports; `make release` copies them next to each notebook.
SHARED = ("dnn_utils.py", "testCases")

NOTEBOOKS = {
    "step_by_step": "Building_your_Deep_Neural_Network_Step_by_Step.ipynb",
}


def source_notebook(assignment):
    return SOURCE / assignment / NOTEBOOKS[assignment]


def release_notebook(assignment):
    return RELEASE / assignment / NOTEBOOKS[assignment]
