"""The course on its JupyterHub, as its people use it in a browser, from login to the feedback page.

`python -m autograder.hub setup` makes the hub as `make hub` does (the shared environment, the proxy, the exchange,
the trial roster's accounts, the instructors' course), but with the accounts in copies of /etc's account files, so
the machine gains no user: the hub, and every command run as one of its people, see those copies over /etc. A
fixture starts the hub on 127.0.0.1 and stops it with every server it started. Headless Chromium (Debian's, through
Playwright) then plays a week of the course:

- Amara logs in with her password, fetches step_by_step from the Assignment List, opens the notebook, writes two
  functions (the second without the 0.01 factor), runs their checks, validates and submits;
- Bruno writes the first function, and submits;
- Ines, the instructor, opens the formgrader, collects both submissions, grades them with the kit's command and
  releases the feedback from the formgrader;
- each student fetches their feedback and opens the kit's page.

Each step keeps a screenshot; when a test fails they are written to build/test-screenshots/course_hub/.
"""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from autograder.hub.__main__ import TRIAL_ROSTER, hub_command, setup
from autograder.hub.accounts import Accounts, read_roster
from autograder.grading.gradecells import graded_cells
from autograder.hub.layout import Layout
from autograder.paths import NOTEBOOKS, ROOT, source_notebook
from browsers import chromium, free_port, needs_chromium

ASSIGNMENT = "step_by_step"
NOTEBOOK = Path(NOTEBOOKS[ASSIGNMENT]).stem
INSTRUCTOR, STUDENT, OTHER = "ines", "amara", "bruno"
POINTS = {cell.function: cell.points for cell in graded_cells(source_notebook(ASSIGNMENT))}
SCREENSHOTS = ROOT / "build" / "test-screenshots" / "course_hub"

pytestmark = [
    pytest.mark.kernels,  # a hub, JupyterLab servers, kernels and a browser: left out of make test-fast
    pytest.mark.skipif(os.geteuid() != 0, reason="the hub starts each user's server as that user: run as root"),
    needs_chromium,
    pytest.mark.skipif(shutil.which("npm") is None or shutil.which("bwrap") is None,
                       reason="needs npm (the proxy) and bubblewrap (make hub-packages, make sandbox)"),
    pytest.mark.skipif(shutil.which("node") is not None and subprocess.run(
        ["node", "-e", "process.exit(Number(process.versions.node.split('.')[0]) < 20 ? 1 : 0)"]).returncode != 0,
                       reason="the hub's proxy needs Node.js 20 or later (Debian 12's is 18)"),
]

INITIALIZE_PARAMETERS = '''def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(1)
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}'''

INITIALIZE_PARAMETERS_DEEP = '''def initialize_parameters_deep(layer_dims):
    np.random.seed(3)
    return {name: value for l in range(1, len(layer_dims))
            for name, value in ((f"W{l}", np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01),
                                (f"b{l}", np.zeros((layer_dims[l], 1))))}'''

# The weights are not scaled by 0.01: they come out 100 times too large.
INITIALIZE_PARAMETERS_DEEP_UNSCALED = '''def initialize_parameters_deep(layer_dims):
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters'''


class Hub:
    """The running hub: its layout, its accounts, its people's passwords, and the URL users open."""

    def __init__(self, layout, accounts, passwords, port, server, top):
        self.layout, self.accounts, self.passwords = layout, accounts, passwords
        self.url = f"http://localhost:{port}"
        self.server, self.top = server, top

    def stop(self):
        """Stop the hub as Ctrl-C would; whether every process it started has ended within a minute."""
        return _stop(self.server, self.top)

    def run_as(self, name, *args, cwd=None):
        return self.accounts.run_as(name, [str(arg) for arg in args], self.layout.venv / "bin", cwd=cwd)


@pytest.fixture(scope="module")
def hub():
    top = Path(tempfile.mkdtemp(prefix="kit-hub-"))
    top.chmod(0o755)  # the homes are inside: every user passes through
    server = None
    try:
        layout, accounts = Layout(top / "course-hub"), Accounts(top / "accounts" / "etc")
        people = read_roster(TRIAL_ROSTER)
        passwords = setup(layout, accounts, people, top / "home", say=lambda message: None)
        ports = {"KIT_HUB_PORT": free_port(), "KIT_HUB_API_PORT": free_port(), "KIT_PROXY_API_PORT": free_port()}
        environment = {"PATH": f"{layout.venv / 'bin'}:/usr/bin:/bin", "LANG": "C.UTF-8",
                       "KIT_HUB_PREFIX": str(layout.prefix), **{name: str(port) for name, port in ports.items()}}
        log = open(top / "hub.log", "w")
        server = subprocess.Popen(hub_command(layout, accounts), cwd=layout.state, env=environment, stdout=log,
                                  stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        hub = Hub(layout, accounts, passwords, ports["KIT_HUB_PORT"], server, top)
        _wait_for(f"http://127.0.0.1:{ports['KIT_HUB_PORT']}/hub/login", server, top / "hub.log")
        yield hub
    finally:
        if server is not None and server.returncode is None:
            _stop(server, top)
        subprocess.run(["pkill", "-KILL", "-f", str(top)], capture_output=True)  # what a failed stop left
        shutil.rmtree(top, ignore_errors=True)


def _stop(server, top, seconds=60):
    """Interrupt the hub's process group as Ctrl-C does: the hub stops every user's server and the proxy. (The hub
    runs under bubblewrap, which a signal of its own would end without its child.) Whether nothing runs from the
    hub's folder a minute later."""
    os.killpg(server.pid, signal.SIGINT)
    server.wait()
    deadline = time.monotonic() + seconds
    while _running_from(top) and time.monotonic() < deadline:
        time.sleep(0.5)
    return not _running_from(top)


def _running_from(folder):
    return subprocess.run(["pgrep", "-f", str(folder)], capture_output=True).returncode == 0


def _wait_for(url, server, log, seconds=120):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the hub did not start:\n{log.read_text()[-3000:]}") from None
            time.sleep(0.5)


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


class Screenshots:
    """A screenshot of each step, written out only if a test of the module fails."""

    def __init__(self):
        self.taken = []

    def take(self, page, step):
        try:
            self.taken.append((f"{len(self.taken):02d}-{step}.png", page.screenshot(full_page=False)))
        except Exception:  # a page that is gone has nothing to show; the test's own error says why
            pass

    def write(self):
        shutil.rmtree(SCREENSHOTS, ignore_errors=True)
        SCREENSHOTS.mkdir(parents=True)
        for name, image in self.taken:
            (SCREENSHOTS / name).write_bytes(image)


@pytest.fixture(scope="module")
def screenshots(request):
    shots = Screenshots()
    failed_before = request.session.testsfailed
    yield shots
    if request.session.testsfailed > failed_before:
        shots.write()


class Person:
    """One person's browser session on the hub."""

    def __init__(self, hub, browser, screenshots, name):
        self.hub, self.name, self.screenshots = hub, name, screenshots
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()

    def shot(self, step):
        self.screenshots.take(self.page, f"{self.name}-{step}")

    def log_in(self):
        page = self.page
        page.goto(f"{self.hub.url}/hub/login")
        page.fill("#username_input", self.name)
        page.fill("#password_input", self.hub.passwords[self.name])
        page.click("#login_submit")
        page.wait_for_selector("#jp-main-dock-panel", timeout=180_000)
        self.shot("logged-in")

    def nbgrader_menu(self):
        self.page.click("#jp-MainMenu >> text=Nbgrader")
        items = self.page.locator(".lm-Menu-itemLabel").all_inner_texts()
        self.page.keyboard.press("Escape")
        return [item for item in items if item.strip()]

    def open_from_menu(self, item, seconds=120):
        """Choose Nbgrader > `item`, once JupyterLab's plugins have put it there."""
        deadline = time.monotonic() + seconds
        while True:
            self.page.click("#jp-MainMenu >> text=Nbgrader")
            entry = self.page.locator(f".lm-Menu .lm-Menu-itemLabel:text-is('{item}')")
            try:
                entry.wait_for(timeout=2_000)
                entry.click()
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                self.page.keyboard.press("Escape")
                self.page.wait_for_timeout(1_000)

    def assignment_list(self):
        self.open_from_menu("Assignment List")
        self.page.wait_for_selector("#released_assignments_list, #fetched_assignments_list", timeout=60_000)
        return self.page

    def fetch(self):
        page = self.assignment_list()
        page.click("#released_assignments_list button:has-text('Fetch')", timeout=60_000)
        page.wait_for_selector(f"#fetched_assignments_list >> text={ASSIGNMENT}", timeout=60_000)
        self.shot("fetched")

    def open_notebook(self):
        page = self.page
        page.click("#fetched_assignments_list a.assignment-notebooks-link")
        page.click(f"#fetched_assignments_list a:text-is('{NOTEBOOK}')")
        page.wait_for_selector(".jp-NotebookPanel .cm-content:has-text('def initialize_parameters')", timeout=120_000)
        self.shot("notebook")

    def cell(self, index):
        return self.page.locator(".jp-NotebookPanel .jp-Cell").nth(index)

    def cell_index(self, source_start):
        """The index of the first cell whose code starts with `source_start`."""
        sources = self.page.locator(".jp-NotebookPanel .jp-Cell").evaluate_all(
            "cells => cells.map(cell => cell.querySelector('.cm-content')?.textContent ?? '')")
        for index, text in enumerate(sources):
            if text.lstrip().startswith(source_start):
                return index
        raise AssertionError(f"{self.name}'s notebook shows no cell starting {source_start!r}")

    def write_cell(self, function_source):
        """Replace the solution cell of the function `function_source` defines with it, as if typed."""
        index = self.cell_index(function_source.split("(")[0])
        self.cell(index).locator(".cm-content").click()
        self.page.keyboard.press("Control+a")
        self.page.keyboard.insert_text(function_source)
        return index

    def run_cells(self, first, last):
        """Run cells first..last one after another (Shift+Enter), waiting for the last one's output."""
        self.cell(first).locator(".jp-InputArea").click()
        self.page.keyboard.press("Escape")  # command mode: Shift+Enter runs the selected cell and moves on
        for _ in range(first, last + 1):
            self.page.keyboard.press("Shift+Enter")
        self.cell(last).locator(".jp-OutputArea-output").first.wait_for(timeout=120_000)
        self.page.wait_for_function("() => ![...document.querySelectorAll('.jp-NotebookPanel .jp-InputPrompt')]"
                                    ".some(prompt => prompt.innerText.includes('*'))", timeout=120_000)
        self.shot("ran")
        return self.cell(last).locator(".jp-OutputArea").inner_text()

    def save(self):
        self.page.keyboard.press("Control+s")
        self.page.wait_for_function(
            "() => !document.querySelector('.jp-NotebookPanel.jp-mod-current .jp-mod-dirty, "
            "li.lm-TabBar-tab.jp-mod-current.jp-mod-dirty')", timeout=30_000)

    def validate(self):
        page = self.page
        page.locator(".jp-NotebookPanel-toolbar").get_by_text("Validate").click()
        dialog = page.locator(".jp-Dialog")
        dialog.wait_for(timeout=300_000)
        self.shot("validated")
        text = dialog.inner_text()
        dialog.get_by_role("button").last.click()
        return text

    def submit(self):
        page = self.assignment_list()
        page.click("#fetched_assignments_list button:has-text('Submit')")
        page.wait_for_selector("#submitted_assignments_list .list_item", timeout=120_000)
        self.shot("submitted")
        return page.locator("#submitted_assignments_list").inner_text()

    def fetch_feedback(self):
        """Fetch the feedback in the Assignment List, follow its link to the folder and open the page there."""
        page = self.assignment_list()
        page.click("#submitted_assignments_list button:has-text('Fetch Feedback')", timeout=60_000)
        link = page.locator("#submitted_assignments_list a:has-text('view feedback')").first
        link.wait_for(timeout=120_000)
        link.click()  # the file browser goes to the feedback's folder
        page.locator(f".jp-DirListing-item:has-text('{NOTEBOOK}.html')").dblclick(timeout=60_000)
        viewer = page.locator(".jp-HTMLViewer iframe").last
        viewer.wait_for(timeout=60_000)
        body = viewer.content_frame.locator("body")
        body.wait_for(timeout=60_000)
        self.shot("feedback-page")
        return body.inner_text()

    def status(self, url):
        """The HTTP status of what this person's browser shows for `url`, after the hub's redirects."""
        tab = self.context.new_page()
        try:
            return tab.goto(url).status
        finally:
            tab.close()

    def close(self):
        self.context.close()


def _formgrader_frame(person):
    person.open_from_menu("Formgrader")
    deadline, problem = time.monotonic() + 120, None
    while time.monotonic() < deadline:
        for frame in person.page.frames:
            if "/formgrader" in frame.url:
                try:
                    frame.locator("h1:has-text('Manage Assignments')").wait_for(timeout=5_000)
                    return frame
                except Exception as error:  # still loading, or navigating
                    problem = error
        person.page.wait_for_timeout(500)  # (not time.sleep: Playwright learns of new frames while it waits)
    person.shot("formgrader")
    raise AssertionError(f"the formgrader did not show in the instructor's JupyterLab (frames: "
                         f"{[frame.url for frame in person.page.frames]}; last problem: {problem})")


def _formgrader_button(frame, assignment, column):
    """Press the formgrader's button in the column `column` (its class) of `assignment`'s row; what it then says."""
    frame.locator(f"tr:has(td.name:has-text('{assignment}')) td.{column} a").click()
    dialog = frame.locator(".modal.in .modal-dialog")
    dialog.wait_for(timeout=180_000)
    text = dialog.inner_text()
    dialog.locator(".modal-footer button").last.click()
    dialog.wait_for(state="detached", timeout=30_000)
    return text


@pytest.fixture(scope="module")
def week(hub, browser, screenshots):
    """The course's week, step by step; what each person saw, by step."""
    seen = {}
    amara = Person(hub, browser, screenshots, STUDENT)
    amara.log_in()
    amara.fetch()
    amara.open_notebook()
    seen["student menu"] = amara.nbgrader_menu()  # now that every plugin of JupyterLab has started
    amara.write_cell(INITIALIZE_PARAMETERS)
    deep = amara.write_cell(INITIALIZE_PARAMETERS_DEEP_UNSCALED)
    imports = amara.cell_index("import numpy")
    seen["first check"] = amara.run_cells(imports, amara.cell_index('check("initialize_parameters"')).strip()
    seen["second check"] = amara.run_cells(deep, deep + 1).strip()
    amara.save()
    seen["validate"] = amara.validate()
    seen["submitted"] = amara.submit()

    bruno = Person(hub, browser, screenshots, OTHER)
    bruno.log_in()
    bruno.fetch()
    bruno.open_notebook()
    bruno.write_cell(INITIALIZE_PARAMETERS)
    bruno.write_cell(INITIALIZE_PARAMETERS_DEEP)
    bruno.save()
    bruno.submit()

    ines = Person(hub, browser, screenshots, INSTRUCTOR)
    ines.log_in()
    formgrader = _formgrader_frame(ines)
    seen["instructor menu"] = ines.nbgrader_menu()
    ines.shot("formgrader")
    seen["collect"] = _formgrader_button(formgrader, ASSIGNMENT, "collect")
    course = hub.accounts.home(INSTRUCTOR) / "course"
    graded = hub.run_as(INSTRUCTOR, hub.layout.python, "-m", "autograder", "grade", "submitted",
                        "--assignment", ASSIGNMENT, "--workers", "2", cwd=course)
    seen["grade"] = graded.stdout
    seen["release feedback"] = _formgrader_button(formgrader, ASSIGNMENT, "release-feedback")
    ines.shot("feedback-released")

    for person in (amara, bruno):
        seen[f"{person.name} feedback"] = person.fetch_feedback()

    seen["student formgrader"] = amara.status(f"{hub.url}/user/{STUDENT}/formgrader")
    seen["other's server"] = amara.status(f"{hub.url}/user/{OTHER}/api/contents")
    for person in (amara, bruno, ines):
        person.close()
    return seen


def test_a_student_sees_the_assignment_list_but_no_instructor_tool(week):
    assert week["student menu"] == ["Assignment List"]


def test_a_students_checks_show_what_passed_and_name_the_mistake(week):
    assert "✔ parameters" in week["first check"] and "All checks passed." in week["first check"]
    second = week["second check"]
    assert "✘ parameters['W1']" in second
    assert "100 times too large" in second and "0.01" in second


def test_validate_names_the_same_mistake_and_the_functions_not_written_yet(week):
    result = week["validate"]
    assert "100 times too large" in result
    assert "linear_forward is not written yet" in result
    assert "initialize_parameters is not written yet" not in result


def test_the_submission_is_listed_with_its_time(week):
    assert ASSIGNMENT in week["submitted"] and "UTC" in week["submitted"]


def test_the_instructor_sees_the_formgrader_and_collects_both_submissions(week):
    assert {"Assignment List", "Formgrader"} <= set(week["instructor menu"])
    assert STUDENT in week["collect"] and OTHER in week["collect"]


def test_the_kits_grade_command_grades_the_collected_class(week):
    assert STUDENT in week["grade"] and OTHER in week["grade"]


def test_each_student_opens_the_kits_page_with_their_own_score_only(week):
    amara, bruno = week[f"{STUDENT} feedback"], week[f"{OTHER} feedback"]
    total = sum(POINTS.values())
    amaras = POINTS["initialize_parameters"]
    brunos = amaras + POINTS["initialize_parameters_deep"]
    assert f"feedback for Amara Okafor ({STUDENT})" in amara and "Bruno" not in amara
    assert f"feedback for Bruno Lindqvist ({OTHER})" in bruno and "Amara" not in bruno
    assert f"Score: {amaras:g} / {total:g}" in amara and f"Score: {brunos:g} / {total:g}" in bruno
    assert "100 times too large" in amara and "100 times too large" not in bruno


def test_a_student_cannot_open_the_formgrader_nor_another_students_server(week):
    assert week["student formgrader"] == 404
    assert week["other's server"] in (403, 404)


def test_every_users_kernel_runs_one_blas_thread(hub):
    kernel = json.loads((hub.layout.venv / "share" / "jupyter" / "kernels" / "python3" / "kernel.json").read_text())
    assert kernel["argv"][0] == str(hub.layout.python)
    assert {kernel["env"][name] for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")} == {"1"}


def test_a_student_cannot_read_another_students_home_nor_the_course(hub, week):
    for target in (hub.accounts.home(OTHER), hub.layout.course):
        listing = subprocess.run(hub.accounts.as_user(STUDENT, ["ls", str(target)]), capture_output=True, text=True)
        assert listing.returncode != 0 and "Permission denied" in listing.stderr


def test_stopping_the_hub_stops_every_server_it_started_and_the_proxy(hub, week):
    """The last test of the module: the fixture would stop the hub next."""
    assert _running_from(hub.layout.proxy.parents[2]) and _running_from(hub.layout.venv)
    assert hub.stop()
