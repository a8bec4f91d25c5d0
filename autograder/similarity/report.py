"""The report's section on possibly copied work: each flagged pair, each function's cell of both side by side, the
shared passages marked. Read from similarity.json; for the instructor's report.html only, never the feedback."""
import json
from html import escape
from pathlib import Path


def _cell(source, lines):
    marked = set(lines)
    return "\n".join(f"<mark>{escape(line)}</mark>" if number in marked else escape(line)
                     for number, line in enumerate(source.splitlines(), start=1))


def section(out_dir) -> str:
    path = Path(out_dir) / "similarity.json"
    if not path.is_file():
        return ""
    try:
        pairs = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return f"<h2>Possibly copied work</h2><p>{escape(str(path))} could not be read ({escape(str(error))}).</p>"
    if not pairs:
        return "<h2>Possibly copied work</h2><p>No pair of students was flagged (similarity.csv).</p>"
    # Long lines wrap: a passage that scrolled sideways would need a keyboard focus of its own.
    parts = ["<h2>Possibly copied work</h2><style>.similar pre { white-space: pre-wrap; overflow-wrap: anywhere; }"
             "</style><p>Flagged by <code>python -m autograder similarity</code> "
             "(similarity.csv): a sign to look at, not a finding. Passages shared with many students, or given by "
             "the release, do not count; the passages the two share are marked.</p>"]
    for pair in pairs:
        parts.append(f"<details><summary>{escape(pair['student_a'])} and {escape(pair['student_b'])}: "
                     f"{escape(', '.join(pair['evidence']))} (score {pair['score']:g})</summary>"
                     f"<p>{escape(pair['why'])}</p>")
        for function in pair["functions"]:
            sides = "".join(f"<figure><figcaption>{escape(pair[student])}</figcaption>"
                            f"<pre>{_cell(function[cell], function[lines])}</pre></figure>"
                            for student, cell, lines in (("student_a", "cell_a", "lines_a"),
                                                         ("student_b", "cell_b", "lines_b")))
            parts.append(f'<h3>{escape(function["function"])}</h3>'
                         f'<div class="similar" style="display:grid;grid-template-columns:1fr 1fr;gap:1rem">'
                         f'{sides}</div>')
        parts.append("</details>")
    return "\n".join(parts)
