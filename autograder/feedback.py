"""Per-student feedback pages: each function's score, status and one-line diagnostic.

nbgrader's own feedback is the executed notebook, hidden tests included; this page shows only
the grader's verdicts, so hidden test code and hidden expected values never reach a student.
"""
from html import escape
from pathlib import Path

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid #ddd; vertical-align: top; }
th { background: #f3f4f6; }
td.score { white-space: nowrap; font-variant-numeric: tabular-nums; }
.status { font-weight: 600; }
.passed { color: #1d7a46; } .failed { color: #b3261e; } .error { color: #b3261e; }
.timeout { color: #9a5b00; } .missing { color: #6b7280; }
.attention { background: #fff4e5; border-left: 4px solid #9a5b00; padding: .6rem .8rem; }
.note { color: #555; font-size: .9rem; }
"""


def render(result):
    """The HTML page for one StudentResult."""
    rows = "\n".join(
        f"<tr><td><code>{escape(row.function)}</code></td><td class=\"score\">{row.score:g} / {row.max_score:g}</td>"
        f"<td class=\"status {escape(row.status)}\">{escape(row.status)}</td><td>{escape(row.message)}</td></tr>"
        for row in result.rows)
    attention = (f'<p class="attention">{escape(result.attention)}</p>' if result.attention else "")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(result.assignment)}: feedback for {escape(result.student_id)}</title>
<style>{STYLE}</style></head>
<body>
<h1>{escape(result.assignment)}: feedback for {escape(result.student_id)}</h1>
<p><strong>Score: {result.score:g} / {result.max_score:g}</strong></p>
{attention}
<table>
<tr><th>Function</th><th>Score</th><th>Result</th><th>What the grader found</th></tr>
{rows}
</table>
<p class="note">Each function was graded on its own, with correct versions of the functions it calls.
The grader also ran your functions on inputs you have not seen; a message that mentions a hidden test
names the shapes it used. Anything your code printed is not shown here.</p>
</body></html>
"""


def write(out_dir, result):
    path = Path(out_dir) / "feedback" / f"{result.student_id}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(result), encoding="utf-8")
    return path
