"""The instructor's report: the pass rate of every function and the distribution of total scores.

Writes report.png (Matplotlib) and report.html, which embeds it next to a table of the students
that need attention.
"""
from html import escape
from pathlib import Path

from ..similarity.report import section as similarity_section
from .mistakes import earlier_version_section, mistakes_section

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (the backend must be chosen first)

PASSED_COLOUR, TOTALS_COLOUR = "#2f6f9f", "#c0633f"


def pass_rates(class_results):
    """[(function, fraction of students who passed it)] in notebook order."""
    if not class_results:
        return []
    functions = [row.function for row in class_results[0].rows]
    return [(function, sum(row.status == "passed" for result in class_results for row in result.rows
                           if row.function == function) / len(class_results)) for function in functions]


def draw(path, assignment, class_results):
    rates = pass_rates(class_results)
    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 5), gridspec_kw={"width_ratios": [3, 2]})
    names = [name for name, _ in rates][::-1]
    bars = left.barh(names, [100 * rate for _, rate in rates][::-1], color=PASSED_COLOUR)
    left.bar_label(bars, fmt="%.0f%%", padding=3)
    left.set_xlim(0, 108)
    left.set_xlabel("students who passed (%)")
    left.set_title("Pass rate per function")
    left.grid(axis="x", alpha=0.3)
    totals = [result.score for result in class_results]
    maximum = max((result.max_score for result in class_results), default=100) or 100
    right.hist(totals, bins=10, range=(0, maximum), color=TOTALS_COLOUR, edgecolor="white")
    right.set_xlabel(f"total score (out of {maximum:g})")
    right.set_ylabel("students")
    right.set_title("Total scores")
    right.yaxis.get_major_locator().set_params(integer=True)
    figure.suptitle(f"{assignment}: {len(class_results)} students")
    figure.tight_layout()
    figure.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(figure)


UNSANDBOXED = ('<p style="background:#fff4e5;border-left:4px solid #9a5b00;padding:.6rem .8rem">'
               "<strong>Graded without a sandbox</strong> (--no-sandbox): the students' code ran with the "
               "grader's permissions, and could read or change the course's files.</p>")


def _late_table(class_results):
    late = "\n".join(f"<tr><td>{escape(result.student_id)}</td><td>{escape(result.late)}</td></tr>"
                     for result in class_results if result.late)
    return (f"<h2>Late submissions</h2><table><tr><th>Student</th><th>How late, and what the late policy took"
            f"</th></tr>{late}</table>" if late else "<p>No submission was late.</p>")


def _pass_rate_table(class_results):
    """The numbers of the chart's bars, for whoever does not see the picture."""
    rows = "\n".join(f'<tr><th scope="row">{escape(function)}</th><td>{100 * rate:.0f}% '
                     f"({round(rate * len(class_results))} of {len(class_results)})</td></tr>"
                     for function, rate in pass_rates(class_results))
    return (f'<table><caption>Pass rate per function</caption><tr><th scope="col">Function</th>'
            f'<th scope="col">Students who passed</th></tr>{rows}</table>' if rows else "")


CHART_ALT = ("Bar chart of the pass rate per function, and histogram of the students' total scores; the pass rates "
             "are in the table below, each student's score in the table of students")


def write(out_dir, assignment, class_results):
    """Write report.png and report.html into `out_dir`; return the HTML path.

    A class graded, even in part, with --no-sandbox gets a warning at the top.
    """
    sandboxed = all(result.sandboxed for result in class_results)
    out_dir = Path(out_dir)
    draw(out_dir / "report.png", assignment, class_results)
    attention = "\n".join(f"<tr><td>{escape(result.student_id)}</td><td>{escape(result.attention)}</td></tr>"
                          for result in class_results if result.attention)
    attention_table = (f"<h2>Needs attention</h2><table><tr><th>Student</th><th>What happened</th></tr>"
                       f"{attention}</table>" if attention else "<p>No submission needs attention.</p>")
    rows = "\n".join(f"<tr><td>{escape(result.student_id)}</td><td>{result.score:g} / {result.max_score:g}</td>"
                     f"<td><a href=\"feedback/{escape(result.student_id)}.html\">feedback</a></td></tr>"
                     for result in class_results)
    html = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(assignment)}: class report</title>
<style>body {{ font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; color: #222; }}
table {{ border-collapse: collapse; }} th, td {{ text-align: left; padding: .35rem .7rem;
border-bottom: 1px solid #ddd; }} img {{ max-width: 100%; }} caption {{ text-align: left; font-weight: 600;
padding: .35rem 0; }}</style></head>
<body><main><h1>{escape(assignment)}: class report</h1>
{"" if sandboxed else UNSANDBOXED}
<img src="report.png" alt="{CHART_ALT}">
{_pass_rate_table(class_results)}
{attention_table}
{_late_table(class_results)}
{mistakes_section(class_results)}
{earlier_version_section(class_results)}
{similarity_section(out_dir)}
<h2>Students</h2><table><tr><th>Student</th><th>Score</th><th>Feedback</th></tr>
{rows}
</table></main></body></html>
"""
    path = out_dir / "report.html"
    path.write_text(html, encoding="utf-8")
    return path
