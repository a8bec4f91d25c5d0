"""DisarmActiveContent: what a submission displayed, and the markdown it holds, made inert before it is saved.

Fast tests of the preprocessor's contract, on notebooks built here; tests/test_active_content_in_browser.py
grades real submissions and opens the pages in a browser.
"""
import base64
import copy
import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

from autograder.grading.inert import DisarmActiveContent, RemovedContent, markdown_removals, sanitise

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(32)).decode() + "\n"
JPEG = base64.b64encode(b"\xff\xd8\xff\xe0" + bytes(16)).decode()


def disarm(*cells, **metadata):
    notebook = new_notebook(metadata=metadata)
    notebook.cells = list(cells)
    notebook, resources = DisarmActiveContent().preprocess(notebook, {})
    return notebook, resources["autograder"]["removed"]


def display(data, metadata=None):
    return new_output("display_data", data=data, metadata=metadata or {})


def test_print_text_errors_and_matplotlib_figures_are_kept_as_they_were():
    outputs = [new_output("stream", name="stdout", text="cost after iteration 0: 0.693\n"),
               new_output("stream", name="stderr", text="a warning\n"),
               display({"image/png": PNG, "text/plain": "<Figure size 640x480 with 1 Axes>"},
                       {"image/png": {"width": 640, "height": 480}}),
               new_output("execute_result", data={"image/jpeg": JPEG, "text/plain": "<image>"}, execution_count=3),
               new_output("error", ename="ValueError", evalue="shapes (3,4) and (5,1)", traceback=["Traceback..."])]
    cell = new_code_cell("print(cost)", outputs=copy.deepcopy(outputs), execution_count=3)
    notebook, removed = disarm(cell)
    assert notebook.cells[0].outputs == outputs
    assert not removed and str(removed) == ""


PAYLOAD = "document.title='pwned'; fetch('/api/contents/pwned')"


@pytest.mark.parametrize("data, kept, removed", [
    ({"application/javascript": PAYLOAD, "text/plain": "<Javascript>"}, {"text/plain": "<Javascript>"},
     {"JavaScript output": 1}),
    ({"text/html": f'<img src=x onerror="{PAYLOAD}">'}, {"text/html": '<img src="x">'}, {"onerror attribute": 1}),
    ({"text/html": f"<b>bold</b><script>{PAYLOAD}</script>"}, {"text/html": "<b>bold</b>"}, {"<script> element": 1}),
    ({"text/html": f'<svg onload="{PAYLOAD}"><circle r="4"/></svg>'}, {"text/html": ""},
     {"<svg> element": 1, "onload attribute": 1}),
    ({"text/html": f'<a href="java&#x09;script:{PAYLOAD}">x</a>'}, {"text/html": '<a rel="noopener noreferrer">x</a>'},
     {"href attribute": 1}),
    ({"image/svg+xml": f'<svg onload="{PAYLOAD}"/>', "text/plain": "<SVG>"}, {"text/plain": "<SVG>"},
     {"SVG image": 1}),
    ({"application/vnd.jupyter.widget-view+json": {"model_id": "1"}, "text/plain": "IntSlider()"},
     {"text/plain": "IntSlider()"}, {"widget": 1}),
    ({"application/x-made-up": "x", "text/plain": "x"}, {"text/plain": "x"}, {"application/x-made-up output": 1}),
    ({"image/png": f'"><script>{PAYLOAD}</script>', "text/plain": "<Figure>"}, {"text/plain": "<Figure>"},
     {"malformed image": 1}),
    ({"text/markdown": f"<script>{PAYLOAD}</script>", "text/plain": "md"}, {"text/plain": "md"},
     {"<script> element": 1}),
])
def test_active_output_is_sanitised_or_dropped_and_counted(data, kept, removed):
    notebook, report = disarm(new_code_cell("display(x)", outputs=[display(data)]))
    assert notebook.cells[0].outputs[0].data == kept
    assert dict(report.counts) == removed


def test_an_output_with_nothing_left_is_dropped():
    notebook, report = disarm(new_code_cell("display(Javascript(x))", outputs=[display({"application/javascript": "x"})]))
    assert notebook.cells[0].outputs == [] and str(report) == "1 JavaScript output"


def test_a_table_keeps_its_presentation_and_nothing_is_reported():
    table = '<table border="1" class="dataframe"><tr><td style="text-align: right;">0.5</td></tr></table>'
    notebook, report = disarm(new_code_cell("df", outputs=[display({"text/html": table})]))
    assert 'class="dataframe"' in notebook.cells[0].outputs[0].data["text/html"] and not report


def test_image_metadata_keeps_only_numeric_sizes_since_nbconvert_writes_them_unquoted():
    metadata = {"image/png": {"width": f"1 onerror={PAYLOAD}", "height": 20, "unconfined": True},
                "text/html": {"isolated": True}}
    notebook, _ = disarm(new_code_cell("plot", outputs=[display({"image/png": PNG}, metadata)]))
    assert notebook.cells[0].outputs[0].metadata == {"image/png": {"height": 20}}


def test_an_output_of_an_unknown_type_is_dropped():
    cell = new_code_cell("x")
    cell.outputs = [nbformat.from_dict({"output_type": "evil", "data": {}})]
    notebook, report = disarm(cell)
    assert notebook.cells[0].outputs == [] and str(report) == "1 'evil' output"


@pytest.mark.parametrize("source, removed", [
    (f"Look:\n\n<script>{PAYLOAD}</script>", "<script> element"),
    ("[click me](javascript:fetch('/api/contents/pwned'))", "href attribute"),
    (f'<img src=x onerror="{PAYLOAD}">', "onerror attribute"),
    (f'<!-- --!><img src=x onerror="{PAYLOAD}"> -->', "onerror attribute"),  # a comment browsers end early
])
def test_markdown_with_active_content_is_shown_as_the_text_the_student_wrote(source, removed):
    notebook, report = disarm(new_markdown_cell(source))
    shown = notebook.cells[0].source
    assert source in shown and shown.startswith("*The grader shows this markdown cell as text")
    assert not markdown_removals(shown)
    assert dict(report.counts) == {removed: 1, "markdown cell (shown as text)": 1}


def test_the_course_markdown_is_left_exactly_as_released(course):
    released = nbformat.reads(json.dumps(course.release_notebook("step_by_step")), as_version=4)
    markdown = [cell for cell in released.cells if cell.cell_type == "markdown"]
    notebook, report = disarm(*copy.deepcopy(markdown))
    assert notebook.cells == markdown and not report


def test_a_raw_cell_nbconvert_would_copy_into_the_page_is_sanitised():
    notebook, report = disarm(new_raw_cell(f"<p>notes</p><script>{PAYLOAD}</script>"))
    assert notebook.cells[0].source == "<p>notes</p>"
    assert dict(report.counts) == {"<script> element": 1, "raw cell (sanitised)": 1}


def test_attachments_keep_raster_images_only():
    cell = new_markdown_cell("![a](attachment:a.png) ![b](attachment:b.svg)")
    cell.attachments = {"a.png": {"image/png": PNG}, "b.svg": {"image/svg+xml": f'<svg onload="{PAYLOAD}"/>'}}
    notebook, report = disarm(cell)
    assert notebook.cells[0].attachments == {"a.png": {"image/png": PNG}}
    assert notebook.cells[0].source.startswith("*The grader shows this markdown cell as text")  # b.svg is gone
    assert dict(report.counts) == {"attachment": 1, "link to a missing attachment": 1, "markdown cell (shown as text)": 1}


def test_widget_state_goes_from_the_notebook_and_cell_metadata():
    cell = new_code_cell("slider")
    cell.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    notebook, report = disarm(cell, widgets={"application/vnd.jupyter.widget-state+json": {"state": {}}})
    assert "widgets" not in notebook.metadata and "widgets" not in notebook.cells[0].metadata
    assert dict(report.counts) == {"notebook widget state": 1, "cell widget state": 1}


def test_the_notice_counts_each_kind_and_names_the_notebook():
    report = RemovedContent.of({"JavaScript output": 1, "<script> element": 2, "markdown cell (shown as text)": 2})
    assert report.notice("n.ipynb") == ("n.ipynb: removed active content from the notebook's output and cells: "
                                        "2 <script> elements, 2 markdown cells (shown as text), 1 JavaScript output")


def test_the_notice_names_at_most_a_dozen_kinds():
    report = RemovedContent.of({f"application/x-{n} output": 1 for n in range(20)})
    assert str(report).count("application/x-") == 12 and str(report).endswith(", 8 more kinds")


def test_sanitise_reports_nothing_for_plain_markup():
    assert sanitise("<p>A <em>deep</em> network, <code>W1 @ X</code></p>")[1] == {}
