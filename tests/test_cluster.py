"""`python -m autograder grade --scheduler`: the class graded on a real Dask cluster (a scheduler and two worker
processes on 127.0.0.1) gets exactly the grades of local grading, also when workers die or the scheduler goes away.
"""
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder.generators import sample_class
from autograder.course import Course
from autograder.grading import grade as grade_module
from autograder.grading.cluster import Folder, kit_identity, worker_problem
from autograder.paths import NOTEBOOKS
from scratch_course import ScratchCourse

pytestmark = pytest.mark.kernels  # real kernels, real clusters: left out of make test-fast

ASSIGNMENT = "step_by_step"
NOTEBOOK = NOTEBOOKS[ASSIGNMENT]
HERE = Path(__file__).parent
RUN_SECONDS = 300  # for one grading run of the sample class on this machine's two cores


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def grade_command(course, out, *extra):
    return [sys.executable, "-m", "autograder", "grade", str(course.root / "submitted"), "--assignment", ASSIGNMENT,
            "--out", str(out), "--course", str(course.root), *extra]


def run_grade(course, out, *extra):
    return subprocess.run(grade_command(course, out, *extra), capture_output=True, text=True, timeout=RUN_SECONDS)


def autograded_notebooks(course):
    """{folder: (each cell's type, source, outputs and grading metadata; the files beside the notebook)} of the
    course's autograded folders. Left out, as they differ between two local runs too: when each cell ran, the
    random id nbformat gives a graded cell nbgrader restored, and whether the cell that killed its kernel got an
    execution count before it died."""
    notebooks = {}
    for folder in sorted((course.root / "autograded").glob(f"*/{ASSIGNMENT}")):
        notebook = json.loads((folder / NOTEBOOK).read_text(encoding="utf-8"))
        cells = [(cell["cell_type"], cell["source"], cell.get("outputs"), cell["metadata"].get("nbgrader"))
                 for cell in notebook["cells"]]
        files = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*"))
        notebooks[folder.relative_to(course.root).as_posix()] = cells, files
    return notebooks


@pytest.fixture(scope="module")
def cluster_course(tmp_path_factory):
    course = ScratchCourse(tmp_path_factory.mktemp("cluster-course"))
    sample_class.build(course.root / "submitted")
    return course


@pytest.fixture(scope="module")
def local(cluster_course, tmp_path_factory):
    """The sample class graded by local worker processes: (output folder, autograded notebooks)."""
    out = tmp_path_factory.mktemp("local") / "grades"
    graded = run_grade(cluster_course, out, "--workers", "2")
    assert graded.returncode == 1, graded.stderr
    return out, autograded_notebooks(cluster_course)


def assert_same_grades(out, local_out, students=None):
    def table(path):
        return [row for row in read_csv(path) if students is None or row["student_id"] in students]
    assert table(out / "grades.csv") == table(local_out / "grades.csv")
    assert table(out / "totals.csv") == table(local_out / "totals.csv")


# What needs no cluster.

def test_importing_the_grader_imports_no_dask():
    code = "import sys, autograder.grading.grade, autograder.__main__; print(sorted({m.split('.')[0] for m in sys.modules}))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "'dask'" not in loaded and "'distributed'" not in loaded and "'autograder'" in loaded


def test_a_folder_travels_whole_with_its_links_kept_as_links(tmp_path):
    source = tmp_path / "submitted"
    (source / "data").mkdir(parents=True)
    (source / "data" / "train.h5").write_bytes(b"\x89HDF\x00")
    (source / "notebook.ipynb").write_text("{}")
    (source / "__pycache__").mkdir()
    (source / "__pycache__" / "x.pyc").write_bytes(b"cache")
    (source / "course_sources").symlink_to("/etc")
    (source / "notes.txt").symlink_to("data/train.h5")
    copy = Folder.read(source).write(tmp_path / "copy")
    assert (copy / "data" / "train.h5").read_bytes() == b"\x89HDF\x00" and (copy / "notebook.ipynb").read_text() == "{}"
    assert os.readlink(copy / "course_sources") == "/etc" and os.readlink(copy / "notes.txt") == "data/train.h5"
    assert not (copy / "__pycache__").exists()


@pytest.mark.parametrize("path", ["../outside.txt", "/etc/passwd", "a/../../b"])
def test_a_folder_never_writes_outside_its_destination(tmp_path, path):
    with pytest.raises(ValueError, match="not a path inside the folder"):
        Folder(files=((path, b"x"),)).write(tmp_path / "copy")


def test_a_worker_with_another_version_of_the_kit_refuses_naming_both():
    mine = kit_identity()
    other = "0.0.9 (source 0123456789ab)"
    problem = worker_problem(other, sandbox=False)
    assert mine in problem and other in problem and "same version of the kit" in problem
    assert worker_problem(mine, sandbox=False) is None


def test_the_kit_identity_changes_with_its_source(tmp_path):
    shutil.copytree(HERE.parent / "autograder", tmp_path / "autograder", ignore=shutil.ignore_patterns("__pycache__"))
    before = kit_identity(tmp_path)
    (tmp_path / "autograder" / "worker.py").write_text("# edited\n", encoding="utf-8")
    assert kit_identity(tmp_path) != before


# A real cluster: `dask scheduler` and two `dask worker` processes on 127.0.0.1.

def test_the_class_graded_on_a_cluster_gets_exactly_the_grades_of_local_grading(cluster_course, local, dask_cluster,
                                                                                 tmp_path):
    cluster = dask_cluster(workers=2)
    out = tmp_path / "grades"
    graded = run_grade(cluster_course, out, "--scheduler", cluster.address)
    assert graded.returncode == 1, graded.stderr
    assert graded.stderr.strip().splitlines()[-1] == \
        "3 student(s) need attention: gia_deleted_a_test, hugo_kernel_dies, ivy_broken_file"
    assert_same_grades(out, local[0])
    # The autograded notebooks came back from the workers into the course, as local grading leaves them.
    assert autograded_notebooks(cluster_course) == local[1]


def _grading_worker(client, pids, deadline):
    """The pid of a worker that is grading a submission now."""
    while time.monotonic() < deadline:
        for address, keys in client.processing().items():
            if any(str(key).startswith("grade-") for key in keys) and address in pids:
                return pids[address]
        time.sleep(0.05)
    raise AssertionError("no worker started grading")


def grade_while(course, out, cluster, meanwhile):
    """Run the grade command on `cluster` while `meanwhile()` acts on it; return (exit code, stderr). The command is
    killed if it is still running when anything fails."""
    run = subprocess.Popen(grade_command(course, out, "--scheduler", cluster.address), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    try:
        meanwhile()
        _, stderr = run.communicate(timeout=RUN_SECONDS)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    return run.returncode, stderr


def test_a_worker_killed_while_it_grades_costs_nothing_and_leaves_no_folder_behind(cluster_course, local, dask_cluster,
                                                                                   tmp_path, tmp_path_factory):
    """Neither in the workers' temporary directory nor in the cluster's Dask local directories, where the workers
    keep the course's files, each task's and its kernel's sockets: the worker started after it removes its folder."""
    temporary = tmp_path_factory.mktemp("tmp")
    cluster = dask_cluster(workers=2, worker_environment={"TMPDIR": str(temporary)})
    out = tmp_path / "grades"

    def kill_a_grading_worker():
        with cluster.client() as client:
            pids = client.run(os.getpid)
            victim = _grading_worker(client, pids, time.monotonic() + 120)
            time.sleep(1.0)  # well into the submission: its kernel is running
            os.kill(victim, signal.SIGKILL)

    code, stderr = grade_while(cluster_course, out, cluster, kill_a_grading_worker)
    assert code == 1, stderr
    assert_same_grades(out, local[0])  # one row per student and function, the grades of local grading
    results = sorted(path.name for path in (out / "results").glob("*.json"))
    assert results == sorted(f"{student}.json" for student in sample_class_students(cluster_course))
    cluster.wait_for_workers(2)  # the killed worker's successor too
    with cluster.client() as client:
        live = set(client.run(lambda dask_worker: dask_worker.local_directory).values())
    folders = {str(path) for path in cluster.local_directory.glob("dask-scratch-space/worker-*") if path.is_dir()}
    assert folders == live and len(live) == 2
    assert list(temporary.iterdir()) == []


def sample_class_students(course):
    return [folder.name for folder in (course.root / "submitted").iterdir()]


def test_a_submission_that_kills_every_worker_is_stopped_and_the_rest_of_the_class_is_graded(
        cluster_course, local, dask_cluster, tmp_path):
    poison = "ada_perfect"
    cluster = dask_cluster(workers=2, allowed_failures=1, worker_environment={"KIT_TEST_POISON": poison},
                           preload=HERE / "dask_poison.py")
    out = tmp_path / "grades"
    graded = run_grade(cluster_course, out, "--scheduler", cluster.address)
    assert graded.returncode == 1, graded.stderr
    assert f"4 student(s) need attention: {poison}, gia_deleted_a_test" in graded.stderr
    totals = {row["student_id"]: row for row in read_csv(out / "totals.csv")}
    assert float(totals[poison]["score"]) == 0
    assert "it killed every Dask worker it ran on, 2 of them" in totals[poison]["needs_attention"]
    others = set(sample_class_students(cluster_course)) - {poison}
    assert_same_grades(out, local[0], others)


def test_a_lost_scheduler_is_one_line_and_a_rerun_grades_the_rest(cluster_course, local, dask_cluster, tmp_path):
    cluster = dask_cluster(workers=2)
    out = tmp_path / "grades"

    def stop_the_scheduler_after_three_students():
        deadline = time.monotonic() + 120
        while len(list((out / "results").glob("*.json"))) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        cluster.stop_scheduler()

    code, stderr = grade_while(cluster_course, out, cluster, stop_the_scheduler_after_three_students)
    assert code == 2
    assert stderr.splitlines() == [f"error: {cluster.address}: lost the Dask scheduler while grading "
                                   f"(scheduler-connection-lost); the grades finished so far are kept: run the "
                                   f"same command again to grade the rest"]
    kept = {path.name: path.stat().st_mtime_ns for path in (out / "results").glob("*.json")}
    assert 3 <= len(kept) < len(sample_class_students(cluster_course))
    again = dask_cluster(workers=2)
    rerun = run_grade(cluster_course, out, "--scheduler", again.address)
    assert rerun.returncode == 1, rerun.stderr
    assert_same_grades(out, local[0])
    assert all((out / "results" / name).stat().st_mtime_ns == mtime for name, mtime in kept.items())


def test_a_worker_without_bubblewrap_refuses_in_one_line(cluster_course, dask_cluster, tmp_path):
    # The worker's PATH has the kit's environment only: no bwrap on it.
    cluster = dask_cluster(workers=1, worker_environment={"PATH": str(Path(sys.executable).parent)})
    refused = run_grade(cluster_course, tmp_path / "refused", "--scheduler", cluster.address)
    assert refused.returncode == 2
    [line] = refused.stderr.strip().splitlines()
    assert line.startswith("error: Dask worker tcp://127.0.0.1:") and "bubblewrap" in line and "--no-sandbox" in line
    assert not (tmp_path / "refused" / "grades.csv").exists()


def test_into_a_postgresql_gradebook_the_workers_record_their_students(cluster_course, local, dask_cluster, postgres,
                                                                       tmp_path, monkeypatch):
    """The course's gradebook on a PostgreSQL server: each Dask worker records the students it grades, in their own
    transactions; the grading process records none, and the gradebook holds one submission per student with the
    grades of local grading."""
    root = tmp_path / "course"
    root.mkdir()
    for folder in ("source", "release", "submitted"):
        (root / folder).symlink_to(cluster_course.root / folder)
    (root / "nbgrader_config.py").write_text(
        f"c = get_config()  # noqa: F821\n"
        f"load_subconfig({str(cluster_course.root / 'nbgrader_config.py')!r})  # noqa: F821\n"
        f"c.CourseDirectory.db_url = {postgres.new_database()!r}\n")
    course = Course.at(root)
    recorded_here = []
    monkeypatch.setattr(grade_module, "record_graded", lambda _, __, student, *___: recorded_here.append(student))
    out = tmp_path / "grades"
    results = grade_module.grade(grade_module.Options(root / "submitted", ASSIGNMENT, out, course=course,
                                                      progress=False, scheduler=dask_cluster(workers=2).address))
    assert recorded_here == []
    scores = [(row["student_id"], row["function"], row["score"]) for row in read_csv(out / "grades.csv")]
    assert scores == [(row["student_id"], row["function"], row["score"]) for row in read_csv(local[0] / "grades.csv")]
    with Gradebook(course.db_url) as gradebook:
        submissions = gradebook.find_assignment(ASSIGNMENT).submissions
        recorded = {submission.student.id: submission.score for submission in submissions}
    assert len(recorded) == len(submissions)
    assert recorded == {result.student_id: result.score for result in results if not result.problem
                        or result.student_id == "hugo_kernel_dies"}
