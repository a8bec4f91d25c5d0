"""The class report names the mistakes the class made, and grades.csv has a mistake column."""
import csv

from autograder.reporting import report
from autograder.reporting.mistakes import mistakes_by_function
from autograder.grading.outcomes import Row, Status, Verdict, rows_for_verdicts
from autograder.grading.results import GRADE_COLUMNS, StudentResult, write_tables

DW = "linear_backward.missing_1_m_in_dw"
DB = "linear_backward.missing_1_m_in_db"


def _result(student, status, message, mistake=""):
    return StudentResult(student, "step_by_step", "", [Row("linear_backward", 10 if status == "passed" else 0, 10,
                                                           status, message, mistake)])


CLASS = [_result("ada", "failed", "linear_backward, visible check: dW is m times too large: divide it by m", DW),
         _result("ben", "failed", "linear_backward, visible check: db is m times too large: divide it by m", DB),
         _result("cleo", "failed", "linear_backward, visible check: dW is m times too large: divide it by m", DW),
         _result("dev", "failed", "linear_backward, visible check: dA_prev has the right shape but wrong values"),
         _result("eve", "passed", ""),
         _result("finn", "error", "linear_backward is not written yet: it still raises NotImplementedError")]


def test_mistakes_are_listed_most_frequent_first_with_the_share_no_mistake_explains():
    [(function, made, unexplained)] = mistakes_by_function(CLASS)
    assert function == "linear_backward"
    assert [(mistake, students) for mistake, students, _ in made] == [(DW, ["ada", "cleo"]), (DB, ["ben"])]
    assert made[0][2].endswith("dW is m times too large: divide it by m")
    assert unexplained == 1 / 4  # dev's; finn's function is not written, eve's is right


def test_report_links_the_students_to_their_feedback(tmp_path):
    html = report.write(tmp_path, "step_by_step", CLASS).read_text(encoding="utf-8")
    section = html[html.index("<h2>Mistakes</h2>"):]
    assert section.index(DW) < section.index(DB)
    assert '<a href="feedback/ada.html">ada</a>, <a href="feedback/cleo.html">cleo</a>' in section
    assert "Wrong answers no known mistake explains: 25%" in section


def test_grades_csv_has_the_mistake_column(tmp_path):
    grades, _ = write_tables(tmp_path, CLASS)
    with open(grades, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert GRADE_COLUMNS[-1] == "mistake"
    assert [row["mistake"] for row in rows] == [DW, DB, DW, "", "", ""]


def test_the_verdicts_mistake_reaches_the_row():
    class Cell:
        function, points = "linear_backward", 10

    [row] = rows_for_verdicts({"linear_backward": Verdict(Status.FAILED, "dW is m times too large", mistake=DW)},
                              [Cell])
    assert row.mistake == DW
    [row] = rows_for_verdicts({"linear_backward": Verdict(Status.FAILED, "wrong")}, [Cell])
    assert row.mistake == ""


def test_the_report_lists_the_students_whose_code_follows_an_earlier_version_of_the_course(tmp_path):
    earlier = "update_parameters.earlier_version_updates_the_dict_it_is_given"
    said = "update_parameters, visible check: this is update_parameters(parameters, grads, learning_rate) of an " \
           "earlier version of this course"
    rows = lambda mistake, message: [Row("update_parameters", 0, 10, "failed", message, mistake)]  # noqa: E731
    class_results = [StudentResult("gil", "step_by_step", "", rows(earlier, said)),
                     StudentResult("hal", "step_by_step", "", rows(earlier, said)),
                     StudentResult("ivy", "step_by_step", "", rows(DW, "dW is m times too large"))]
    html = report.write(tmp_path, "step_by_step", class_results).read_text(encoding="utf-8")
    section = html.split("<h2>Code written for an earlier version of the course</h2>")[1]
    assert "<code>update_parameters</code>, 2 students" in section and "gil" in section and "hal" in section
    assert "ivy" not in section.split("</ul>")[0]
