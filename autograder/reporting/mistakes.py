"""The class report's section on mistakes: per function, the catalogue mistakes the class made, most frequent
first (how many students, who, and the message they saw), and the share of wrong answers no known mistake explains.
"""
from collections import Counter
from html import escape

WRONG = ("failed", "error")  # a wrong answer; "not written yet" is no answer at all
NOT_WRITTEN = "is not written yet"


def wrong_rows(class_results, function):
    """[(student id, Row)] of the wrong answers to `function`."""
    return [(result.student_id, row) for result in class_results for row in result.rows
            if row.function == function and row.status in WRONG and NOT_WRITTEN not in row.message]


def mistakes_by_function(class_results):
    """[(function, [(mistake id, [student ids], a message they saw)] most frequent first, share unexplained)]
    in notebook order, for the functions with at least one wrong answer."""
    functions = list(dict.fromkeys(row.function for result in class_results for row in result.rows))
    summary = []
    for function in functions:
        wrong = wrong_rows(class_results, function)
        if not wrong:
            continue
        counts = Counter(row.mistake for _, row in wrong if row.mistake)
        made = [(mistake, [student for student, row in wrong if row.mistake == mistake],
                 next(row.message for _, row in wrong if row.mistake == mistake))
                for mistake, _ in counts.most_common()]
        unexplained = sum(not row.mistake for _, row in wrong) / len(wrong)
        summary.append((function, made, unexplained))
    return summary


def _students(students):
    return ", ".join(f'<a href="feedback/{escape(student)}.html">{escape(student)}</a>' for student in students)


def mistakes_section(class_results):
    """The report's HTML section."""
    summary = mistakes_by_function(class_results)
    if not summary:
        return "<h2>Mistakes</h2><p>No wrong answers.</p>"
    parts = ["<h2>Mistakes</h2>"]
    for function, made, unexplained in summary:
        rows = "\n".join(f"<tr><td><code>{escape(mistake)}</code></td><td>{len(students)}</td>"
                         f"<td>{_students(students)}</td><td>{escape(message)}</td></tr>"
                         for mistake, students, message in made)
        table = (f"<table><tr><th>Mistake</th><th>Students</th><th>Who</th><th>The message they saw</th></tr>"
                 f"{rows}</table>" if made else "")
        parts.append(f"<h3><code>{escape(function)}</code></h3>{table}"
                     f"<p>Wrong answers no known mistake explains: {100 * unexplained:.0f}%</p>")
    return "\n".join(parts)


EARLIER_VERSION = ".earlier_version_"  # in the ids of testCases/diagnosis/conventions.py's causes


def earlier_version_section(class_results):
    """The report's HTML section on code written for an earlier version of the course: who, in which function. Such
    code is a hint that it was copied from a solution published for that version; never shown to students."""
    found = {}
    for result in class_results:
        for row in result.rows:
            if EARLIER_VERSION in row.mistake:
                found.setdefault((row.function, row.message.split(": ", 1)[-1]), []).append(result.student_id)
    if not found:
        return ""
    items = "\n".join(f"<li><code>{escape(function)}</code>, {len(students)} student{'s' if len(students) > 1 else ''} "
                      f"({_students(students)}): {escape(message)}</li>"
                      for (function, message), students in sorted(found.items()))
    return ("<h2>Code written for an earlier version of the course</h2>"
            "<p>These answers follow the conventions of an earlier public version of this assignment, whose "
            "solutions are published: a hint, not a proof, that they were copied. Students are told only what "
            "this notebook asks instead.</p>"
            f"<ul>{items}</ul>")
