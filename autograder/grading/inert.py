"""Make everything a graded notebook displays inert before the autograded notebook is saved.

While a submission is graded, whatever its code displays is stored in the autograded notebook, which
nbgrader's formgrader shows the instructor in their logged-in Jupyter server and `nbgrader
generate_feedback` turns into the student's feedback page. Both go through nbconvert's HTML exporter,
which copies HTML and JavaScript outputs into the page as they are: a student's script would run there.
DisarmActiveContent keeps what is only ever text or pixels, sanitises what may hold markup with nh3
(the Ammonia sanitiser), and drops the rest, counting what it removed.
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
STRICT = {"attributes": ATTRIBUTES, "filter_style_properties": STYLES}
# The same parse and serialisation keeping every element and attribute, and links of every scheme: what the
# strict sanitiser drops from this is what it removed. Script-capable elements are all named here, and URLs are
# parsed as browsers parse them (WHATWG), so a javascript: link hidden with tabs or entities is one too.
EVERY_TAG = set(nh3.ALLOWED_TAGS) | {
    "script", "noscript", "style", "link", "meta", "base", "iframe", "frame", "frameset", "object", "embed", "applet",
    "param", "svg", "math", "form", "input", "button", "select", "option", "textarea", "template", "slot", "dialog",
    "video", "audio", "source", "track", "picture", "canvas", "portal", "fencedframe", "xmp", "plaintext", "listing",
    "marquee", "blink", "font", "label", "fieldset", "legend", "output", "progress", "meter", "search", "menu",
    "html", "head", "body", "title", "main", "section", "address"}
PERMISSIVE = {"tags": EVERY_TAG, "clean_content_tags": set(), "generic_attribute_prefixes": {""}, "link_rel": None,
              "url_schemes": set(nh3.ALLOWED_URL_SCHEMES) | {"javascript", "vbscript", "data", "file", "blob"}}
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
    """Outputs keep text, streams, errors and PNG/JPEG images; HTML and markdown are sanitised; SVG, JavaScript,
    widgets and unknown types are dropped. Markdown and raw cells whose HTML the sanitiser would change are shown as
    text; attachments keep PNG/JPEG images only; widget state goes from the notebook's and cells' metadata.

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
        kept = {}
        for mime, value in output.get("data", {}).items():
            disarmed = self._disarm_data(mime, value)
            if disarmed is not None:
                kept[mime] = disarmed
        if not kept:
            return None
        output.data = kept
        output.metadata = _image_sizes(output.get("metadata", {}), kept)
        return output

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
            removed = markdown_removals(value)
            if not removed:
                return value
            self._removed.update(removed)
            return None
        self._removed[DROPPED.get(mime, f"{str(mime)[:60]} output")] += 1
        return None

    def _disarm_text_cell(self, cell):
        attachments = cell.get("attachments")
        if attachments:
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
        if cell.cell_type == "markdown":
            removed = markdown_removals(cell.source, cell.get("attachments"))
            if removed:
                self._removed.update(removed)
                self._removed["markdown cell (shown as text)"] += 1
                cell.source = as_text(cell.source)
        else:  # nbconvert's HTML exporter writes a raw cell into the page as it is
            clean, removed = sanitise(cell.source)
            if removed:
                self._removed.update(removed)
                self._removed["raw cell (sanitised)"] += 1
                cell.source = clean


def sanitise(html):
    """(html with only presentational markup, Counter of what was removed: "<script> element", "onerror attribute")."""
    clean = nh3.clean(html, **STRICT)
    return clean, _markup(nh3.clean(html, **PERMISSIVE)) - _markup(clean)


def markdown_removals(source, attachments=None):
    """What sanitising markdown, rendered as nbconvert's HTML exporter (so the formgrader and nbgrader's feedback)
    renders it, removes."""
    if attachments or not isinstance(source, str):
        return _markdown_removals(source, attachments)
    return Counter(dict(_plain_markdown_removals(source)))


@functools.lru_cache(maxsize=4096)  # the released cells recur in every submission: each is rendered once per worker
def _plain_markdown_removals(source):
    return tuple(_markdown_removals(source, None).items())


def _markdown_removals(source, attachments):
    renderer = IPythonRenderer(escape=False, attachments=attachments or {})
    try:
        return sanitise(MarkdownWithMath(renderer=renderer).render(source))[1]
    except InvalidNotebook:  # a link to an attachment the cell does not have (or no longer has): nbconvert stops
        return Counter({"link to a missing attachment": 1})


def as_text(source):
    """A markdown cell's source as a fenced code block, so that it renders as the characters the student wrote."""
    longest = max((len(run) for run in re.findall(r"`+", source)), default=0)
    fence = "`" * max(3, longest + 1)
    return ("*The grader shows this markdown cell as text: it held markup that could run in a browser, or that the "
            "grader's sanitiser does not keep.*\n\n"
            f"{fence}text\n{source}\n{fence}")


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = Counter()

    def handle_starttag(self, tag, attrs):
        self.found[f"<{tag[:40]}> element"] += 1
        self.found.update(f"{name[:40]} attribute" for name, _ in attrs)

    handle_startendtag = handle_starttag


def _markup(html):
    """The elements and attributes of serialised, well-formed HTML (what nh3 writes), counted."""
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser.found


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
