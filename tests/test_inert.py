"""DisarmActiveContent: what a submission displayed, and the markdown it holds, made inert before it is saved.

Fast tests of the preprocessor's contract, on notebooks built here; tests/test_active_content_in_browser.py
grades real submissions and opens the pages in a browser.
"""
import base64
import copy
import json
import re
from html.parser import HTMLParser

import nbformat
import nh3
import pytest
from hypothesis import given, settings, strategies
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

from autograder.grading.inert import DisarmActiveContent, RemovedContent, sanitise, shown_html

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
     {"<svg> element": 1, "onload attribute": 1, "<circle> element": 1, "r attribute": 1}),
    ({"text/html": f'<a href="java&#x09;script:{PAYLOAD}">x</a>'}, {"text/html": '<a>x</a>'}, {"href attribute": 1}),
    ({"image/svg+xml": f'<svg onload="{PAYLOAD}"/>', "text/plain": "<SVG>"}, {"text/plain": "<SVG>"},
     {"SVG image": 1}),
    ({"application/vnd.jupyter.widget-view+json": {"model_id": "1"}, "text/plain": "IntSlider()"},
     {"text/plain": "IntSlider()"}, {"widget": 1}),
    ({"application/x-made-up": "x", "text/plain": "x"}, {"text/plain": "x"}, {"application/x-made-up output": 1}),
    ({"image/png": f'"><script>{PAYLOAD}</script>', "text/plain": "<Figure>"}, {"text/plain": "<Figure>"},
     {"malformed image": 1}),
    ({"text/markdown": f"<script>{PAYLOAD}</script>", "text/plain": "md"}, {"text/html": "\n\n", "text/plain": "md"},
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


def page(cell):
    """What the formgrader and nbgrader's feedback show of a stored markdown cell."""
    return shown_html(cell.source, cell.get("attachments"))[0]


class _Parsed(HTMLParser):
    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tokens = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tokens.append((tag, tuple(sorted((name, value or "") for name, value in attrs))))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.tokens.append(("/" + tag,))

    def handle_data(self, data):
        self.tokens.append(("", data))


def dom(html):
    """html's tags and text, entities decoded, adjacent text joined: equal for the same DOM."""
    tokens = []
    for token in _Parsed(html).tokens:
        if token[0] == "" and tokens and tokens[-1][0] == "":
            token = ("", tokens.pop()[1] + token[1])
        tokens.append(token)
    return [token for token in tokens if token != ("", "")]


def is_sanitised(html):
    """The browser gets what the sanitiser gives: html parses to the DOM of its own sanitised form."""
    return dom(sanitise(html)[0]) == dom(html)


@pytest.mark.parametrize("source, removed", [
    (f"Look:\n\n<script>{PAYLOAD}</script>", "<script> element"),
    ("[click me](javascript:fetch('/api/contents/pwned'))", "href attribute"),
    (f'<img src=x onerror="{PAYLOAD}">', "onerror attribute"),
    (f'<!-- --!><img src=x onerror="{PAYLOAD}"> -->', "onerror attribute"),  # a comment browsers end early
])
def test_markdown_with_active_content_is_replaced_by_its_sanitised_rendering(source, removed):
    notebook, report = disarm(new_markdown_cell(source))
    shown = page(notebook.cells[0])
    assert is_sanitised(shown) and "pwned" not in shown
    assert dict(report.counts) == {removed: 1, "markdown cell (sanitised)": 1}


def test_markdown_keeps_what_the_sanitiser_keeps_and_its_math():
    notebook, report = disarm(new_markdown_cell("<b>Cost</b> <x-note>is</x-note> $\\frac{1}{m} < \\epsilon$, see "
                                                "[notes](notes.md)"))
    assert page(notebook.cells[0]) == ('<div><p><b>Cost</b> is $\\frac{1}{m} &lt; \\epsilon$, see '
                                       '<a href="notes.md">notes</a></p>&#10;</div>\n\n')
    assert dict(report.counts) == {"<x-note> element": 1, "markdown cell (sanitised)": 1}


@pytest.mark.parametrize("element", [f'<x-note autofocus tabindex="0" onfocus="{PAYLOAD}">note</x-note>',
                                     f'<details open ontoggle="{PAYLOAD}"><summary>s</summary>d</details>',
                                     f'<my-widget onmouseover="{PAYLOAD}">hover</my-widget>'])
def test_an_element_with_an_event_handler_runs_nowhere_even_one_both_parses_drop(element):
    notebook, report = disarm(new_markdown_cell(f"Note:\n\n{element}"),
                              new_code_cell("display(x)", outputs=[display({"text/markdown": element}),
                                                                   display({"text/html": element})]))
    markdown, code = notebook.cells
    shown = [page(markdown)] + [output.data["text/html"] for output in code.outputs]
    assert all("pwned" not in html and is_sanitised(html) for html in shown)
    assert sum(count for what, count in report.counts if what.startswith("on")) == 3  # the handler, each time


CALL = "fetch('/api/contents/pwned')"  # no spaces: a markdown link's URL has none


@pytest.mark.parametrize("link, links", [(f'<a href="files/javascript:{CALL}">x</a>', 3),
                                         (f"[x](files/javascript:{CALL})", 1),  # text in HTML: nothing to remove
                                         (f'<a href="/files/files/javascript:{CALL}">x</a>', 3),
                                         (f'<a href="files/ java&#x09;script:{CALL}">x</a>', 3)])
def test_a_link_that_becomes_javascript_once_nbconvert_strips_its_files_prefix_is_dropped(link, links):
    notebook, report = disarm(new_markdown_cell(f"See {link}"), new_raw_cell(link),
                              new_code_cell("display(x)", outputs=[display({"text/html": link})]))
    markdown, raw, code = notebook.cells
    assert all("href" not in html for html in [page(markdown), raw.source, code.outputs[0].data["text/html"]])
    assert dict(report.counts)["href attribute"] == links


def test_malformed_markup_that_would_swallow_the_page_is_replaced_by_what_the_sanitiser_made_of_it():
    notebook, report = disarm(new_markdown_cell('<div class="note\n\nthen *more*'))
    shown = page(notebook.cells[0])
    assert is_sanitised(shown) and 'class="note' not in shown
    assert dict(report.counts) == {"markdown cell (sanitised)": 1}


def test_a_replacement_nbconvert_would_rewrite_again_is_shown_as_text():
    source = "<pre>[a\n](files/b)</pre>"  # made one line, strip_files_prefix would find a link in it
    notebook, report = disarm(new_markdown_cell(source))
    assert notebook.cells[0].source.startswith("*The grader shows this markdown cell as text")
    assert source in notebook.cells[0].source and dict(report.counts) == {"markdown cell (shown as text)": 1}


@pytest.mark.parametrize("html, kept", [
    (f'<img src="data:image/png;base64,{PNG.strip()}">', True), ('<img src="data:image/gif;base64,R0lGOD==">', True),
    (f'<img src="data:image/svg+xml,<svg onload=\'{PAYLOAD}\'/>">', False),
    ('<img src=" da&#x09;ta:text/html,<script>x</script>">', False), (f'<a href="data:image/png;base64,{PNG}">', False),
    ('<a href="https://example.org/">', True), ('<a href="mailto:me@example.org">', True),
    ('<a href="images/a.png">', True), ('<a href="vbscript:x">', False), ('<a href="file:///etc/passwd">', False)])
def test_urls_keep_http_mailto_relative_paths_and_raster_data_images_only(html, kept):
    clean, _ = sanitise(html)
    assert (("src=" in clean) or ("href=" in clean)) == kept


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


def test_an_attached_figure_keeps_its_markdown_and_shows_inline_once_the_cell_is_sanitised():
    plain, html = new_markdown_cell("![a](attachment:a.png)"), new_markdown_cell("<b>A</b> ![a](attachment:a.png)")
    for cell in (plain, html):
        cell.attachments = {"a.png": {"image/png": PNG}}
    notebook, report = disarm(copy.deepcopy(plain), html)
    assert notebook.cells[0] == plain and not report
    assert f'src="data:image/png;base64,{PNG.strip()}' in page(notebook.cells[1])


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


def test_ordinary_student_markdown_keeps_its_source():
    source = ("## My answer\n\nThe cost $J = -\\frac{1}{m} \\sum_i y^{(i)} \\log a^{(i)}$ falls when $m < n$:\n\n"
              "1. **forward**, then *backward*\n2. `W1 = W1 - alpha * dW1`\n\n- [x] checked the shapes\n\n"
              "$$\\frac{\\partial J}{\\partial W} = \\frac{1}{m} dZ A^T$$\n\n```python\nprint(x < 1 and y > 2)\n```\n\n"
              "| layer | shape |\n|---|---|\n| W1 | (4, 3) |\n\n> a quote, a [link](https://numpy.org/doc/) and an "
              "image ![figure](images/model.png) from the folder, [mail](mailto:me@example.org), <https://example.org>")
    notebook, report = disarm(new_markdown_cell(source))
    assert notebook.cells[0].source == source and not report


ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) | {"input"}
URL_ATTRIBUTES = {"href", "src", "cite"}


def allowed_url(tag, attribute, url):
    """The test's own reading of a URL as a browser reads it: its scheme, if any, must be allowed."""
    url = re.sub(r"[\t\n\r]", "", url).lstrip("".join(map(chr, range(33))))
    scheme = re.match(r"([a-z][a-z0-9+.-]*):", url, re.IGNORECASE)
    if scheme is None:
        return True
    if scheme.group(1).lower() == "data":
        return (tag, attribute) == ("img", "src") and re.match(r"data:image/(png|jpeg|gif|webp)[;,]", url, re.I)
    return scheme.group(1).lower() in ("http", "https", "mailto")


def assert_inert(html):
    assert is_sanitised(html), html
    for token in dom(html):
        if token[0] and not token[0].startswith("/"):
            tag, attributes = token
            assert tag in ALLOWED_TAGS, html
            assert not any(name.startswith("on") for name, _ in attributes), html
            assert all(allowed_url(tag, name, value) for name, value in attributes if name in URL_ATTRIBUTES), html


HOSTILE_VALUES = ["javascript:x()", "files/javascript:x()", "/files/files/javascript:x()", " java\tscript:x()",
                  "&#106;avascript:x()", "data:text/html,<script>x()</script>", "data:image/png;base64,AAAA",
                  "data:image/svg+xml,<svg onload=x()>", "https://example.org/", "images/a.png", 'x" onerror="x()',
                  "x' onfocus='x()", "color: red; background: url(javascript:x())"]
HOSTILE_TAG_NAMES = ["b", "a", "img", "div", "p", "pre", "table", "td", "details", "input", "math", "svg", "script",
                     "style", "iframe", "textarea", "template", "noscript", "xmp", "title", "x-note", "my-widget"]
ATTRIBUTE = strategies.builds(
    lambda name, value, quote: f" {name}={quote}{value}{quote}" if value is not None else f" {name}",
    strategies.sampled_from(["href", "src", "onerror", "onfocus", "autofocus", "ontoggle", "open", "style", "class",
                             "title", "cite", "formaction", "xlink:href"]),
    strategies.one_of(strategies.none(), strategies.sampled_from(HOSTILE_VALUES)),
    strategies.sampled_from(['"', "'", ""]))
PIECE = strategies.one_of(
    strategies.builds(lambda tag, attributes, end: f"<{tag}{''.join(attributes)}{end}",
                      strategies.sampled_from(HOSTILE_TAG_NAMES), strategies.lists(ATTRIBUTE, max_size=3),
                      strategies.sampled_from([">", "/>", "", "\n\n"])),
    strategies.builds(lambda tag: f"</{tag}>", strategies.sampled_from(HOSTILE_TAG_NAMES)),
    strategies.sampled_from(["text", "<", "&", "&amp;", "<!--", "-->", "--!>", "]]>", "\n", "\n\n", "`", "```",
                             "$x < y$", "$$", "[a](files/javascript:x())", "![i](files/javascript:x())", "<x",
                             "\\href{javascript:x()}{a}", "<![", "<![CDATA[", "<?", "<!x", "- ", "# ", "    ",
                             "|a|\n|-|\n|b|\n", '"', "'", "="]))


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(strategies.lists(PIECE, max_size=12).map("".join))
def test_whatever_markup_a_student_writes_the_page_gets_only_the_sanitisers_output(fragment):
    notebook, _ = disarm(new_markdown_cell(fragment), new_raw_cell(fragment),
                         new_code_cell("display(x)", outputs=[display({"text/html": fragment}),
                                                              display({"text/markdown": fragment})]))
    markdown, raw, code = notebook.cells
    for html in [page(markdown), raw.source] + [output.data["text/html"] for output in code.outputs]:
        assert_inert(html)


def test_the_sanitised_markup_is_the_same_bytes_in_every_process():
    """nh3 sets the attributes it adds in a hash map's order, which changes from process to process."""
    import subprocess
    import sys
    code = ("from autograder.grading.inert import sanitise; "
            "print(sanitise('- <input type=text disabled checked onfocus=x()> <x-note title=t>n</x-note>')[0])")
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
               for _ in range(6)}
    assert len(outputs) == 1, outputs
