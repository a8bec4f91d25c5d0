"""The roster's names and the students' ids reach nbgrader's pages, the kit's files and the terminal only when they
are safe there: markup and control characters are taken out of the stored names (real names stay as they are), and
a student folder whose name is not a safe id is refused with a line saying why."""
import pytest

from autograder.grading.gradebook import gradebook
from autograder.grading.roster import clean_names, id_problem

ONERROR = "<img src=x onerror=alert(document.cookie)>"


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'gradebook.db'}"


def _roster(db_url, **students):
    """students: {id: {field: value}}, imported as `nbgrader db student import` would store them."""
    with gradebook(db_url) as book:
        for student_id, fields in students.items():
            book.add_student(student_id, **fields)


def _stored(db_url, student_id):
    with gradebook(db_url) as book:
        student = book.find_student(student_id)
        return {field: getattr(student, field) for field in ("first_name", "last_name", "email", "lms_user_id")}


def _control_characters(line):
    return [character for character in line if ord(character) < 0x20 or 0x7f <= ord(character) < 0xa0
            or 0x202a <= ord(character) <= 0x202e or 0x2066 <= ord(character) <= 0x2069]


def test_markup_in_a_last_name_is_stored_without_it_and_reported(db_url):
    _roster(db_url, amara={"first_name": "Amara", "last_name": f"{ONERROR}Okafor"})

    lines = clean_names(db_url)

    assert _stored(db_url, "amara")["last_name"] == "Okafor"
    assert _stored(db_url, "amara")["first_name"] == "Amara"
    assert len(lines) == 1
    assert lines[0].startswith("roster: the last name of student amara held markup")
    assert "<img src=x onerror=" in lines[0]  # what the roster said, for the instructor to find
    assert "stored as 'Okafor'" in lines[0]
    assert "roster file" in lines[0]


@pytest.mark.parametrize("field", ["first_name", "last_name", "email", "lms_user_id"])
def test_every_field_the_pages_print_is_cleaned(db_url, field):
    _roster(db_url, amara={field: "<b>50101</b><!-- hidden -->"})

    lines = clean_names(db_url)

    assert _stored(db_url, "amara")[field] == "50101"
    assert len(lines) == 1 and "markup" in lines[0]


def test_a_script_element_goes_with_its_code(db_url):
    _roster(db_url, amara={"first_name": "Amara<script>fetch('/api')</script>"})

    clean_names(db_url)

    assert _stored(db_url, "amara")["first_name"] == "Amara"


@pytest.mark.parametrize("name", ["<img src=x onerror=alert(1)", "&lt;img src=x onerror=alert(1)&gt;",
                                  "&amp;lt;b&amp;gt;", 'Ok"af`or & <', "<svg/onload=alert(1)>"])
def test_no_character_that_means_something_in_html_is_stored(db_url, name):
    _roster(db_url, amara={"last_name": name})

    clean_names(db_url)

    stored = _stored(db_url, "amara")["last_name"] or ""
    assert not set(stored) & set("<>&\"`")


@pytest.mark.parametrize("name", ["&lt;b&gt;Okafor&lt;/b&gt;", "&amp;lt;b&amp;gt;Okafor", "<b>Okafor</b>"])
def test_an_html_escaped_tag_is_markup_too(db_url, name):
    _roster(db_url, amara={"last_name": name})

    lines = clean_names(db_url)

    assert _stored(db_url, "amara")["last_name"] == "Okafor"
    assert "held markup" in lines[0]


def test_an_html_escaped_apostrophe_becomes_the_apostrophe_it_was(db_url):
    _roster(db_url, amara={"last_name": "O&#39;Brien"})

    clean_names(db_url)

    assert _stored(db_url, "amara")["last_name"] == "O'Brien"


def test_a_comment_goes_whole_even_with_a_closing_bracket_inside(db_url):
    _roster(db_url, amara={"last_name": "<!-- a > b -->Okafor"})

    clean_names(db_url)

    assert _stored(db_url, "amara")["last_name"] == "Okafor"


def test_an_unclosed_tag_goes_to_the_end_of_the_name(db_url):
    _roster(db_url, amara={"last_name": "Okafor<img src=x onerror=alert(1)"})

    clean_names(db_url)

    assert _stored(db_url, "amara")["last_name"] == "Okafor"


def test_a_name_that_was_all_markup_is_stored_as_no_name(db_url):
    _roster(db_url, amara={"first_name": "Amara", "last_name": "<b></b>"})

    lines = clean_names(db_url)

    assert _stored(db_url, "amara")["last_name"] is None
    assert "stored as nothing" in lines[0]


@pytest.mark.parametrize("name", ["O'Brien", "Zoë Ñúñez", "李", "Nguyễn Thị", "محمد", "D'Souza-Smith Jr."])
def test_real_names_stay_as_they_are(db_url, name):
    _roster(db_url, amara={"first_name": name, "last_name": name, "email": "o'brien+dnn@example.edu"})

    assert clean_names(db_url) == []
    assert _stored(db_url, "amara") == {"first_name": name, "last_name": name, "email": "o'brien+dnn@example.edu",
                                        "lms_user_id": None}


def test_a_persian_name_keeps_its_zero_width_non_joiner(db_url):
    _roster(db_url, amara={"first_name": "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"})

    assert clean_names(db_url) == []


def test_a_bidi_override_is_removed(db_url):
    _roster(db_url, amara={"last_name": "Oka\u202efor\u202c", "first_name": "\u2066Amara\u2069"})

    lines = clean_names(db_url)

    assert _stored(db_url, "amara")["last_name"] == "Okafor"
    assert _stored(db_url, "amara")["first_name"] == "Amara"
    assert len(lines) == 2 and all("invisible formatting" in line for line in lines)


def test_terminal_escape_codes_are_removed_whole(db_url):
    _roster(db_url, amara={"last_name": "\x1b[31mOkafor\x1b[0m\x1b]0;pwned\x07", "first_name": "Am\x9b2Jara"})

    lines = clean_names(db_url)

    assert _stored(db_url, "amara")["last_name"] == "Okafor"
    assert _stored(db_url, "amara")["first_name"] == "Amara"
    assert all("control characters" in line for line in lines)


def test_line_breaks_tabs_and_extra_spaces_become_single_spaces(db_url):
    _roster(db_url, amara={"first_name": "Mary\nAnn", "last_name": "  van\t\tder  Berg "})

    clean_names(db_url)

    assert _stored(db_url, "amara")["first_name"] == "Mary Ann"
    assert _stored(db_url, "amara")["last_name"] == "van der Berg"


def test_a_long_name_is_cut_to_100_characters(db_url):
    _roster(db_url, amara={"last_name": "Okafor" * 20})

    lines = clean_names(db_url)

    assert _stored(db_url, "amara")["last_name"] == ("Okafor" * 20)[:100]
    assert "longer than 100 characters" in lines[0]


def test_the_lines_are_safe_to_print_on_a_terminal_and_cut(db_url):
    hostile = "\x1b[2J\x1b]0;x\x07\u202e\r\n\x00\x7f\x85" + ONERROR * 5
    _roster(db_url, **{"<b>\x1b[31m": {"last_name": hostile, "first_name": hostile}})

    lines = clean_names(db_url)

    assert lines
    for line in lines:
        assert _control_characters(line) == []
        assert "\\x1b" in line  # shown as an escape, for the instructor to see what was there
        assert len(line) < 700


def test_a_clean_roster_returns_no_lines_and_writes_nothing(db_url, statements):
    _roster(db_url, amara={"first_name": "Amara", "last_name": "Okafor", "email": "amara@example.edu",
                           "lms_user_id": "50101"},
            bo={"first_name": "Bo"})
    statements.clear()

    assert clean_names(db_url) == []
    assert [sent for sent in statements if not sent.upper().startswith(("SELECT", "PRAGMA"))] == []


def test_the_cleaned_names_are_stored_in_one_commit(db_url, statements):
    _roster(db_url, amara={"last_name": "<b>Okafor</b>"}, bo={"first_name": "<i>Bo</i>"})
    statements.clear()

    clean_names(db_url)

    assert sum(sent.upper().startswith("UPDATE") for sent in statements) == 2
    assert _stored(db_url, "amara")["last_name"] == "Okafor" and _stored(db_url, "bo")["first_name"] == "Bo"


def test_a_roster_id_that_is_not_safe_is_named_and_left_alone(db_url):
    _roster(db_url, **{"<b>x": {"first_name": "Amara"}})

    lines = clean_names(db_url)

    assert len(lines) == 1
    assert "student id '<b>x' is not a valid student id" in lines[0] and "nbgrader db student remove" in lines[0]
    assert _stored(db_url, "<b>x")["first_name"] == "Amara"


@pytest.mark.parametrize("student_id", ["amara", "a.okafor@example.edu", "s123-4", "Amara_O+dnn", "a" * 128, "7"])
def test_typical_student_ids_are_accepted(student_id):
    assert id_problem(student_id) is None


@pytest.mark.parametrize("student_id, problem", [
    ("<b>", "holds '<', '>'"),
    ("..", "starts with '.'"),
    (".hidden", "starts with '.'"),
    ("-rf", "starts with '-'"),
    ("a/b", "holds '/'"),
    ("a b", "holds ' '"),
    ("", "it is empty"),
    ("a" * 130, "130 characters long"),
    ("amara\n", "holds '\\n'"),
    ("amara\x1b[31m", "holds '\\x1b', '['"),
    ("amara\u202e", "holds '\\u202e'"),
    ("amara\ud800", "holds '\\ud800'"),
    ("zoë", "holds 'ë'"),
])
def test_unsafe_student_ids_are_refused_with_the_problem_named(student_id, problem):
    reason = id_problem(student_id)

    assert reason is not None
    assert reason.startswith(f"student folder {student_id[:60]!r}"), reason
    assert problem in reason
    assert "is not a valid student id" in reason and "rename it to the student's login name" in reason
    assert _control_characters(reason) == []
    reason.encode("utf-8")  # no lone surrogate left: it prints on any terminal


def test_a_long_unsafe_id_is_quoted_cut():
    reason = id_problem("<" * 1000)

    assert len(reason) < 300 and "\u2026" in reason
