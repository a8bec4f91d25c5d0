"""Where the course's files live, relative to the repository root."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source"
RELEASE = ROOT / "release"

# What each assignment's notebook imports, as {name beside the notebook: path in the repository}.
# nbgrader's pre-convert hook copies them next to the instructor notebook, and nbgrader carries them into the
# release. (The ungraded gradient-checking companion is not among them: it is a notebook of source/step_by_step/
# itself, worth no points, since nbgrader releases only the notebooks it finds before the hook runs.)
SHARED = {
    "step_by_step": {"dnn_utils.py": "dnn_utils.py", "testCases": "testCases"},
    # The application builds on the step-by-step functions: their reference solutions go out with it,
    # so it is released after the step-by-step deadline.
    "application": {"dnn_utils.py": "dnn_utils.py", "testCases": "testCases", "image_data.py": "image_data.py",
                    "dnn_app_utils.py": "autograder/reference/step_by_step.py"},
}

NOTEBOOKS = {
    "step_by_step": "Building_your_Deep_Neural_Network_Step_by_Step.ipynb",
    "application": "Deep_Neural_Network_Application.ipynb",
}


def revealed_solutions(assignment):
    """The assignments whose reference solutions go out, on purpose, with the release of `assignment`."""
    return [path.rsplit("/", 1)[-1].removesuffix(".py") for path in SHARED[assignment].values()
            if path.startswith("autograder/reference/")]


def source_notebook(assignment):
    return SOURCE / assignment / NOTEBOOKS[assignment]


def release_notebook(assignment):
    return RELEASE / assignment / NOTEBOOKS[assignment]
