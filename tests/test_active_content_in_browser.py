"""Nothing a submission displays runs in a browser: the formgrader, nbgrader's feedback and the kit's pages.

A student's notebook displays HTML with an `<img onerror>`, a `<script>`, `Javascript(...)`, SVG with onload, a
custom element with autofocus and onfocus (as markdown too) and a `files/javascript:` link, and holds markdown cells
with a script, a javascript: link, the custom element, and `files/javascript:` links (HTML and markdown), which
nbconvert's strip_files_prefix turns into javascript: links; another student's roster name is an `<img onerror>`.
Each payload marks the page (its title, window.__pwned) and fetches /api/contents/pwned-<student>-<n>, which with
the instructor's cookies would be the first step to running code on their machine. The class is graded with the
kit's grade command in a throwaway course; a real Jupyter server with nbgrader's formgrader, started on 127.0.0.1
by a fixture, shows the autograded notebook, and headless Chromium (Debian's, through Playwright) opens every page,
clicks every link and focuses everything focusable. The control student submitted the same notebook, autograded by
nbgrader with DisarmActiveContent taken out of the configuration, and has a roster name of markup set after grading
(where nothing cleans it): there the payloads run, which shows that the harness sees a script that runs.
"""
import contextlib
import csv
import functools
import http.server
import json
import os
import re
import threading
from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell
from nbgrader.api import Gradebook

from autograder.environment import scripts_on_path
from autograder.course import Course, succeeded
from autograder.grading.inert import DisarmActiveContent
from autograder.paths import NOTEBOOKS, ROOT
from browsers import chromium_context, jupyter_server, needs_chromium
from scratch_course import ScratchCourse

ASSIGNMENT = "step_by_step"
NOTEBOOK = NOTEBOOKS[ASSIGNMENT]
STUDENT, CONTROL = "mallory_displays_scripts", "trudy_same_notebook_not_disarmed"
ROSTER = "eve_named_like_markup"  # submitted the released notebook; her roster name is markup
# The payloads that run where nothing is disarmed, by page. Payload 4, the SVG image with onload, never does:
# nbconvert shows SVG in an <img>, where scripts do not run; nor does 13, the files/javascript: link in an HTML
# output: nbconvert strips the prefix in markdown cells only. nbgrader's feedback page loads no jQuery, which
# nbconvert's wrapper of a Javascript output calls before the payload, and prints no roster name (14).
RUN_UNDISARMED = {"formgrader": {1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 14},
                  "nbgrader feedback": {1, 2, 5, 6, 7, 8, 9, 10, 11, 12}}
NAME_PAYLOAD = 14

pytestmark = [pytest.mark.kernels,  # real kernels and a browser: left out of make test-fast
              needs_chromium]


def payload(student, n):
    """JavaScript without spaces (a markdown link's URL has none) that marks the page and calls the server's API."""
    return (f"document.title='pwned';window.__pwned=(window.__pwned||[]).concat({n});"
            f"fetch('/api/contents/pwned-{student}-{n}')")


def custom_element(script):
    """An element no sanitiser knows, which the browser focuses on load (autofocus) or when the harness tabs."""
    return f'<x-note tabindex="0" autofocus onfocus="{script}">a note</x-note>'


def scripted_cells(student):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="{}"><circle r="4"/></svg>'
    image = '<img src=x onerror="{}">'
    files_link = '<a href="files/javascript:{}">the data</a>'
    return [
        new_code_cell('print("cost after iteration 0:", round(0.69314718, 6))'),
        new_code_cell("%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.plot([0, 1], [1, 0.2])\nplt.show()"),
        new_code_cell("from IPython.display import HTML, SVG, Javascript, display\n"
                      f"display(HTML({image.format(payload(student, 1))!r}))"),
        new_code_cell(f"display(HTML({f'<b>cost</b><script>{payload(student, 2)}</script>'!r}))"),
        new_code_cell(f"display(Javascript({payload(student, 3)!r}))"),
        new_code_cell(f"display(SVG({svg.format(payload(student, 4))!r}))"),
        new_code_cell(f"display(HTML({svg.format(payload(student, 5))!r}))"),
        new_markdown_cell(f"My notes.\n\n<script>{payload(student, 6)}</script>\n\n"
                          f"{image.format(payload(student, 7))}\n\n[see here](javascript:{payload(student, 8)})"),
        new_markdown_cell(f"A note:\n\n{custom_element(payload(student, 9))}"),
        new_code_cell("from IPython.display import Markdown\n"
                      f"display(Markdown({custom_element(payload(student, 10))!r}))"),
        new_markdown_cell(f"Read {files_link.format(payload(student, 11))} and [the notes](files/javascript:"
                          f"{payload(student, 12)})."),
        new_code_cell(f"display(HTML({files_link.format(payload(student, 13))!r}))"),
    ]


def submission(course, student):
    notebook = course.release_notebook(ASSIGNMENT)
    notebook["cells"] += [dict(cell) for cell in scripted_cells(student)]
    return notebook


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A course whose class is graded with the kit's grade command; the control student is then autograded again
    by nbgrader without DisarmActiveContent. Feedback from nbgrader for both."""
    course = ScratchCourse(tmp_path_factory.mktemp("course"))
    for student in (STUDENT, CONTROL):
        course.submit(student, ASSIGNMENT, submission(course, student))
    course.submit(ROSTER, ASSIGNMENT, course.release_notebook(ASSIGNMENT))
    name_like_markup(course, ROSTER, payload(ROSTER, NAME_PAYLOAD))
    course.grade(ASSIGNMENT)
    preprocessors = course.course.config.Autograde.autograde_preprocessors
    undisarmed = course.course.api(Autograde={"autograde_preprocessors": [
        preprocessor for preprocessor in preprocessors if preprocessor is not DisarmActiveContent]})
    succeeded(undisarmed.autograde(ASSIGNMENT, CONTROL, force=True), f"autograde {CONTROL}")
    api = course.course.api()
    for student in (STUDENT, CONTROL):
        succeeded(api.generate_feedback(ASSIGNMENT, student, force=True), f"generate_feedback {student}")
    name_like_markup(course, CONTROL, payload(CONTROL, NAME_PAYLOAD))  # after grading: nothing cleans it
    return course


def name_like_markup(course, student, script):
    """Give `student` a roster name that is markup, as `nbgrader db student import` stores a roster's names."""
    name = f'<img src=x onerror="{script}">'
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gradebook:
        gradebook.update_or_create_student(student, first_name=name, last_name=name)


def test_the_configuration_disarms_after_execution_and_before_the_notebook_is_saved():
    names = [preprocessor.__name__ for preprocessor in Course.at(ROOT).config.Autograde.autograde_preprocessors]
    assert names.index("GradeInKernel") < names.index("DisarmActiveContent") < names.index("SaveAutoGrades")


@pytest.fixture(scope="module")
def formgrader(graded, tmp_path_factory):
    """A Jupyter server with nbgrader's formgrader on 127.0.0.1, rooted at the course: (base URL, token, its log)."""
    home = tmp_path_factory.mktemp("jupyter")
    log = home / "server.log"
    environment = scripts_on_path(dict(os.environ, JUPYTER_RUNTIME_DIR=str(home / "runtime"),
                                       JUPYTER_CONFIG_DIR=str(home / "config")))
    with jupyter_server("jupyter-server", graded.root, environment, log) as (base, token):
        yield base, token, log


class _QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # the test reads the browser's requests, not this log
        pass


@pytest.fixture(scope="module")
def files(graded):
    """The course folder over HTTP on 127.0.0.1 (pages opened from file:// could not fetch a URL): its base URL."""
    handler = functools.partial(_QuietFiles, directory=str(graded.root))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            thread.join()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium_context(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


# Every link is clicked as the browser resolved it (a href the page ends up with only after nbconvert's rewrites,
# or hidden with whitespace, is a javascript: link all the same); one that would leave the page is not followed,
# so that the page's marks stay readable, and every element that can take focus is focused, as tabbing would.
CLICK_AND_FOCUS_EVERYTHING = """() => {
    document.addEventListener("click", event => {
        const link = event.target.closest("a");
        if (link && link.protocol !== "javascript:") event.preventDefault();
    }, true);
    document.querySelectorAll("a").forEach(link => link.click());
    document.querySelectorAll("[tabindex], a[href], input, button, select, textarea, summary").forEach(
        element => element.focus());
}"""


@contextlib.contextmanager
def opened(browser, url):
    """The page at `url`, loaded, every link clicked and everything focusable focused; yields (page, URLs it
    requested). Requests that leave 127.0.0.1 (MathJax from a CDN) are refused."""
    page, requested = browser.new_page(), []
    page.on("request", lambda request: requested.append(request.url))
    page.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/])"), lambda route: route.abort())
    try:
        page.goto(url, wait_until="load")
        page.evaluate(CLICK_AND_FOCUS_EVERYTHING)
        page.wait_for_load_state("networkidle")
        yield page, requested
    finally:
        page.close()


def ran(page, requested, student):
    """Which payloads ran on the page: those that marked it, or asked the server for their path."""
    marked = set(page.evaluate("window.__pwned || []"))
    fetched = {int(match.group(1)) for url in requested for match in [re.search(rf"/pwned-{student}-(\d+)", url)]
               if match}
    return marked | fetched | ({0} if page.title() == "pwned" else set())


def formgrader_url(course, formgrader, student):
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gradebook:
        submission_id = gradebook.find_submission_notebook(Path(NOTEBOOK).stem, ASSIGNMENT, student).id
    base, token, _ = formgrader
    return f"{base}/formgrader/submissions/{submission_id}/?token={token}"


def nbgrader_feedback_url(files, student):
    return f"{files}/feedback/{student}/{ASSIGNMENT}/{Path(NOTEBOOK).stem}.html"


def test_the_formgrader_shows_the_graded_notebook_and_none_of_its_scripts_run(graded, formgrader, browser):
    with opened(browser, formgrader_url(graded, formgrader, STUDENT)) as (page, requested):
        assert ran(page, requested, STUDENT) == set()
        assert page.evaluate('[...document.links].filter(link => link.protocol === "javascript:").length') == 0
        assert page.locator("x-note, [onfocus], [autofocus]").count() == 0
        assert page.get_by_text("cost after iteration 0: 0.693147").count() == 1
        assert page.locator('img[src^="data:image/png;base64,"]').count() >= 1  # the matplotlib figure
        for text in ("My notes.", "a note", "the data", "the notes"):  # what the sanitiser kept of the markdown
            assert page.get_by_text(text, exact=True).count() >= 1, text
    assert f"pwned-{STUDENT}" not in formgrader[2].read_text()  # the server's own log: no such request came


def test_the_formgrader_prints_a_roster_name_that_was_markup_as_nothing_that_runs(graded, formgrader, browser):
    with opened(browser, formgrader_url(graded, formgrader, ROSTER)) as (page, requested):
        assert ran(page, requested, ROSTER) == set()
    assert f"pwned-{ROSTER}" not in formgrader[2].read_text()


def test_control_in_the_formgrader_the_scripts_of_the_notebook_not_disarmed_run(graded, formgrader, browser):
    with opened(browser, formgrader_url(graded, formgrader, CONTROL)) as (page, requested):
        assert ran(page, requested, CONTROL) >= RUN_UNDISARMED["formgrader"] | {0}
    assert f"/api/contents/pwned-{CONTROL}-1" in formgrader[2].read_text()  # it reached the instructor's server


def test_nbgrader_feedback_shows_the_notebook_and_none_of_its_scripts_run(graded, files, browser):
    with opened(browser, nbgrader_feedback_url(files, STUDENT)) as (page, requested):
        assert ran(page, requested, STUDENT) == set()
        assert page.get_by_text("cost after iteration 0: 0.693147").count() == 1
        assert page.locator('img[src^="data:image/png;base64,"]').count() >= 1


def test_control_in_nbgrader_feedback_the_scripts_of_the_notebook_not_disarmed_run(graded, files, browser):
    with opened(browser, nbgrader_feedback_url(files, CONTROL)) as (page, requested):
        assert ran(page, requested, CONTROL) >= RUN_UNDISARMED["nbgrader feedback"] | {0}


@pytest.mark.parametrize("page_path", [f"grades/{ASSIGNMENT}/feedback/{STUDENT}.html",
                                       f"grades/{ASSIGNMENT}/feedback/{CONTROL}.html",
                                       f"grades/{ASSIGNMENT}/report.html"])
def test_the_kits_pages_show_the_notice_as_text_and_run_nothing(graded, files, browser, page_path):
    with opened(browser, f"{files}/{page_path}") as (page, requested):
        assert ran(page, requested, STUDENT) == ran(page, requested, CONTROL) == ran(page, requested, ROSTER) == set()
        assert page.get_by_text("2 <script> elements", exact=False).count() >= 1


def test_totals_csv_says_what_was_removed_from_the_students_notebook(graded):
    with open(graded.root / "grades" / ASSIGNMENT / "totals.csv", newline="", encoding="utf-8") as handle:
        attention = {row["student_id"]: row["needs_attention"] for row in csv.DictReader(handle)}
    prefix = f"{NOTEBOOK}: removed active content from the notebook's output and cells: "
    assert attention[STUDENT].startswith(prefix), attention[STUDENT]
    shown = dict((what, int(count)) for count, what in
                 (item.split(" ", 1) for item in attention[STUDENT][len(prefix):].split(", ")))
    removed = {"href attributes": 4, "markdown cells (sanitised)": 3,  # the javascript: links, 3 from files/ ones
               "<script> elements": 2, "onerror attributes": 2, "<x-note> elements": 2, "tabindex attributes": 2,
               "autofocus attributes": 2, "onfocus attributes": 2,  # the custom element, in a cell and as markdown
               "JavaScript output": 1, "SVG image": 1, "<svg> element": 1, "onload attribute": 1,
               "xmlns attribute": 1, "<circle> element": 1, "r attribute": 1}
    assert shown.pop("more kinds") == len(removed) - len(shown) == len(removed) - 12  # the notice names a dozen
    assert shown.items() <= removed.items() and {"href attributes", "markdown cells (sanitised)"} <= shown.keys()


def test_the_graded_notebook_keeps_the_printed_text_and_the_figure(graded):
    notebook = json.loads((graded.root / "autograded" / STUDENT / ASSIGNMENT / NOTEBOOK).read_text("utf-8"))
    outputs = [output for cell in notebook["cells"] if cell["cell_type"] == "code" for output in cell["outputs"]]
    assert any("cost after iteration 0: 0.693147" in "".join(output.get("text", "")) for output in outputs)
    assert any("image/png" in output.get("data", {}) for output in outputs)
    assert {"<b>cost</b>"} <= {"".join(output["data"]["text/html"]) for output in outputs
                               if "text/html" in output.get("data", {})}
