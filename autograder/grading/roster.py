"""The roster and the student ids, made safe before nbgrader's pages and the kit's files print them.

A roster's names come from an LMS export, that is, from what the students typed, and `nbgrader db student import`
stores them as they are. Student ids come from the folder names under `submitted/`, which the students choose
through the exchange. Both end up in HTML pages, file paths, CSV files and the terminal.

Where nbgrader prints them (nbgrader 0.9's formgrader):

- The formgrade page, where an instructor grades a submission, prints `{{ resources.last_name }},
  {{ resources.first_name }}` (or `{{ resources.student }}`, the id) as the text of a link
  (`templates/formgrade/formgrade_macros.html.j2`). nbconvert's Jinja environment does not autoescape, so markup in
  a name runs as script in the instructor's logged-in Jupyter session. This is the one view that prints names
  unescaped.
- The manage-students, manage-submissions and gradebook tables (`static/js/manage_students.js`,
  `manage_submissions.js`, `gradebook_notebook_submissions.js`) build their rows with jQuery's `.text()` and
  `.attr()` from the API's JSON: they escape names and emails.
- The student pages `templates/manage_students_assignments.tpl` and `manage_students_notebook_submissions.tpl`
  print the student id unescaped (the formgrader's own Jinja environment does not autoescape either), once inside a
  JavaScript string, `var student_id = "{{ student_id }}"`. Names are not printed there.
- nbgrader's feedback pages (`templates/feedback/index.html.j2`) print no name; the kit's own feedback pages
  (autograder/reporting/feedback.py) print the name and id through html.escape.
- `nbgrader db student list` and `nbgrader export` print the names on the terminal and into CSV files.

Every one of these reads the gradebook's rows, so cleaning the stored rows (`clean_names`) covers them all at once,
the unescaped formgrade page included, whatever version of the templates reads them next; escaping in the kit's
own pages could not reach nbgrader's. An id cannot be cleaned in place (it is the key of the student's grades), so
`id_problem` refuses an unsafe one before it enters the gradebook, and `clean_names` names those already there.
"""
import html
import re
import unicodedata

from .gradebook import gradebook

MAX_NAME = 100  # characters kept of a name, an email or an LMS id; nbgrader's columns hold 128
MAX_ID = 128  # nbgrader keeps ids in a column of 128 characters
MAX_SHOWN = 60  # characters of a student's text quoted in a message

# The Student fields that nbgrader's pages, CSV files and terminal commands print, and what an instructor calls them.
FIELDS = {"first_name": "first name", "last_name": "last name", "email": "email", "lms_user_id": "LMS user id"}

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
# A script's or style's body is code, not part of a name: it goes with its tags.
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|\Z)", re.DOTALL | re.IGNORECASE)
# A `<` opens a tag up to the next `>`, or to the end: an unclosed one would swallow the page's text after it.
_TAG = re.compile(r"<[^>]*(?:>|\Z)")
# The characters HTML gives a meaning to, in element text or in an attribute, but `'`. An apostrophe is part of many
# real names (O'Brien, N'Diaye, D'Souza) and of email addresses (o'brien@example.edu), and it is harmless where names
# are printed: as element text in the formgrade page (where only `<` and `&` mean anything) and through jQuery's
# escaping everywhere else; no template puts a name into a single-quoted attribute. No real name needs `"`, `` ` ``,
# `&`, `<` or `>`, so these go, which also keeps a name inert in a double-quoted attribute of a future template.
_HTML_SPECIAL = re.compile(r"[<>&\"`]")
# Terminal escape sequences as a whole (CSI, with ESC [ or the C1 byte, and OSC up to its terminator), so that no
# "[31m" is left behind in a name.
_ANSI = re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\|\Z)|\x1b[@-_]?")
# Zero-width (non-)joiners are spelling in Persian and Indic names, and cannot reorder or hide text: they stay.
_JOINERS = {"\u200c", "\u200d"}

_ID_CHARACTER = re.compile(r"[A-Za-z0-9_.@+-]")


def _without_markup(text: str) -> str:
    # An LMS export sometimes carries names HTML-escaped (O&#39;Brien, &lt;b&gt;): decoded first, an escaped tag is
    # recognised as the tag it is, and an escaped apostrophe becomes the apostrophe it was.
    for _ in range(3):  # an export escaped twice (&amp;lt;) too
        text = html.unescape(text)
    for markup in (_COMMENT, _SCRIPT, _TAG):
        text = markup.sub("", text)
    return text


def _without_controls(text: str) -> str:
    """Without terminal escape sequences and C0, DEL and C1 controls. A line break or a tab (which would split a line
    of a CSV file or of the terminal) separates words: it becomes a space."""
    return "".join(_without_control(character) for character in _ANSI.sub("", text))


def _without_control(character: str) -> str:
    if unicodedata.category(character) != "Cc":
        return character
    return " " if character.isspace() else ""


def _without_formatting(text: str) -> str:
    """Without Unicode's invisible formatting characters (Cf), among them the bidi overrides and isolates that
    reorder what is shown (U+202A-202E, U+2066-2069), zero-width spaces and byte-order marks."""
    return "".join(character for character in text
                   if unicodedata.category(character) != "Cf" or character in _JOINERS)


def _cleaned(text: str) -> tuple[str, list[str]]:
    """The text made safe to store, and what was wrong with it, in words (empty when nothing was)."""
    # No lone surrogate needs replacing here: neither SQLite's nor PostgreSQL's driver stores one, and a row holding
    # bytes that are not UTF-8 cannot be read at all (SQLite's "Could not decode to UTF-8", in nbgrader too).
    # The messages, which quote ids from folder names, show one as an escape (_printable).
    steps = [
        (_without_markup, "markup"),
        (lambda value: _HTML_SPECIAL.sub("", value), "characters HTML gives a meaning to (< > & \" `)"),
        (_without_controls, "control characters (terminal escape codes, line breaks)"),
        (_without_formatting, "invisible formatting characters (such as bidi overrides)"),
        (lambda value: " ".join(value.split()), "extra spaces"),
    ]
    held = []
    for step, what in steps:
        after = step(text)
        if after != text:
            held.append(what)
        text = after
    problems = [f"held {_in_words(held)}"] if held else []
    if len(text) > MAX_NAME:
        problems.append(f"was longer than {MAX_NAME} characters")
        text = text[:MAX_NAME].rstrip()
    return text, problems


def _in_words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _printable(text, limit: int = MAX_SHOWN) -> str:
    """Text a student wrote, quoted, safe on a terminal and in a one-line message: repr() shows every control,
    formatting or broken character as an escape (\\x1b, \\u202e, \\ud800), and the text is cut to `limit`
    characters (an ellipsis after the quote says so)."""
    if text is None:
        return "nothing"
    text = str(text)
    shown = repr(text[:limit])
    return shown + "\u2026" if len(text) > limit else shown


def _student(student_id: str) -> str:
    """How a message names a student: the id itself when it is safe, quoted and made safe when it is not."""
    return student_id if _id_flaw(student_id) is None else _printable(student_id)


def _id_flaw(student_id: str) -> str | None:
    """What makes `student_id` unsafe as a path and an HTML token, in words; None when nothing does."""
    if not student_id:
        return "it is empty"
    if len(student_id) > MAX_ID:
        return f"it is {len(student_id)} characters long"
    wrong = list(dict.fromkeys(character for character in student_id if not _ID_CHARACTER.fullmatch(character)))
    if wrong:
        shown = ", ".join(_printable(character) for character in wrong[:5]) + (", \u2026" if len(wrong) > 5 else "")
        return f"it holds {shown}"
    if student_id[0] in ".-":
        return f"it starts with {student_id[0]!r}"
    return None


_ID_RULE = "letters, digits and _ - . @ + only, not starting with . or -, at most 128 characters"


def id_problem(student_id: str) -> str | None:
    """None for a student id that is safe as a folder name, in a path and as an HTML token (1 to 128 ASCII letters,
    digits and `_ - . @ +`, not starting with `.` or `-`, as Unix login names and email addresses are); otherwise
    the one line saying why not and what to do, the id quoted and made safe."""
    flaw = _id_flaw(student_id)
    if flaw is None:
        return None
    return (f"student folder {_printable(student_id)} is not a valid student id ({flaw}; {_ID_RULE}): "
            f"rename it to the student's login name to grade it")


def clean_names(db_url: str) -> list[str]:
    """Store the roster's names, emails and LMS ids of the gradebook at `db_url` without markup, control or
    formatting characters, extra spaces, and cut to 100 characters, in one commit (none when nothing changes).

    Returns one line per field changed, e.g. `roster: the last name of student amara held markup, '<img src=x
    onerror=alert(1)>Okafor': stored as 'Okafor'; correct it in the roster file, or its next import brings it back`,
    and one per student whose id id_problem refuses (which stays: it keys the student's grades). Names without
    any of these, accents, other scripts and apostrophes included (Zoë Ñúñez, 李, O'Brien), are left as they are.
    The lines hold no control characters.
    """
    lines = []
    with gradebook(db_url) as book:
        changed = False
        for student in sorted(book.students, key=lambda student: student.id):
            flaw = _id_flaw(student.id)
            if flaw is not None:
                lines.append(f"roster: student id {_printable(student.id)} is not a valid student id ({flaw}; "
                             f"{_ID_RULE}): remove the student with `nbgrader db student remove` and import them "
                             f"under their login name")
            for field, label in FIELDS.items():
                value = getattr(student, field)
                if not value:
                    continue
                cleaned, problems = _cleaned(value)
                if not problems:
                    continue
                stored = cleaned or None  # nbgrader's own "no name": the formgrader then shows the id
                setattr(student, field, stored)
                changed = True
                lines.append(f"roster: the {label} of student {_student(student.id)} {_in_words(problems)}, "
                             f"{_printable(value)}: stored as {_printable(stored)}; "
                             f"correct it in the roster file, or its next import brings it back")
        if changed:
            book.db.commit()
    return lines
