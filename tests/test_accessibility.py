"""What the kit shows people passes axe-core: the feedback pages, the class report and the release notebooks.

axe-core (the copy the pinned axe-playwright-python ships) runs with its default rules in Debian's headless
Chromium, through Playwright, on
- every page in the course's feedback folder of a class graded with the kit's grade command in a throwaway course
  (the page nbgrader's release_feedback hands each student, and the short page of the ungraded companion notebook);
  the class has the sample students, one graded late, one with a name in the roster and one whose code follows an
  earlier version of the course, so that every part of the pages is there;
- that grading's report.html, and the report of the same class graded without a sandbox (its warning);
- the release notebook of each assignment (step_by_step, application) open in a real JupyterLab, started by a fixture
  on 127.0.0.1 with a token and rooted at a copy of release/.

None may have a violation of any impact (the issue asks for no serious or critical one). In JupyterLab that holds
for each notebook's own content, its rendered markdown cells: the release carries no outputs, and the editors of the
code cells, the toolbars and the panels are JupyterLab's. What axe finds in JupyterLab's own interface is not the
kit's to fix; it is recorded per notebook, in jupyterlab-violations.json in the temporary folder of that notebook's
case of the test (and in that case's properties in a JUnit report), not asserted. JupyterLab draws a cell out of
sight lazily and axe checks the colour contrast of what is on screen only, so the window is made as tall as the
notebook; a control notebook whose last cell holds a link without text and faint text shows that the check of the
cells sees all that a cell holds.
"""
import contextlib
import io
import json
import os
import re
import secrets
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder.__main__ import main
from autograder.generators import sample_class
from autograder.catalogue import real_style
from autograder.environment import scripts_on_path
from autograder.grading.results import load_all
from autograder.paths import NOTEBOOKS, RELEASE
from autograder.reporting import report
from browsers import chromium_context, jupyter_server, needs_chromium
from scratch_course import ScratchCourse

ASSIGNMENT = "step_by_step"
NOTEBOOK = NOTEBOOKS[ASSIGNMENT]

RELEASED = json.loads((RELEASE / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8"))
SAMPLE = sample_class.notebooks(RELEASED)
NAMED, LATE, EARLIER = "ada_perfect", "dev_forgot_one_over_m", "jo_earlier_version"
STUDENTS = sorted([*SAMPLE, EARLIER])
DUE = datetime(2026, 11, 20, 12, 0)
ON_TIME, AFTER_THE_DUE_DATE = "2026-11-20 09:00:00.000000 UTC", "2026-11-21 14:00:00.000000 UTC"

# The notebook's own content in JupyterLab: each markdown cell of the notebook shown, as rendered. Anything else on
# the page is JupyterLab's.
NOTEBOOK_SHOWN = ".jp-NotebookPanel:not(.lm-mod-hidden)"
CELLS = f"{NOTEBOOK_SHOWN} .jp-MarkdownCell .jp-RenderedMarkdown"
CONTROL_NOTEBOOK = f"{ASSIGNMENT}/control_empty_link_and_faint_text.ipynb"  # beside the step_by_step notebook
# Each assignment's release notebook, as JupyterLab's root (a copy of release/) names it.
RELEASED_NOTEBOOKS = {assignment: f"{assignment}/{NOTEBOOKS[assignment]}" for assignment in NOTEBOOKS}

pytestmark = [pytest.mark.kernels,  # a class graded with real kernels, JupyterLab and a browser: not in make test-fast
              needs_chromium]


def described(violations):
    """One line per violation: the rule, its impact, how many elements, the first of them and what axe asks."""
    return [f"{violation['id']} ({violation['impact']}): {len(violation['nodes'])} element(s), first "
            f"{violation['nodes'][0]['target']}: {violation['help']}" for violation in violations]


def axe(page, context=None):
    """The violations axe-core finds on `page` (in `context`, axe's include/exclude selectors, when given)."""
    axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")
    return axe_playwright.Axe().run(page, context=context).response["violations"]


# -- a class graded with the kit's grade command -------------------------------------------------------------------

def earlier_version_notebook():
    """The perfect submission, but update_parameters written as the earlier version of the course asked."""
    earlier = next(source for label, _, source in real_style.BUGS["update_parameters"]
                   if label == "the earlier version's update of the dict it is given")
    notebook = json.loads(json.dumps(SAMPLE["ada_perfect"]))
    for cell in notebook["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "update_parameters":
            cell["source"] = earlier
    return notebook


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The class, collected as nbgrader's exchange leaves it (a time and a secret beside each notebook) and graded
    by `python -m autograder grade`: the course (whose feedback/ holds the students' pages) and the output folder."""
    course = ScratchCourse(tmp_path_factory.mktemp("course"))
    submitted = sample_class.build(course.root / "submitted")
    shutil.copytree(submitted / NAMED, submitted / EARLIER)
    (submitted / EARLIER / ASSIGNMENT / NOTEBOOK).write_text(json.dumps(earlier_version_notebook()), encoding="utf-8")
    for student in STUDENTS:
        folder = submitted / student / ASSIGNMENT
        (folder / "timestamp.txt").write_text(AFTER_THE_DUE_DATE if student == LATE else ON_TIME)
        (folder / "submission_secret.txt").write_text(secrets.token_hex(32))
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gradebook:
        gradebook.update_or_create_assignment(ASSIGNMENT, duedate=DUE)
        gradebook.update_or_create_student(NAMED, first_name="Ada", last_name="Okafor-Lindqvist")
    out = course.root / "grades" / ASSIGNMENT
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        main(["grade", str(submitted), "--assignment", ASSIGNMENT, "--out", str(out), "--course", str(course.root),
              "--workers", "2"])
    return course.root, out


PAGES = [Path(NOTEBOOK).stem, "gradient_checking"]  # in a student's feedback folder: the notebook's, the companion's


def delivered(course_root, student, page=PAGES[0]):
    """A page in the student's folder of the course's feedback/, from which nbgrader's release_feedback takes it."""
    return course_root / "feedback" / student / ASSIGNMENT / f"{page}.html"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium_context(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


@contextlib.contextmanager
def opened(browser, url):
    """The page at `url`, loaded; requests that leave this machine are refused."""
    page = browser.new_page()
    page.route(re.compile(r"^(?!(https?://127\.0\.0\.1[:/]|file://))"), lambda route: route.abort())
    try:
        page.goto(url, wait_until="load")
        yield page
    finally:
        page.close()


def violations_of_file(browser, path):
    with opened(browser, path.as_uri()) as page:
        return axe(page)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("student", STUDENTS)
def test_every_feedback_page_a_student_gets_has_no_accessibility_violation(graded, browser, student, page):
    path = delivered(graded[0], student, page)
    assert path.is_file()
    violations = violations_of_file(browser, path)
    assert not violations, "\n".join(described(violations))


def test_the_checked_feedback_pages_show_lateness_a_roster_name_and_a_notice_that_needs_attention(graded):
    """Every part a page can have is in one of the pages checked."""
    assert 'class="late"' in delivered(graded[0], LATE).read_text(encoding="utf-8")
    assert "Ada Okafor-Lindqvist (ada_perfect)" in delivered(graded[0], NAMED).read_text(encoding="utf-8")
    assert 'class="attention"' in delivered(graded[0], "gia_deleted_a_test").read_text(encoding="utf-8")


def test_the_class_report_has_no_accessibility_violation(graded, browser):
    page = graded[1] / "report.html"
    html = page.read_text(encoding="utf-8")
    for section in ("Needs attention", "Late submissions", "Mistakes", "Code written for an earlier version"):
        assert f"<h2>{section}" in html, section  # every section a report can have is checked
    violations = violations_of_file(browser, page)
    assert not violations, "\n".join(described(violations))


def test_the_report_of_a_class_graded_without_a_sandbox_has_no_accessibility_violation(graded, browser, tmp_path):
    results = load_all(graded[1])
    for result in results:
        result.sandboxed = False
    page = report.write(tmp_path, ASSIGNMENT, results)
    assert "Graded without a sandbox" in page.read_text(encoding="utf-8")
    violations = violations_of_file(browser, page)
    assert not violations, "\n".join(described(violations))


def test_the_reports_chart_has_its_numbers_on_the_page_as_text(graded, browser):
    """A screen reader reads the pass rate of every function from a table, not from the picture."""
    with opened(browser, (graded[1] / "report.html").as_uri()) as page:
        chart = page.get_by_role("img")
        assert "table below" in chart.get_attribute("alt")
        table = page.get_by_role("table", name="Pass rate per function")
        for function in [row.function for row in load_all(graded[1])[0].rows]:
            row = re.compile(rf"^{function} \d+% \(\d+ of {len(STUDENTS)}\)$")  # "linear_forward 90% (9 of 10)"
            assert table.get_by_role("row", name=row).count() == 1, function


def test_control_axe_finds_an_image_without_a_text_alternative_on_a_page(browser, tmp_path):
    page = tmp_path / "page.html"
    page.write_text('<!DOCTYPE html><html lang="en"><head><title>a page</title></head>'
                    '<body><main><h1>a page</h1><img src="figure.png"></main></body></html>', encoding="utf-8")
    assert [violation["id"] for violation in violations_of_file(browser, page)] == ["image-alt"]


# -- the release notebook in JupyterLab ----------------------------------------------------------------------------

def control_notebook():
    """The step_by_step release notebook with one more markdown cell, at its end: a link with no text (JupyterLab
    gives an image without alt text one of its own, "Image") and text too faint to read on white."""
    notebook = json.loads(json.dumps(RELEASED))
    notebook["cells"].append({"cell_type": "markdown", "id": "control", "metadata": {}, "source":
                              'The plan again: [](#2.-The-plan) <span style="color: #bbbbbb">in faint grey</span>'})
    return notebook


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 with a token, rooted at a copy of release/ (a folder per assignment, the control
    notebook in step_by_step's), its settings, workspaces, runtime files and the kernel's profile in a temporary
    folder: (base URL, token)."""
    home = tmp_path_factory.mktemp("jupyterlab")
    root = home / "release"
    for assignment in RELEASED_NOTEBOOKS:
        shutil.copytree(RELEASE / assignment, root / assignment, ignore=shutil.ignore_patterns("__pycache__"))
    (root / CONTROL_NOTEBOOK).write_text(json.dumps(control_notebook(), indent=1), encoding="utf-8")
    environment = scripts_on_path(dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"),
                                       JUPYTER_DATA_DIR=str(home / "data"), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
                                       IPYTHONDIR=str(home / "ipython")))
    with jupyter_server("jupyter-lab", root, environment, home / "server.log",
                        ["--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
                        what="JupyterLab", stop_seconds=30) as server:
        yield server


# Every markdown cell rendered, and its mathematics typeset by JupyterLab's MathJax (no TeX delimiter left).
RENDERED = """([cells_shown, markdown_cells]) => {
    const cells = document.querySelectorAll(cells_shown);
    return cells.length === markdown_cells && [...cells].every(cell => !cell.textContent.includes("$"));
}"""
LOWEST_CELL = """notebook_shown => Math.ceil(Math.max(...[...document.querySelectorAll(`${notebook_shown} .jp-Cell`)]
    .map(cell => cell.getBoundingClientRect().bottom)))"""
NEXT_FRAME = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
# JupyterLab positions its shell absolutely and leaves <html> and <body> 0 px high, <body> with overflow: hidden: axe
# takes all of the page for clipped away and checks no colour contrast at all. Filling the window changes nothing
# that is drawn.
FILL_THE_WINDOW = "document.documentElement.style.height = '100%'; document.body.style.height = '100%'"


def every_cell_on_screen(page):
    """Make the window as tall as the notebook: axe checks the colour contrast of what is on screen only, and
    JupyterLab renders a cell out of sight lazily (content-visibility), so its height is known once it is shown."""
    page.evaluate(FILL_THE_WINDOW)
    for _ in range(20):
        page.evaluate(NEXT_FRAME)
        lowest = page.evaluate(LOWEST_CELL, NOTEBOOK_SHOWN)
        if lowest <= page.viewport_size["height"]:
            return
        page.set_viewport_size({"width": page.viewport_size["width"], "height": lowest + 100})
    raise AssertionError(f"the notebook did not fit in a window {page.viewport_size['height']} px high")


@contextlib.contextmanager
def in_jupyterlab(browser, jupyterlab, name, notebook):
    """The notebook `name` open in JupyterLab (alone: `reset` forgets the notebooks opened before), every markdown
    cell rendered, every cell on screen."""
    base, token = jupyterlab
    with opened(browser, f"{base}/lab/tree/{name}?reset&token={token}") as page:
        markdown_cells = sum(cell["cell_type"] == "markdown" for cell in notebook["cells"])
        page.wait_for_function(RENDERED, arg=[CELLS, markdown_cells], timeout=90_000)
        every_cell_on_screen(page)
        yield page


@pytest.fixture(scope="module", params=sorted(RELEASED_NOTEBOOKS))
def release_in_jupyterlab(request, browser, jupyterlab):
    """axe on an assignment's release notebook open in JupyterLab, once per assignment: (the notebook's path in
    release/, the violations in its cells, those in JupyterLab's own interface, whether any of the latter lies in a
    cell)."""
    name = RELEASED_NOTEBOOKS[request.param]
    released = json.loads((RELEASE / name).read_text(encoding="utf-8"))
    with in_jupyterlab(browser, jupyterlab, name, released) as page:
        in_cells = axe(page, {"include": [CELLS]})
        outside = axe(page, {"exclude": [CELLS]})
        targets = [node["target"][0] for violation in outside for node in violation["nodes"]
                   if len(node["target"]) == 1]  # a target in a frame or shadow root is a list of selectors
        inside = page.evaluate("""([targets, cells]) => targets.some(
            target => [...document.querySelectorAll(target)].some(element => element.closest(cells)))""",
                               [targets, CELLS])
    return name, in_cells, outside, inside


def test_the_release_notebook_in_jupyterlab_has_no_accessibility_violation_in_its_cells(release_in_jupyterlab):
    _, in_cells, _, _ = release_in_jupyterlab
    assert not in_cells, "\n".join(described(in_cells))


def test_jupyterlabs_own_violations_are_recorded_in_a_file_not_asserted(release_in_jupyterlab, tmp_path,
                                                                         record_property):
    """Per notebook: each case of the test has its own temporary folder and JUnit properties."""
    name, _, outside, inside_a_cell = release_in_jupyterlab
    assert not inside_a_cell  # what is recorded as JupyterLab's is none of the notebook's content
    record = [{"rule": violation["id"], "impact": violation["impact"], "elements": len(violation["nodes"]),
               "help": violation["help"], "elements_html": [node["html"] for node in violation["nodes"]]}
              for violation in outside]
    (tmp_path / "jupyterlab-violations.json").write_text(json.dumps({"notebook": name, "violations": record},
                                                                    indent=1), encoding="utf-8")
    record_property("notebook", name)
    record_property("jupyterlab_violations", "; ".join(
        f"{entry['rule']} ({entry['impact']}): {entry['elements']}" for entry in record))


def test_control_an_empty_link_and_faint_text_in_the_last_markdown_cell_are_found(browser, jupyterlab):
    with in_jupyterlab(browser, jupyterlab, CONTROL_NOTEBOOK, control_notebook()) as page:
        in_cells = axe(page, {"include": [CELLS]})
    found = {(violation["id"], violation["impact"], len(violation["nodes"])) for violation in in_cells}
    assert found >= {("link-name", "serious", 1), ("color-contrast", "serious", 1)}, "\n".join(described(in_cells))
