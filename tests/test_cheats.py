"""Cheats a determined student would try gain no points, and cost no honest student anything.

Each cheat is a complete, otherwise perfect step-by-step submission whose `linear_forward` is wrong
(it returns zeros) and which tries to get its points anyway. The whole batch, two honest students
included, is graded once by the grade command. A control run grades the point-gaining cheats the
usual nbgrader way (plain `nbgrader autograde`, hidden tests inside the student's kernel): there they
do gain the points, which shows that each test below fails without the kit's defences.
"""
import contextlib
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from autograder.environment import scripts_on_path
from autograder.generators import sample_class
from autograder.__main__ import main
from autograder.paths import NOTEBOOKS, ROOT
from autograder.grading.results import load_all
from scratch_course import ScratchCourse

pytestmark = pytest.mark.kernels  # real Jupyter kernels: left out of make test-fast

ASSIGNMENT = "step_by_step"
NOTEBOOK = NOTEBOOKS[ASSIGNMENT]
MARKER = "kit-cheat-background-process"
TERMINAL_MARKER = "kit-cheat-on-the-graders-terminal"

# Right on the visible check (its expected values are public), zeros everywhere else, unless
# `found_reference()` (each cheat's own trick) returns a reference linear_forward.
WRONG = '''
def linear_forward(A, W, b):
    import numpy as np
    from testCases import cases, expected
    A0, W0, b0 = cases.linear_forward_test_case()
    if A.shape == A0.shape and W.shape == W0.shape and (A == A0).all() and (W == W0).all():
        return expected.load()["linear_forward"][0]
    reference = found_reference()
    if reference is not None:
        return reference(A, W, b)
    return np.zeros((W.shape[0], A.shape[1])), (A, W, b)


def found_reference():
    return None
'''

FROM_STACK_FRAMES = '''
def found_reference():
    import sys
    frame = sys._getframe(1)
    while frame is not None:
        for value in list(frame.f_locals.values()) + list(frame.f_globals.values()):
            for holder in (value, getattr(value, "reference", None)):
                function = getattr(holder, "linear_forward", None)
                if callable(function) and "reference" in getattr(function, "__module__", ""):
                    return function
        frame = frame.f_back
    return None
'''

FROM_SYS_MODULES = '''
def found_reference():
    import sys
    for name, module in list(sys.modules.items()):
        if "reference" in name and hasattr(module, "linear_forward"):
            return module.linear_forward
    return None
'''

FROM_GC = '''
def found_reference():
    import gc
    for value in gc.get_objects():
        if (callable(value) and getattr(value, "__name__", "") == "linear_forward"
                and "reference" in getattr(value, "__module__", "")):
            return value
    return None
'''

FROM_FILES = '''
def found_reference():
    import glob
    for pattern in ({root!r} + "/autograder/reference/step_by_step.py", {course!r} + "/source/*/*.py",
                    "/*/*/autograder/reference/step_by_step.py", "/*/*/*/autograder/reference/step_by_step.py"):
        for path in glob.glob(pattern):
            try:
                namespace = {{}}
                exec(open(path).read(), namespace)
                if "linear_forward" in namespace:
                    return namespace["linear_forward"]
            except Exception:
                pass
    return None
'''

# The submission folder holds a link to the reference solutions; the function reads them through it.
THROUGH_A_SUBMITTED_LINK = '''
def found_reference():
    namespace = {}
    try:
        exec(open("linked_reference.py").read(), namespace)
    except OSError:
        return None
    return namespace.get("linear_forward")
'''

PATCH_NUMPY = '''
import numpy as np
import numpy.testing
np.allclose = np.isclose = np.array_equal = lambda *args, **kwargs: True
numpy.testing.assert_allclose = numpy.testing.assert_array_equal = lambda *args, **kwargs: None
'''

EQUAL_TO_ANYTHING = '''
import numpy as np


class EqualToAnything(np.ndarray):
    def __eq__(self, other):
        return True

    def __array_function__(self, function, types, args, kwargs):
        if function.__name__ in ("allclose", "array_equal", "array_equiv"):
            return True
        if function.__name__ == "isclose":
            return np.ones(np.shape(args[0]), dtype=bool)
        return super().__array_function__(function, types, args, kwargs)


def linear_forward(A, W, b):
    return np.zeros((W.shape[0], A.shape[1])).view(EqualToAnything), (A, W, b)
'''

BLANK_LATER_CELLS = '''
get_ipython().input_transformers_cleanup.append(lambda lines: [])
'''

TRY_EXCEPT_LATER_CELLS = '''
def _swallow_errors(lines):
    return ["try:\\n"] + ["    " + line for line in lines] + ["\\n    pass\\nexcept BaseException:\\n    pass\\n"]


get_ipython().input_transformers_cleanup.append(_swallow_errors)
'''

SILENCE_TRACEBACKS = '''
import sys
get_ipython().showtraceback = lambda *args, **kwargs: None
get_ipython().set_custom_exc((BaseException,), lambda *args, **kwargs: None)
sys.excepthook = lambda *args: None
'''

FAKE_SUCCESS = '''
print("Checking linear_forward:\\n  \\u2714 Z\\n  \\u2714 cache\\nAll checks passed.")
print("linear_forward: passed 5 / 5")
'''

# Talk to the grader in its place: whatever the grader says, the grader's code in the kernel hears "done".
ANSWERS_FOR_THE_GRADER = '''
import json
_loads = json.loads
json.loads = lambda text, **kwargs: {"op": "done"} if text.startswith('{"op"') else _loads(text, **kwargs)
'''

# Every message to the grader becomes garbage, and the kernel waits for an answer that never comes.
GARBLES_MESSAGES = '''
import json
json.dumps = lambda value, **kwargs: "not a message"
'''

# Tries every way out of its sandbox, then leaves a process behind to try again after grading.
DAMAGE = '''
import glob, os, shutil, subprocess, sys
for pattern in ({course!r} + "/gradebook.db", {course!r} + "/source/*/*", {course!r} + "/release/*/*",
                {submitted!r} + "/*/*/*.ipynb", "/root/*"):
    for path in glob.glob(pattern):
        try:
            if os.path.isdir(path):
                shutil.rmtree(path)
            else:
                open(path, "w").write("overwritten by a cheat")
        except OSError:
            pass
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", {marker!r}], start_new_session=True)
'''

# Writes a line that looks like the grader's own to every way out of the kernel process but the notebook.
WRITES_TO_THE_GRADERS_TERMINAL = f'''
import os, sys
line = "  writes_to_the_graders_terminal   100 / 100   {TERMINAL_MARKER}\\n"
os.write(1, line.encode())
os.write(2, line.encode())
print(line, end="", file=sys.__stdout__, flush=True)
print(line, end="", file=sys.__stderr__, flush=True)
try:
    with open("/dev/tty", "w") as terminal:
        terminal.write(line)
except OSError:
    pass
'''

# {student: (what the solution cell of linear_forward holds, a cell added after it or None,
#            whether plain nbgrader autograde gives linear_forward its points)}
CHEATS = {
    "patches_numpy_comparisons": ("import numpy as np\n\ndef linear_forward(A, W, b):\n"
                                  "    return np.zeros((W.shape[0], A.shape[1])), (A, W, b)\n", PATCH_NUMPY, True),
    "returns_an_array_equal_to_anything": (EQUAL_TO_ANYTHING, None, True),
    "blanks_every_later_cell": (WRONG, BLANK_LATER_CELLS, True),
    "wraps_later_cells_in_try_except": (WRONG, TRY_EXCEPT_LATER_CELLS, True),
    "silences_tracebacks": (WRONG, SILENCE_TRACEBACKS, False),
    "finds_the_reference_in_stack_frames": (WRONG + FROM_STACK_FRAMES, None, True),
    "finds_the_reference_in_sys_modules": (WRONG + FROM_SYS_MODULES, None, True),
    "finds_the_reference_with_gc": (WRONG + FROM_GC, None, True),
    "reads_the_reference_from_files": (WRONG + FROM_FILES, None, True),
    "reads_the_reference_through_a_link_it_submitted": (WRONG + THROUGH_A_SUBMITTED_LINK, None, True),
    "prints_fake_success": (WRONG, FAKE_SUCCESS, False),
    "answers_for_the_grader": (WRONG, ANSWERS_FOR_THE_GRADER, False),
    "garbles_messages_to_the_grader": (WRONG, GARBLES_MESSAGES, False),
    "writes_to_the_graders_terminal": (WRONG, WRITES_TO_THE_GRADERS_TERMINAL, False),
}
# Cheats that try to stop, slow or crash the grading: each a cell after linear_forward (wrong as above).
DISRUPTIVE = {
    "exits_the_kernel": "import os\nos._exit(0)\n",
    "kills_the_kernel": "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n",
    "ignores_interrupts_and_hangs": "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass\n",
    "exhausts_memory": "hoard = []\nwhile True:\n    hoard.append(bytearray(10 ** 8))\n",
    "floods_output": "for _ in range(2000):\n    print('x' * 100_000)\n",
    "prints_one_huge_line": "print('x' * 300_000_000)\n",
    "forks_without_end": "import os\nwhile True:\n    os.fork()\n",
}
HONEST = ("honest_before", "honest_after")


def _cell_index(notebook, grade_id):
    return next(index for index, cell in enumerate(notebook["cells"])
                if cell["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


def _cheat(perfect, solution, extra_cell):
    notebook = copy.deepcopy(perfect)
    index = _cell_index(notebook, "linear_forward")
    notebook["cells"][index]["source"] = solution
    if extra_cell:
        notebook["cells"].insert(index + 1, {"cell_type": "code", "execution_count": None, "id": "cheat",
                                             "metadata": {}, "outputs": [], "source": extra_cell})
    return notebook


def _submit(course_root, submitted, student, notebook):
    folder = submitted / student / ASSIGNMENT
    shutil.copytree(course_root / "release" / ASSIGNMENT, folder)
    (folder / NOTEBOOK).write_text(json.dumps(notebook), encoding="utf-8")
    (folder / "linked_reference.py").symlink_to(ROOT / "autograder" / "reference" / "step_by_step.py")


def _scores(out):
    return {result.student_id: {row.function: row.score for row in result.rows} for result in load_all(out)}


@pytest.fixture(scope="module")
def graded(course, tmp_path_factory):
    """{student: {function: score}} of the whole batch, and what the damaging cheat could reach."""
    folder = tmp_path_factory.mktemp("cheats")
    submitted = folder / "submitted"
    perfect = sample_class.notebooks(course.release_notebook(ASSIGNMENT))["ada_perfect"]
    paths = {"root": str(ROOT), "course": str(course.root), "submitted": str(submitted), "marker": MARKER}
    for student, (solution, extra_cell, _) in CHEATS.items():
        _submit(course.root, submitted, student, _cheat(perfect, solution.format(**paths) if "{root" in solution
                                                        else solution, extra_cell))
    _submit(course.root, submitted, "damages_everything_it_can", _cheat(perfect, WRONG, DAMAGE.format(**paths)))
    for student, cell in DISRUPTIVE.items():
        _submit(course.root, submitted, student, _cheat(perfect, WRONG, cell))
    for student in HONEST:
        _submit(course.root, submitted, student, perfect)
    before = {path: path.read_bytes() for path in sorted(course.root.glob("source/*/*")) + sorted(
        submitted.glob("honest_*/*/*.ipynb")) if path.is_file()}
    out = folder / "grades"
    with _file_descriptors_1_and_2() as terminal:
        code = main(["grade", str(submitted), "--assignment", ASSIGNMENT, "--out", str(out), "--course",
                     str(course.root), "--cell-timeout", "10"])
    after = {path: path.read_bytes() if path.exists() else None for path in before}
    return {"code": code, "scores": _scores(out), "unchanged": before == after, "out": out,
            "terminal": terminal["text"]}


@contextlib.contextmanager
def _file_descriptors_1_and_2():
    """What this process and its children write to file descriptors 1 and 2 in the block: {"text": ...}."""
    written = {}
    with tempfile.TemporaryFile() as sink:
        sys.stdout.flush()
        sys.stderr.flush()
        saved = {fd: os.dup(fd) for fd in (1, 2)}
        for fd in saved:
            os.dup2(sink.fileno(), fd)
        try:
            yield written
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            for fd, copy in saved.items():
                os.dup2(copy, fd)
                os.close(copy)
            sink.seek(0)
            written["text"] = sink.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def plain_nbgrader(tmp_path_factory):
    """{student: {grade_id: score}} of the point-gaining cheats, graded by plain `nbgrader autograde` with
    nbgrader's default pipeline: the instructor notebook's hidden tests run in the student's kernel."""
    course = ScratchCourse(tmp_path_factory.mktemp("plain"))
    (course.root / "nbgrader_config.py").write_text('c = get_config()\nc.CourseDirectory.course_id = "plain"\n')
    perfect = sample_class.notebooks(course.release_notebook(ASSIGNMENT))["ada_perfect"]
    paths = {"root": str(ROOT), "course": str(course.root), "submitted": "", "marker": MARKER}
    students = [student for student, (_, _, fools_plain) in CHEATS.items() if fools_plain]
    for student in students:
        solution, extra_cell, _ = CHEATS[student]
        course.submit(student, ASSIGNMENT, _cheat(perfect, solution.format(**paths) if "{root" in solution
                                                  else solution, extra_cell))
        link = course.root / "submitted" / student / ASSIGNMENT / "linked_reference.py"
        link.symlink_to(ROOT / "autograder" / "reference" / "step_by_step.py")
    subprocess.run([sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--force"], cwd=course.root,
                   env=scripts_on_path(),
                   capture_output=True, check=True)
    return {student: course.scores(ASSIGNMENT, student) for student in students}


@pytest.mark.parametrize("student", list(CHEATS) + ["damages_everything_it_can"] + list(DISRUPTIVE))
def test_cheat_gains_no_points_for_its_wrong_function(graded, student):
    assert graded["scores"][student]["linear_forward"] == 0


@pytest.mark.parametrize("student", [student for student, (_, _, fools_plain) in CHEATS.items() if fools_plain])
def test_the_same_cheat_gains_the_points_when_hidden_tests_run_in_the_students_kernel(plain_nbgrader, student):
    assert plain_nbgrader[student]["check_linear_forward"] == 5


def test_honest_students_in_the_batch_keep_full_marks(graded):
    assert graded["code"] == 1  # the cheats need attention; the command still graded everyone
    for student in HONEST:
        assert sum(graded["scores"][student].values()) == 100, graded["scores"][student]


def test_a_flood_of_output_is_cut_before_it_reaches_the_gradebook(course, graded):
    autograded = course.root / "autograded" / "floods_output" / ASSIGNMENT / NOTEBOOK
    assert autograded.stat().st_size < 5_000_000


def test_a_cheat_cannot_touch_the_course_or_other_submissions(graded):
    assert graded["unchanged"]


def test_a_submission_cannot_write_to_the_graders_terminal(course, graded):
    assert TERMINAL_MARKER not in graded["terminal"]
    autograded = course.root / "autograded" / "writes_to_the_graders_terminal" / ASSIGNMENT / NOTEBOOK
    assert TERMINAL_MARKER in autograded.read_text(encoding="utf-8")  # it went to the notebook, as plain output


def test_no_process_a_submission_started_outlives_its_grading(graded):
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _processes_with(MARKER):
        time.sleep(0.2)
    assert _processes_with(MARKER) == []


def _processes_with(text):
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text.encode() in cmdline.read_bytes():
                found.append(cmdline.parent.name)
        except OSError:
            pass
    return found
