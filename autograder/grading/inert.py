"""Make everything a graded notebook displays inert before the autograded notebook is saved.

While a submission is graded, whatever its code displays is stored in the autograded notebook, which
nbgrader's formgrader shows the instructor in their logged-in Jupyter server and `nbgrader
generate_feedback` turns into the student's feedback page. Both go through nbconvert's HTML exporter,
which copies HTML outputs and raw cells into the page as they are, and renders markdown cells to HTML
(`cell.source | markdown2html | strip_files_prefix`): a student's script would run there.

The rule: what a browser is given of the student's notebook is the sanitiser's output, never an input kept
because sanitising it seemed to remove nothing. Deciding "nothing was removed" by comparing two parses fails
where both parses drop the same thing (an unknown element with an event handler, an unterminated tag that
swallows the page's next markup), and a rewrite after sanitising can make a URL (`files/javascript:...`
becomes `javascript:...`). So `sanitise` applies nbconvert's own `strip_files_prefix` and nh3's strict
allowlist (the Ammonia sanitiser: known presentational elements only, no `on*` attribute, URLs http, https,
mailto or relative, and `data:` raster images in `img src`) until neither changes the HTML; its output is a
fixed point of both, so what the page gets is exactly what was sanitised.

- HTML outputs and raw cells are replaced by their sanitised form; a markdown output by a text/html output
  holding its sanitised rendering.
- A markdown cell keeps its source only when nbconvert renders it from markdown alone (no HTML the student
  wrote is copied into the page) and the rendering is already a fixed point of the sanitiser, token for
  token: the course's cells, LaTeX (`$...$` is text that MathJax reads from the page) and ordinary student
  markdown. Otherwise its source becomes the sanitised rendering as one HTML block (newlines written as
  `&#10;`, the same DOM), which is rendered again to check that nbconvert gives back exactly that; if not, the
  cell is shown as the text the student wrote (a code block).

What was removed is counted against a parse that keeps every element and attribute, unknown ones included.
LaTeX stays text: nbconvert's pages load MathJax with its Safe extension, which refuses `\\href{javascript:...}`.
"""
import base64
import binascii
import functools
import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3
from nbconvert.filters.markdown_mistune import InvalidNotebook, IPythonRenderer, MarkdownWithMath
from nbconvert.filters.strings import strip_files_prefix
from nbgrader.preprocessors import NbGraderPreprocessor

RASTER = ("image/png", "image/jpeg")
BASE64 = re.compile(r"[A-Za-z0-9+/=\s]*")
DROPPED = {"application/javascript": "JavaScript output", "text/javascript": "JavaScript output",
           "application/vnd.jupyter.widget-view+json": "widget", "application/vnd.jupyter.widget-state+json": "widget",
           "image/svg+xml": "SVG image"}

# Presentation students' markdown and HTML tables use; the allowed CSS properties cannot load or run anything.
ATTRIBUTES = {**{tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()},
              "*": {"class", "style", "title", "lang"}, "table": {"border", "align", "summary"},
              **{f"h{level}": set(nh3.ALLOWED_ATTRIBUTES.get(f"h{level}", ())) | {"id"} for level in range(1, 7)}}
STYLES = {"color", "background-color", "text-align", "vertical-align", "font-weight", "font-style", "font-size",
          "font-family", "text-decoration", "white-space", "width", "height", "padding", "margin", "border"}
URL_SCHEMES = {"http", "https", "mailto"}
DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp)(;base64)?,", re.IGNORECASE)
URL_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):", re.IGNORECASE)
CONTROLS_AND_SPACE = "".join(map(chr, range(33)))


def _allowed_url(tag, attribute, value):
    """nh3's attribute_filter: a URL attribute keeps an allowed scheme only, judged as a browser reads the URL
    (tabs and newlines removed, leading controls and spaces trimmed); `data:` only for a raster image's src."""
    if attribute not in ("href", "src", "cite"):
        return value
    url = re.sub(r"[\t\n\r]", "", value).lstrip(CONTROLS_AND_SPACE)
    scheme = URL_SCHEME.match(url)
    if scheme is None or scheme.group(1).lower() in URL_SCHEMES:
        return value
    return value if (tag, attribute) == ("img", "src") and DATA_IMAGE.match(url) else None


# A task list's checkbox (`- [x] done`): any <input> becomes a checkbox, which holds nothing and runs nothing. One
# attribute only is set: nh3 adds several in an order that changes from process to process (a hash map's), and the
# autograded notebook must be the same bytes on every run.
CHECKBOX = {"tags": set(nh3.ALLOWED_TAGS) | {"input"}, "set_tag_attribute_values": {"input": {"type": "checkbox"}}}
# link_rel=None: nh3 would add rel="noopener" to every link, which only matters with target=, not allowed here;
# without it a student's ordinary link renders exactly as it is sanitised, and the cell keeps its source.
# "data" is among the schemes for images only: _allowed_url refuses it everywhere else.
STRICT = {**CHECKBOX, "attributes": {**ATTRIBUTES, "input": {"checked", "disabled"}}, "filter_style_properties": STYLES,
          "link_rel": None, "url_schemes": URL_SCHEMES | {"data"}, "attribute_filter": _allowed_url}
# The same parse and serialisation keeping every element and attribute, and links of every scheme: what the
# strict sanitiser drops from this is what it removed. The script-capable elements are named here, and every
# other element the HTML holds is added per call, so an unknown or custom element is counted too.
EVERY_TAG = set(nh3.ALLOWED_TAGS) | {
    "script", "noscript", "style", "link", "meta", "base", "iframe", "frame", "frameset", "object", "embed", "applet",
    "param", "svg", "math", "form", "input", "button", "select", "option", "textarea", "template", "slot", "dialog",
    "video", "audio", "source", "track", "picture", "canvas", "portal", "fencedframe", "xmp", "plaintext", "listing",
    "marquee", "blink", "font", "label", "fieldset", "legend", "output", "progress", "meter", "search", "menu",
    "html", "head", "body", "title", "main", "section", "address"}
PERMISSIVE = {"clean_content_tags": set(), "generic_attribute_prefixes": {""}, "link_rel": None,
              "url_schemes": set(nh3.ALLOWED_URL_SCHEMES) | {"javascript", "vbscript", "data", "file", "blob"}}
TAG_NAME = re.compile(r"<([a-zA-Z][^\t\n\f />\x00]*)")
MAX_PASSES = 8  # sanitising settles in two passes; a fragment that has not settled after this many is dropped
MAX_KINDS = 12  # kinds of removed content named in a notice; a notebook can make up any number of them


@dataclass(frozen=True)
class RemovedContent:
    """What DisarmActiveContent removed from one notebook: ((what, how many), ...), most frequent first."""
    counts: tuple = ()

    @classmethod
    def of(cls, counter):
        return cls(tuple(Counter(counter).most_common()))

    def __bool__(self):
        return bool(self.counts)

    def __str__(self):
        shown = [f"{count} {_plural(what) if count > 1 else what}" for what, count in self.counts[:MAX_KINDS]]
        more = len(self.counts) - MAX_KINDS
        return ", ".join(shown + ([f"{more} more kinds"] if more > 0 else []))

    def notice(self, notebook):
        """The line for the instructor's summary (totals.csv's needs_attention)."""
        return f"{notebook}: removed active content from the notebook's output and cells: {self}"


class DisarmActiveContent(NbGraderPreprocessor):
    """Outputs keep text, streams, errors and PNG/JPEG images; HTML is replaced by its sanitised form and markdown
    by its sanitised rendering; SVG, JavaScript, widgets and unknown types are dropped. A markdown cell whose
    rendering is not already sanitised is replaced by that rendering sanitised (or shown as text), a raw cell by
    its sanitised form; attachments keep PNG/JPEG images only; widget state goes from the notebook's and cells'
    metadata.

    What was removed goes to resources["autograder"]["removed"] (a RemovedContent), which the kit's grade command
    reports in totals.csv, and to the log (nbgrader autograde shows it).
    """

    def preprocess(self, nb, resources):
        self._removed = Counter()
        if nb.metadata.pop("widgets", None) is not None:
            self._removed["notebook widget state"] += 1
        nb, resources = super().preprocess(nb, resources)
        removed = resources.setdefault("autograder", {})["removed"] = RemovedContent.of(self._removed)
        if removed:
            self.log.info("%s", removed.notice(resources.get("nbgrader", {}).get("notebook", "the notebook")))
        return nb, resources

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.metadata.pop("widgets", None) is not None:
            self._removed["cell widget state"] += 1
        if cell.cell_type == "code":
            cell.outputs = [output for output in map(self._disarm_output, cell.outputs) if output is not None]
            if not isinstance(cell.get("execution_count"), (int, type(None))):
                cell.execution_count = None
        elif cell.cell_type in ("markdown", "raw"):
            self._disarm_text_cell(cell)
        return cell, resources

    def _disarm_output(self, output):
        kind = output.get("output_type")
        if kind == "stream":
            return output if isinstance(output.get("text"), str) else None
        if kind == "error":  # shown as text; what the kernel sent is made text too
            traceback = output.get("traceback")
            output.ename, output.evalue = str(output.get("ename", "")), str(output.get("evalue", ""))
            output.traceback = [str(line) for line in traceback] if isinstance(traceback, list) else []
            return output
        if kind not in ("display_data", "execute_result"):
            self._removed[f"{str(kind)[:40]!r} output"] += 1
            return None
        data = output.get("data", {})
        if isinstance(data.get("text/markdown"), str) and "text/html" not in data:  # nbconvert prefers HTML
            data = {**data, "text/html": self._markdown_as_html(data["text/markdown"])}
        kept = {}
        for mime, value in data.items():
            disarmed = self._disarm_data(mime, value)
            if disarmed is not None:
                kept[mime] = disarmed
        if not kept:
            return None
        output.data = kept
        output.metadata = _image_sizes(output.get("metadata", {}), kept)
        return output

    def _markdown_as_html(self, markdown):
        """A markdown output's rendering, as nbconvert renders it, for the HTML output that replaces it."""
        try:
            return shown_html(markdown)[0]
        except InvalidNotebook:  # a link to an attachment: an output has none
            self._removed["link to a missing attachment"] += 1
            return ""

    def _disarm_data(self, mime, value):
        if mime == "text/plain":
            return value if isinstance(value, str) else None
        if mime in RASTER:
            if _is_base64(value):
                return value
            self._removed["malformed image"] += 1
            return None
        if mime == "text/html" and isinstance(value, str):
            clean, removed = sanitise(value)
            self._removed.update(removed)
            return clean
        if mime == "text/markdown" and isinstance(value, str):
            return None  # shown as the text/html made from it, or hidden behind the output's own text/html
        self._removed[DROPPED.get(mime, f"{str(mime)[:60]} output")] += 1
        return None

    def _disarm_text_cell(self, cell):
        if cell.get("attachments"):
            self._keep_raster_attachments(cell)
        if cell.cell_type == "markdown":
            cell.source, removed = disarm_markdown(cell.source, cell.get("attachments"))
        else:  # nbconvert's HTML exporter writes a raw cell into the page as it is
            clean, removed = sanitise(cell.source)
            if removed or not _same_dom(cell.source, clean):
                removed["raw cell (sanitised)"] += 1
            cell.source = clean
        self._removed.update(removed)

    def _keep_raster_attachments(self, cell):
        attachments = cell.attachments
        kept = {name: {mime: data for mime, data in bundle.items() if mime in RASTER and _is_base64(data)}
                for name, bundle in attachments.items() if isinstance(bundle, dict)}
        kept = {name: bundle for name, bundle in kept.items() if bundle}
        dropped = sum(len(bundle) if isinstance(bundle, dict) else 1 for bundle in attachments.values()) \
            - sum(map(len, kept.values()))
        if dropped:
            self._removed["attachment"] += dropped
        cell.attachments = kept
        if not kept:
            del cell["attachments"]


def sanitise(html):
    """(`html` as a browser may be given it: a fixed point of nh3's strict allowlist and of nbconvert's
    strip_files_prefix, Counter of what was removed: "<script> element", "onerror attribute")."""
    html = _strip_files_prefix(html)
    clean = _settled(html)
    return clean, _markup(_keep_everything(html)) - _markup(clean)


def _settled(html):
    """Strict sanitising and strip_files_prefix, until neither changes anything: a prefix stripped after
    sanitising can make a URL that the next pass judges."""
    for _ in range(MAX_PASSES):
        clean = nh3.clean(html, **STRICT)
        if _strip_files_prefix(clean) == clean == html:
            return clean
        html = _strip_files_prefix(clean)
    return ""


def _strip_files_prefix(html):
    """nbconvert's rewrite of `files/` URLs, which the formgrader's and feedback's templates apply to a rendered
    markdown cell, repeated until it changes nothing (`files/files/x` gives `files/x` in one pass)."""
    stripped = strip_files_prefix(html)
    while stripped != html:
        html, stripped = stripped, strip_files_prefix(stripped)
    return html


def _keep_everything(html):
    named = {name.lower() for name in TAG_NAME.findall(html)}  # more than a browser sees as tags: none is missed
    return nh3.clean(html, tags=EVERY_TAG | named, **PERMISSIVE)


def shown_html(source, attachments=None):
    """(the HTML a markdown `source` shows in the formgrader and nbgrader's feedback: nbconvert's rendering,
    files/ prefixes stripped, whether it copies markup the student wrote). Raises InvalidNotebook for a link to
    an attachment the cell does not have, as nbconvert does."""
    renderer = _Renderer(escape=False, attachments=attachments or {})
    html = MarkdownWithMath(renderer=renderer).render(source)
    return _strip_files_prefix(html), renderer.copies_markup


class _Renderer(IPythonRenderer):
    """nbconvert's renderer, noting whether it copied markup from the source: HTML, or a mermaid block's text,
    which nbconvert writes into the page unescaped."""
    copies_markup = False

    def block_html(self, html):
        self.copies_markup = True
        return super().block_html(html)

    def inline_html(self, html):
        self.copies_markup = True
        return super().inline_html(html)

    def block_mermaidjs(self, code):
        self.copies_markup = True
        return super().block_mermaidjs(code)


def disarm_markdown(source, attachments=None):
    """(the source to store for a markdown cell, Counter of what was removed from its rendering)."""
    if attachments or not isinstance(source, str):
        return _disarm_markdown(str(source), attachments)
    stored, removed = _disarm_plain_markdown(source)
    return stored, Counter(dict(removed))


@functools.lru_cache(maxsize=4096)  # the released cells recur in every submission: each is rendered once per worker
def _disarm_plain_markdown(source):
    stored, removed = _disarm_markdown(source, None)
    return stored, tuple(removed.items())


def _disarm_markdown(source, attachments):
    try:
        html, copies_markup = shown_html(source, attachments)
    except InvalidNotebook:
        return as_text(source), Counter({"link to a missing attachment": 1, "markdown cell (shown as text)": 1})
    clean, removed = sanitise(html)
    changed = not _same_dom(html, clean)
    if not (copies_markup or changed):
        return source, removed  # rendered from markdown alone, and already what the sanitiser gives
    if changed:
        removed["markdown cell (sanitised)"] += 1
    replacement = as_html(clean)
    if shown_html(replacement)[0].rstrip("\n") == replacement:
        return replacement, removed
    removed.pop("markdown cell (sanitised)", None)
    removed["markdown cell (shown as text)"] += 1
    return as_text(source), removed


def as_html(clean):
    """Sanitised HTML as a markdown source that nbconvert renders to the same DOM: one HTML block, a single line
    (a newline is written `&#10;`, which parses to the same text) in a <div> (which makes it a block whatever its
    first element)."""
    return "<div>" + clean.replace("\n", "&#10;") + "</div>"


def as_text(source):
    """A markdown cell's source as a fenced code block, so that it renders as the characters the student wrote."""
    longest = max((len(run) for run in re.findall(r"`+", source)), default=0)
    fence = "`" * max(3, longest + 1)
    return ("*The grader shows this markdown cell as text: it held markup that could run in a browser, or that the "
            "grader's sanitiser does not keep.*\n\n"
            f"{fence}text\n{source}\n{fence}")


class _Tokens(HTMLParser):
    """Tags with their attributes (sorted, entities decoded) and text: equal lists are the same DOM for the
    well-formed HTML nh3 and nbconvert's renderer write."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens = []

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("<", tag, tuple(sorted((name, value or "") for name, value in attrs))))

    handle_startendtag = handle_starttag  # <br /> and <br> are one element

    def handle_endtag(self, tag):
        self.tokens.append(("</", tag))

    def handle_data(self, data):
        if self.tokens and self.tokens[-1][0] == "text":
            data = self.tokens.pop()[1] + data
        self.tokens.append(("text", data))

    def handle_comment(self, data):
        self.tokens.append(("<!--", data))

    handle_decl = handle_pi = unknown_decl = handle_comment


def _tokens(html):
    """html's tokens, or None where Python's parser gives up (a `<![` it cannot name), which nh3 never writes."""
    parser = _Tokens()
    try:
        parser.feed(html)
        parser.close()
    except AssertionError:
        return None
    return parser.tokens


def _same_dom(html, clean):
    tokens = _tokens(html)
    return tokens is not None and tokens == _tokens(clean)


def _markup(html):
    """The elements and attributes of serialised, well-formed HTML (what nh3 writes), counted."""
    found = Counter()
    for token in _tokens(html) or ():
        if token[0] == "<":
            found[f"<{token[1][:40]}> element"] += 1
            found.update(f"{name[:40]} attribute" for name, _ in token[2])
    return found


def _plural(what):
    """ "markdown cell (shown as text)" -> "markdown cells (shown as text)", "<svg> element" -> "<svg> elements"."""
    noun, bracket, rest = what.partition(" (")
    return f"{noun}s{bracket}{rest}"


def _is_base64(value):
    if not isinstance(value, str) or not BASE64.fullmatch(value):
        return False
    try:
        base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _image_sizes(metadata, data):
    """Only the numeric width and height of the images kept: nbconvert writes them into an unquoted attribute."""
    sizes = {}
    for mime in RASTER:
        given = metadata.get(mime) if mime in data else None
        if isinstance(given, dict):
            size = {key: given[key] for key in ("width", "height")
                    if isinstance(given.get(key), (int, float)) and not isinstance(given.get(key), bool)}
            if size:
                sizes[mime] = size
    return sizes
