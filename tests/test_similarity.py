"""The similarity check: copied work flagged for the instructor, never the common solution (autograder/similarity/)."""
import csv
import functools
import os
import subprocess
import sys

import nbformat
import pytest

from autograder.__main__ import main
from autograder.bench.similarity import (ASSIGNMENT, NEAR_COMMON, PUBLISHED, UNUSUAL, disguised, own_style,
                                         planted_class, write_class)
from autograder.grading import results
from autograder.grading.outcomes import Row
from autograder.hidden import simulated
from autograder.kernel import in_kernel
from autograder.paths import NOTEBOOKS, RELEASE, source_notebook
from autograder.similarity import detect
from autograder.similarity.answers import answer_digest
from autograder.similarity.fingerprints import fingerprints

import numpy as np
from testCases.notebook import solution_sources


@pytest.fixture(scope="module")
def planted():
    return planted_class(independent=30)


@pytest.fixture(scope="module")
def template(planted):
    students, _, _ = planted
    release = nbformat.read(RELEASE / ASSIGNMENT / NOTEBOOKS[ASSIGNMENT], as_version=4)
    return detect.solution_cells(release, list(students["kai_original"]))


def flagged(students, template, rows=None, references=None):
    functions = tuple(template)
    works = [detect.Work(name, cells, (rows or {}).get(name, {})) for name, cells in students.items()]
    works += [detect.Work(f"reference:{name}", cells) for name, cells in (references or {}).items()]
    typical = detect.typical_mistakes(ASSIGNMENT)
    pairs = detect.compare(works, template, functions, typical=typical, known=known_solutions(functions),
                           common_answers=common_answers(functions))
    return {(pair.student_a, pair.student_b): pair for pair in pairs}


def common_answers(functions):
    return detect.typical_answers(ASSIGNMENT, functions)


@functools.cache
def known_solutions(functions):
    return detect.known_solutions(ASSIGNMENT, functions)


def independent_only(students):
    return {name: cells for name, cells in students.items() if name.endswith("_independent")}


def test_fingerprints_ignore_names_comments_whitespace_and_statement_order():
    original = "def f(A, W):\n    Z = np.dot(W, A)  # forward\n    cache = (A, W)\n    return Z, cache\n"
    copied = "def f(x, w):\n    # the cache first\n    store=(x,w)\n\n    out =np.dot( w , x )\n    return out, store\n"
    assert set(fingerprints(original)) == set(fingerprints(copied))


def test_fingerprints_are_the_same_numbers_in_every_process():
    # Which grams winnowing keeps depends on the numbers: if they changed with Python's per-process hash seed, a
    # pair near a threshold would be flagged in one run and not in the next.
    script = ("from autograder.similarity.fingerprints import fingerprints; "
              "print(sorted(fingerprints(open(0).read())))")
    source = UNUSUAL["compute_cost"]
    runs = {subprocess.run([sys.executable, "-c", script], input=source, capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(runs) == 1 and runs != {"[]\n"}


def test_students_who_share_only_the_common_solution_are_never_flagged(planted, template):
    students, _, _ = planted
    assert flagged(independent_only(students), template) == {}


def test_a_renamed_reformatted_reordered_copy_is_flagged_with_code_evidence(planted, template):
    students, _, _ = planted
    pairs = flagged(students, template)
    pair = pairs[("kai_original", "lea_copied_kai")]
    assert pair.evidence == {"code"}
    assert set(pair.functions) == {"linear_forward", "compute_cost", "linear_backward"}


def test_the_planted_class_is_flagged_with_no_false_pair(planted, template):
    students, published, truth = planted
    pairs = flagged(students, template, references={"published.py": published})
    named = {tuple(sorted("reference" if name.startswith("reference:") else name for name in pair)) for pair in pairs}
    assert named == truth - {("max_odd_cost", "noa_odd_cost")}  # that pair shares answers, not code: next test


def _wrong(function, answer, mistake=""):
    return {function: Row(function, 0.0, 5.0, "failed", "wrong", mistake, answer)}


def test_a_shared_rare_wrong_answer_is_flagged_with_rare_mistake_evidence(planted, template):
    students, _, _ = planted
    rows = {"max_odd_cost": _wrong("compute_cost", "abc123"), "noa_odd_cost": _wrong("compute_cost", "abc123")}
    pair = flagged(students, template, rows)[("max_odd_cost", "noa_odd_cost")]
    assert pair.evidence == {"rare-mistake"} and set(pair.mistakes) == {"compute_cost"}


def test_a_shared_rare_wrong_answer_the_diagnosis_explains_by_a_relation_is_still_flagged(planted, template):
    """A relation (a factor off, a transpose) describes the answer; unlike a catalogue mistake, it is not typical."""
    students, _, _ = planted
    rows = {name: _wrong("compute_cost", "abc123", "compute_cost.some_factor")
            for name in ("max_odd_cost", "noa_odd_cost")}
    assert flagged(students, template, rows)[("max_odd_cost", "noa_odd_cost")].evidence == {"rare-mistake"}


def test_a_wrong_answer_many_students_give_or_a_catalogue_mistake_is_not_enough(planted, template):
    students = independent_only(planted[0])
    common = {name: _wrong("compute_cost", "common") for name in list(students)[:10]}
    catalogue = {name: _wrong("linear_backward", "typical", "linear_backward.missing_1_m_in_dw")
                 for name in list(students)[10:12]}
    assert flagged(students, template, {**common, **catalogue}) == {}


def test_a_wrong_answer_published_solutions_commonly_give_is_not_enough(planted, template):
    """Two students who each hard-coded the output layer as W3 raise the same KeyError on a network of 2 layers,
    without having seen each other's work: published solutions do it (the real-style corpus has it)."""
    students = independent_only(planted[0])
    tests = simulated.hidden_tests(ASSIGNMENT)
    loops = ("for l in range(1, len(parameters) // 2):", "for l in [k + 1 for k in range(len(parameters) // 2 - 1)]:")
    sources = [f'''
def L_model_forward(X, parameters):
    caches = []
    A = X
    {loop}
        A, cache = linear_activation_forward(A, parameters["W%d" % l], parameters["b%d" % l], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W3"], parameters["b3"], "sigmoid")
    caches.append(cache)
    return AL, caches
''' for loop in loops]
    verdicts = [simulated.verdict(tests, "L_model_forward", source) for source in sources]
    assert verdicts[0].answer == verdicts[1].answer and verdicts[0].status == "error"
    rows = {name: {"L_model_forward": Row("L_model_forward", 0.0, 5.0, "error", verdict.message, verdict.mistake,
                                          verdict.answer)} for name, verdict in zip(students, verdicts)}
    assert flagged(students, template, rows) == {}


def test_a_student_who_copied_a_published_reference_file_is_flagged_against_it(planted, template, tmp_path):
    students = independent_only(planted[0])
    path = tmp_path / "solutions.py"
    path.write_text("import numpy as np\n" + PUBLISHED, encoding="utf-8")
    reference = detect.read_reference(path, list(template))
    copier = dict(next(iter(students.values())), **{name: disguised(source) for name, source in reference.items()})
    pairs = flagged({**students, "copier": copier}, template, references={str(path): reference})
    assert list(pairs) == [("copier", f"reference:{path}")] and pairs[("copier", f"reference:{path}")].evidence == \
        {"reference"}


def test_students_who_leave_the_template_are_not_flagged(planted, template):
    students = independent_only(planted[0])
    blank = {name: dict(template) for name in ("blank_one", "blank_two")}
    assert flagged({**students, **blank}, template) == {}


def _returned(value):
    return {"op": "returned", "output": in_kernel.encode(value), "args": in_kernel.encode([])}


def test_an_answer_digest_names_the_values_not_the_rounding():
    same = answer_digest([_returned(np.array([[0.1 + 0.2]]))]) == answer_digest([_returned(np.array([[0.3]]))])
    assert answer_digest([_returned(np.float64(0.25))]) == answer_digest([_returned(0.25)])
    other = answer_digest([_returned(np.array([[0.31]]))])
    raised = [{"op": "raised", "type": "ValueError", "message": "shapes (3,4) and (5,1) not aligned"}]
    assert same and other != answer_digest([_returned(np.array([[0.3]]))])
    assert answer_digest(raised) != answer_digest([{**raised[0], "message": "another text"}])


def test_the_command_writes_similarity_csv_and_names_a_broken_notebook(planted, tmp_path, capsys):
    students, _, _ = planted
    # a class large enough for its common styles to be common (4 styles a function, each used by 7 or 8)
    chosen = {name: students[name] for name in list(independent_only(students)) +
              ["kai_original", "lea_copied_kai"]}
    write_class(tmp_path / "submitted", chosen)
    broken = tmp_path / "submitted" / "zed_broken" / ASSIGNMENT
    broken.mkdir(parents=True)
    (broken / NOTEBOOKS[ASSIGNMENT]).write_text("{not json", encoding="utf-8")
    out = tmp_path / "grades"
    for name in list(chosen) + ["zed_broken"]:
        results.save(out, results.StudentResult(name, ASSIGNMENT, "x", [], folder=str(tmp_path / "submitted" / name
                                                                                      / ASSIGNMENT)))
    assert main(["similarity", "--assignment", ASSIGNMENT, "--out", str(out)]) == 0
    with open(out / "similarity.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["student_a"], row["student_b"], row["evidence"]) for row in rows] == \
        [("kai_original", "lea_copied_kai", "code")]
    assert "compute_cost" in rows[0]["functions"] and "compute_cost" in rows[0]["why"]
    printed = capsys.readouterr()
    assert printed.err.count("\n") == 1 and str(broken / NOTEBOOKS[ASSIGNMENT]) in printed.err


def test_the_report_shows_each_flagged_pair_side_by_side_and_the_feedback_does_not(planted, template, tmp_path):
    from autograder.reporting import report

    students, _, _ = planted
    works = [detect.Work(name, cells) for name, cells in students.items()]
    pairs = detect.compare(works, template, list(template))
    detect.write(tmp_path, pairs, works, len(works))
    result = results.StudentResult("kai_original", ASSIGNMENT, "x", [Row("linear_forward", 5.0, 5.0, "passed", "")])
    html = report.write(tmp_path, ASSIGNMENT, [result]).read_text(encoding="utf-8")
    assert "Possibly copied work" in html and "kai_original and lea_copied_kai" in html
    assert "<mark>" in html and "np .einsum" in html  # the copy's cell, its shared lines marked


def test_the_command_flags_a_student_against_a_reference_folder_of_notebooks(planted, tmp_path, capsys):
    """Submissions named with --submitted (no results yet), and a folder of published solutions as a notebook."""
    students, published, _ = planted
    chosen = dict(independent_only(students))
    chosen["copier"] = {**next(iter(chosen.values())),
                        **{function: disguised(source) for function, source in published.items()}}
    write_class(tmp_path / "submitted", chosen)
    reference = tmp_path / "published"
    reference.mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)
                                                   for source in published.values()]), reference / "solutions.ipynb")
    out = tmp_path / "grades"
    out.mkdir()
    assert main(["similarity", "--assignment", ASSIGNMENT, "--out", str(out), "--submitted",
                 str(tmp_path / "submitted"), "--reference", str(reference)]) == 0
    with open(out / "similarity.csv", encoding="utf-8") as handle:
        rows = [(row["student_a"], row["student_b"], row["evidence"]) for row in csv.DictReader(handle)]
    assert rows == [("copier", f"reference:{reference / 'solutions.ipynb'}", "reference")]
    assert capsys.readouterr().err.count("\n") == 1  # one line for the students not graded yet, not one each


def test_two_students_alike_in_two_cells_only_are_not_flagged(planted, template):
    """Two short cells alike are too easily a coincidence: code evidence needs three (c.Similarity.min_functions)."""
    students, _, _ = planted
    kai = students["kai_original"]
    two = dict(list(UNUSUAL.items())[:2])
    partly = {**independent_only(students), "kai_original": kai,
              "lea_copied_two": {**kai, **{function: students["s000_independent"][function] for function in UNUSUAL
                                          if function not in two},
                                 **{function: disguised(source) for function, source in two.items()}}}
    assert ("kai_original", "lea_copied_two") not in flagged(partly, template)


def test_in_a_small_class_two_students_alike_only_in_styles_the_kit_knows_are_not_flagged(template):
    """Six students: too few for any passage to be common, but every style here is one the catalogue knows."""
    from autograder.catalogue.step_by_step import CORRECT_STYLES
    from autograder.bench.similarity import own_style

    functions = list(template)
    known = detect.known_solutions(ASSIGNMENT, functions)
    styles = {function: [source for _, source in CORRECT_STYLES.get(function, [])] or known[function]
              for function in functions}
    works = [detect.Work(f"s{number}", {function: own_style(styles[function][(number // 2) % len(styles[function])],
                                                            f"s{number}") for function in functions})
             for number in range(6)]  # s0 and s1 wrote the same styles, s2 and s3, s4 and s5
    assert detect.compare(works, template, functions, known=known) == []
    assert detect.compare(works, template, functions) != []  # what the class alone cannot tell


def common_but_one_cell(students, template):
    base = {function: students["s000_independent"][function] for function in template}
    return {**base, **NEAR_COMMON}


def test_a_copy_of_work_whose_every_choice_but_one_many_students_made_is_flagged_as_alike_in_every_cell(
        planted, template):
    """Published solutions of this assignment are the common solution but for a choice or two, each alone too
    common or too short to count; a copy keeps every one of them, with every other cell alike too."""
    students, _, _ = planted
    quin = common_but_one_cell(students, template)
    pairs = flagged({**independent_only(students), "quin": quin,
                     "rex_copied_quin": {function: disguised(source, "rex") for function, source in quin.items()}},
                    template)
    pair = pairs[("quin", "rex_copied_quin")]
    assert pair.evidence == {"code"} and set(pair.rare_versions) == {"linear_backward"}
    assert detect.why(pair, 32).startswith("every graded cell alike, linear_backward as 2 of 32 students wrote it")


def test_two_students_who_share_one_unusual_cell_and_differ_elsewhere_are_not_flagged(planted, template):
    students, _, _ = planted
    quin = common_but_one_cell(students, template)
    uma = {**{function: students["s001_independent"][function] for function in template},
           "linear_backward": own_style(NEAR_COMMON["linear_backward"], "uma")}
    assert flagged({**independent_only(students), "quin": quin, "uma": uma}, template) == {}


def test_two_blank_submissions_are_alike_in_every_cell_but_not_flagged(planted, template):
    students, _, _ = planted
    assert flagged({**independent_only(students), "vic_blank": dict(template), "wes_blank": dict(template)},
                   template) == {}


def test_two_students_alike_in_every_cell_but_with_only_two_cells_of_their_own_are_not_flagged(planted, template):
    """As in the code rule: two short cells are too easily a coincidence (real solutions of the application, whose
    students write two functions of four calls each, are alike in every cell more often than not)."""
    students, _, _ = planted
    functions = list(template)
    own = {**dict(solution_sources(source_notebook(ASSIGNMENT))), **dict(list(UNUSUAL.items())[:2])}
    works = [detect.Work(name, cells) for name, cells in {
        **independent_only(students), "yan": own,
        "zoe_copied_yan": {function: disguised(source, "zoe") for function, source in own.items()}}.items()]
    known = detect.known_solutions(ASSIGNMENT, functions)
    assert detect.compare(works, template, functions, known=known) == []


def test_a_student_alike_in_every_cell_with_a_published_solution_of_one_unusual_cell_is_flagged_against_it(
        planted, template):
    """A --reference file is a source the instructor named: one cell written as few students wrote it, and every
    other alike, is enough (among students it takes three cells of their own)."""
    students, _, _ = planted
    published = {**dict(solution_sources(source_notebook(ASSIGNMENT))), **NEAR_COMMON}
    copier = {function: disguised(source, "copier") for function, source in published.items()}
    pairs = flagged({**independent_only(students), "copier": copier}, template,
                    references={"blog.py": published})
    assert list(pairs) == [("copier", "reference:blog.py")]
    assert pairs[("copier", "reference:blog.py")].evidence == {"reference"}


def test_the_typical_answers_are_computed_once_and_kept_for_the_check_after_grading():
    """Grading computes them while its last submissions run, when a core is idle (grade.py), not after."""
    functions = tuple(simulated.hidden_tests(ASSIGNMENT).functions)
    assert detect.typical_answers(ASSIGNMENT, functions) is detect.typical_answers(ASSIGNMENT, functions)
