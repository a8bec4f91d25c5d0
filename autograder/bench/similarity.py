"""Measure the similarity check on a planted class: `make bench-similarity`.

The class, our own variants throughout: independent students who each reach the common solution in their own style
(the reference and the catalogue's correct styles, every student's names, comments and spacing their own), a pair
where one copied the other's unusual code and renamed, reformatted, re-commented and reordered it, a pair where one
copied, whole and disguised, work whose every choice but one a good part of the class made too, a pair sharing one unusual bug
written in two ways, and two students who copied a "published" solution (the --reference folder).
It grades the class for real (kernels, no sandbox when bubblewrap is missing), then runs the similarity check, and
prints the precision and recall of the flags and the check's time beside the grading's.

The rules were also measured against real work, which cannot be shipped here (third-party code): 166 published
solutions of this assignment from as many GitHub repositories, as the independent students of random classes of
10 to 150, each class with two of them copied whole and disguised as above (the measure of 2026-12-03). Most
published solutions are the common solution but for a choice or two, so per-passage evidence alone found 4 of 48
copies; with "alike in every cell" it found 53 of 54 and flagged no other pair, once the 4 solutions that are
token for token another's (names, comments and spacing aside) were left out. Those 4 are flagged, rightly: they
share unusual lines, and a bug, with the solution they copy.
"""
import argparse
import contextlib
import io
import json
import keyword
import re
import shutil
import tempfile
import time
import tokenize
from pathlib import Path

from testCases.notebook import solution_sources

from ..catalogue.step_by_step import CORRECT_STYLES
from ..paths import NOTEBOOKS, RELEASE, source_notebook
from ..similarity.fingerprints import KEPT_NAMES

ASSIGNMENT = "step_by_step"

# Unusual but right: what one student wrote and another copied.
UNUSUAL = {
    "linear_forward": '''
def linear_forward(A, W, b):
    # broadcast the bias over the examples explicitly
    examples = A.shape[1]
    bias_block = np.tile(b, (1, examples))
    Z = np.einsum("ij,jk->ik", W, A) + bias_block
    cache = (A, W, b)
    return Z, cache
''',
    "compute_cost": '''
def compute_cost(AL, Y):
    examples = Y.shape[1]
    positive_part = np.einsum("ij,ij->", Y, np.log(AL))
    negative_part = np.einsum("ij,ij->", 1 - Y, np.log(1 - AL))
    total = positive_part + negative_part
    return np.squeeze(np.array(-total / examples))
''',
    "linear_backward": '''
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    inverse_m = 1.0 / A_prev.shape[1]
    dW = inverse_m * np.einsum("ik,jk->ij", dZ, A_prev)
    db = inverse_m * np.einsum("ik->i", dZ).reshape(-1, 1)
    dA_prev = np.einsum("ji,jk->ik", W, dZ)
    return dA_prev, dW, db
''',
}

# Right, and written as a good part of a class writes them (HABITS_SHARED_BY students), though not as the kit's
# known solutions do: the small choices of published solutions of this assignment (1. / m, -=, caches[-1]).
HABITS = {
    "compute_cost": '''
def compute_cost(AL, Y):
    m = Y.shape[1]
    cost = -1. / m * np.sum(Y * np.log(AL) + (1. - Y) * np.log(1. - AL))
    return np.squeeze(cost)
''',
    "update_parameters": '''
def update_parameters(params, grads, learning_rate):
    parameters = copy.deepcopy(params)
    for l in range(1, len(parameters) // 2 + 1):
        parameters["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] -= learning_rate * grads["db" + str(l)]
    return parameters
''',
    "linear_forward": '''
def linear_forward(A, W, b):
    Z = W.dot(A) + b
    return Z, (A, W, b)
''',
}
HABITS_SHARED_BY = 8

# Right, and written as few students would: the one choice that, with the habits above, tells a student's work from
# everyone else's, as most published solutions of this assignment differ (a student copies that work whole, renamed).
NEAR_COMMON = {"linear_backward": '''
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    dW = dZ.dot(A_prev.T) / A_prev.shape[1]
    db = np.mean(dZ, axis=1).reshape(b.shape)
    dA_prev = W.T.dot(dZ)
    return dA_prev, dW, db
'''}

# A "published" solution, as a blog post might give it; two students copy it.
PUBLISHED = '''
def linear_forward(A, W, b):
    Z = np.matmul(W, A)
    Z = np.add(Z, b)
    cache = (A, W, b)
    assert Z.shape == (W.shape[0], A.shape[1]), "Z has the wrong shape"
    return Z, cache


def compute_cost(AL, Y):
    num_examples = np.size(Y, 1)
    log_likelihood = np.multiply(np.log(AL), Y) + np.multiply(np.log(np.subtract(1, AL)), np.subtract(1, Y))
    cost = np.negative(np.divide(np.sum(log_likelihood), num_examples))
    return np.squeeze(cost)


def update_parameters(params, grads, learning_rate):
    parameters = {key: np.copy(value) for key, value in params.items()}
    for key in parameters:
        parameters[key] = np.subtract(parameters[key], np.multiply(learning_rate, grads["d" + key]))
    return parameters
'''

# One unusual bug (a cost off by 0.001), written two ways: the same wrong values, different code.
ODD_COST = ['''
def compute_cost(AL, Y):
    m = Y.shape[1]
    cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m
    return np.squeeze(cost) + 0.001
''', '''
def compute_cost(AL, Y):
    n = AL.shape[1]
    loss = np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T)
    loss = float(np.squeeze(-loss / n))
    return loss + 1e-3
''']


def renamed(source, suffix):
    """`source` with every local name changed (tokenize, so strings and attributes stay), as a copier renames."""
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    out, previous, first_def = [], "", True
    for token in tokens:
        text = token.string
        if token.type == tokenize.NAME and text not in KEPT_NAMES and previous not in (".", "def") and \
                not keyword.iskeyword(text):
            text = f"{text}_{suffix}"
        previous = token.string
        out.append((token.type, text))
    return tokenize.untokenize(out)


def _names(line):
    return set(re.findall(r"[A-Za-z_]\w*", line))


def _independent(first, second):
    """Neither line assigns a name the other reads or assigns."""
    if "=" not in first or "=" not in second or "return" in first + second:
        return False
    assigned_first, assigned_second = _names(first.split("=")[0]), _names(second.split("=")[0])
    return not (assigned_first & _names(second) or assigned_second & _names(first))


def disguised(source, suffix="mine"):
    """A copy: renamed, reformatted (untokenize's spacing), re-commented, and its first two adjacent independent
    body statements swapped."""
    lines = [line for line in renamed(source, suffix).splitlines() if not line.strip().startswith("#")]
    for index in range(1, len(lines) - 1):
        indent = len(lines[index]) - len(lines[index].lstrip())
        if indent and indent == len(lines[index + 1]) - len(lines[index + 1].lstrip()) and \
                _independent(lines[index], lines[index + 1]):
            lines[index], lines[index + 1] = lines[index + 1], lines[index]
            break
    return "\n".join(line + ("  # my step" if line.rstrip().endswith(")") else "") for line in lines) + "\n"


def own_style(source, student):
    """A student's own version of a common solution: their comments and spacing."""
    return f"# {student}'s answer\n" + source.replace(" = ", "  =  ") + "\n"


def planted_class(independent=30):
    """({student: {function: source}}, published {function: source}, {student: {function: wrong answer}}, truth):
    truth is the set of pairs that should be flagged, each a sorted tuple (a reference named "reference")."""
    reference = dict(solution_sources(source_notebook(ASSIGNMENT)))
    styles = {function: [reference[function]] + [source for _, source in CORRECT_STYLES.get(function, [])]
              for function in reference}
    functions = list(reference)
    students = {}
    for number in range(independent):
        student = f"s{number:03d}_independent"
        students[student] = {function: own_style(styles[function][(number + offset) % len(styles[function])],
                                                 student)
                             for offset, function in enumerate(functions)}
        if number < HABITS_SHARED_BY:
            students[student].update((function, own_style(source, student)) for function, source in HABITS.items())
    base = dict(reference)
    students["kai_original"] = {**base, **UNUSUAL}
    students["lea_copied_kai"] = {**base, **{function: disguised(source) for function, source in UNUSUAL.items()}}
    students["max_odd_cost"] = {**base, "compute_cost": ODD_COST[0]}
    students["noa_odd_cost"] = {**{function: own_style(source, "noa") for function, source in base.items()},
                                "compute_cost": ODD_COST[1]}
    published = {function: "\ndef " + part for part in PUBLISHED.split("\ndef ")[1:]
                 for function in functions if part.startswith(function + "(")}
    students["quin_near_common"] = {**base, **HABITS, **NEAR_COMMON}
    students["rex_copied_quin"] = {function: disguised(source, "rex")
                                   for function, source in students["quin_near_common"].items()}
    students["olu_published"] = {**base, **{function: disguised(source, "olu")
                                            for function, source in published.items()}}
    students["pia_published"] = {**base, **{function: own_style(source, "pia")
                                            for function, source in published.items()}}
    truth = {("kai_original", "lea_copied_kai"), ("quin_near_common", "rex_copied_quin"), ("max_odd_cost", "noa_odd_cost"), ("olu_published", "reference"),
             ("pia_published", "reference"), ("olu_published", "pia_published")}
    return students, published, truth


def write_class(folder, students):
    """The planted class in nbgrader's submitted layout, from the release notebook."""
    release_dir = RELEASE / ASSIGNMENT
    release = json.loads((release_dir / NOTEBOOKS[ASSIGNMENT]).read_text(encoding="utf-8"))
    for student, cells in students.items():
        notebook = json.loads(json.dumps(release))
        for cell in notebook["cells"]:
            grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
            if grade_id in cells:
                cell["source"] = cells[grade_id].strip("\n") + "\n"
        target = Path(folder) / student / ASSIGNMENT
        shutil.copytree(release_dir, target, ignore=shutil.ignore_patterns("__pycache__"))
        (target / NOTEBOOKS[ASSIGNMENT]).write_text(json.dumps(notebook, indent=1), encoding="utf-8")


def flagged_pairs(pairs):
    return {tuple(sorted(("reference" if name.startswith("reference:") else name) for name in
                         (pair.student_a, pair.student_b))) for pair in pairs}


def precision_recall(flagged, truth):
    hits = len(flagged & truth)
    return (hits / len(flagged) if flagged else 1.0), hits / len(truth)


def main(argv=None):
    from ..environment import prepare_process
    from ..generators import demo_course
    from ..grading.grade import Options, grade, sandbox_refusal
    from ..similarity import detect

    parser = argparse.ArgumentParser(prog="python -m autograder.bench.similarity", description=__doc__.splitlines()[0])
    parser.add_argument("--independent", type=int, default=30, help="independent students (default: 30)")
    args = parser.parse_args(argv)
    prepare_process()
    students, published, truth = planted_class(args.independent)
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        course = demo_course.make(scratch / "course")  # its own gradebook and autograded/: not the repository's
        write_class(scratch / "submitted", students)
        (scratch / "published").mkdir()
        (scratch / "published" / "solutions.py").write_text("import numpy as np\n" + PUBLISHED, encoding="utf-8")
        out = scratch / "grades"
        sandbox = sandbox_refusal() is None
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):  # the class's scores: not what this measures
            grade(Options(scratch / "submitted", ASSIGNMENT, out, course=course, sandbox=sandbox, progress=False))
        grading = time.perf_counter() - started
        started = time.perf_counter()
        _, pairs, problems = detect.run(course, ASSIGNMENT, out, references=[scratch / "published"])
        checking = time.perf_counter() - started
        flagged = flagged_pairs(pairs)
        precision, recall = precision_recall(flagged, truth)
        print(f"{len(students)} students ({args.independent} independent), {len(truth)} planted pairs, "
              f"{len(pairs)} flagged")
        for pair in pairs:
            print(f"  {pair.student_a:<18} {pair.student_b.split('/')[-1]:<18} {' '.join(sorted(pair.evidence)):<24}"
                  f" {detect.why(pair, len(students))}")
        for line in problems:
            print(f"  problem: {line}")
        print(f"\nprecision {precision:.2f}  recall {recall:.2f}")
        print(f"grading {grading:.1f} s ({'sandboxed' if sandbox else 'no sandbox'}), similarity {checking:.2f} s: "
              f"{100 * checking / grading:.1f}% of grading")


if __name__ == "__main__":
    main()
