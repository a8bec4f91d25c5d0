"""Pairs of students whose work looks copied: `python -m autograder similarity --assignment ID [--reference DIR]`.

Writes similarity.csv (a row per flagged pair: student_a, student_b, score, functions, evidence, why) and
similarity.json (the matching cells, for the report's side-by-side view) into the grade command's out folder.
Only for the instructor: nothing here reaches the feedback.

Evidence, several may apply to a pair:
  code          in at least `min_functions` (3) graded cells, the two share most of their uncommon fingerprints
                (fingerprints.py): what the release's template gives everyone does not count, nor the right
                solutions the kit knows (known_solutions), nor a passage that more than max(common_minimum,
                common_fraction * class size) students have (the common solution);
                or every graded cell of the two is alike (the same fingerprints) and at least `min_rare_versions`
                (1) of those cells is written as no more than that many students of the class wrote it, beyond
                what the template and the known solutions hold. Real solutions of this assignment are the common
                solution but for a choice or two (1./m, caches[-1], np.multiply or *), each common enough alone;
                a copy keeps every one of them, and independent authors rarely make them all alike (measured on
                166 published solutions: see make bench-similarity's docstring)
  rare-mistake  the same wrong answer (the same values on every test call, or the same exception text;
                results' Row.answer) that at most max(rare_maximum, rare_fraction * class size) students gave, and
                that no catalogue mistake explains nor a bug of the real-style corpus gives (a typical bug is no
                sign of copying; a relation the diagnosis names, such as a factor or a transpose, does not stop it)
  earlier-api   besides code or rare-mistake evidence: both wrote that function for an earlier version of the course
  reference     a student's cells match a file of a --reference folder (published solutions, past years) by the
                rules of code, the reference against the student; alike in every cell the file holds (at least
                min_functions), one cell of the student's own written as few students wrote it is enough

Cost: fingerprinting is linear in the class's code; pairs are found through an index from each uncommon fingerprint
to the students who have it, so the work is (fingerprints) x (students per uncommon fingerprint)^2, and the limit on
students per fingerprint bounds that: a class of 1,000 is seconds on one core (make bench-similarity measures it).
"""
import ast
import csv
import functools
import importlib
import json
import math
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from traitlets import Float, Integer
from traitlets.config import Configurable

from ..grading import results as stored
from ..grading.gradecells import grade_id_of, graded_cells
from ..grading.outcomes import one_line
from ..grading.submissions import read_notebook
from ..generators.reference_solutions import reference_path
from .fingerprints import fingerprints

COLUMNS = ("student_a", "student_b", "score", "functions", "evidence", "why")
EVIDENCE_ORDER = ("code", "rare-mistake", "earlier-api", "reference")
EARLIER_VERSION = ".earlier_version_"  # in the ids of testCases/diagnosis/conventions.py's causes
REFERENCE_PREFIX = "reference:"


class Similarity(Configurable):
    """Thresholds of the similarity check; set them in nbgrader_config.py as c.Similarity.<name> = value."""
    kgram = Integer(5, help="tokens per fingerprinted passage").tag(config=True)
    window = Integer(3, help="winnowing window: passages of kgram + window - 1 tokens are always caught").tag(
        config=True)
    common_fraction = Float(0.05, help="a passage more than this fraction of the class has is common").tag(config=True)
    common_minimum = Integer(3, help="... or more than this many students, whichever is more").tag(config=True)
    min_shared = Integer(3, help="uncommon fingerprints two cells must share to match").tag(config=True)
    min_overlap = Float(0.5, help="fraction of the smaller cell's uncommon fingerprints they must share").tag(
        config=True)
    min_functions = Integer(3, help="matching cells a pair needs for code or reference evidence").tag(config=True)
    min_rare_versions = Integer(1, help="a pair alike in every graded cell is flagged when this many of the cells "
                                "are written as few students of the class wrote them").tag(config=True)
    rare_maximum = Integer(2, help="a wrong answer at most this many students gave is rare...").tag(config=True)
    rare_fraction = Float(0.01, help="... or at most this fraction of the class, whichever is more").tag(config=True)


@dataclass
class Work:
    """One student's (or one reference file's) cells: {function: source}."""
    name: str
    cells: dict
    rows: dict = field(default_factory=dict)  # {function: results Row}; none for a reference


@dataclass
class Pair:
    student_a: str
    student_b: str
    functions: dict = field(default_factory=dict)  # {function: (shared, smaller's count, lines_a, lines_b)}
    mistakes: dict = field(default_factory=dict)  # {function: students who gave that answer}
    rare_versions: dict = field(default_factory=dict)  # alike throughout: {function: (students who wrote it so,
    #                                                    lines_a, lines_b)}
    evidence: set = field(default_factory=set)

    @property
    def score(self):
        if self.rare_versions:  # every cell alike
            return 1.0
        shared = sum(match[0] for match in self.functions.values())
        size = sum(match[1] for match in self.functions.values())
        return round(shared / size, 2) if size else 0.0


def solution_cells(notebook, functions) -> dict:
    """{function: the source of its solution cell}: the cell whose grade_id is the function, or which defines it."""
    cells = {}
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        grade_id = grade_id_of(cell)  # None where a student garbled the metadata: then found by its def
        if grade_id in functions:
            cells[grade_id] = cell.source
    for function in functions:
        if function not in cells:
            cells.update(_defined(["\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")],
                                  [function]))
    return cells


def _defined(sources, functions) -> dict:
    """{function: the source of its def} found in `sources` (each parsed alone: one broken cell costs only itself)."""
    found = {}
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            pieces = [cell for cell in source.split("\ndef ") if cell]
            found.update({function: "def " + piece for piece in pieces for function in functions
                          if piece.startswith(f"{function}(") and function not in found})
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name in functions and node.name not in found:
                found[node.name] = ast.get_source_segment(source, node)
    return found


def read_reference(path: Path, functions) -> dict:
    """{function: source} of a published solution: a notebook or a .py file."""
    if path.suffix == ".ipynb":
        notebook = nbformat.read(path, as_version=4)
        return _defined([cell.source for cell in notebook.cells if cell.cell_type == "code"], functions)
    return _defined([path.read_text(encoding="utf-8")], functions)


def _limit(fraction, minimum, size):
    return max(minimum, math.ceil(fraction * size))


def known_solutions(assignment, functions) -> dict:
    """{function: [source]}: the right ways the kit knows to write each function (the reference solution, the
    catalogue's correct styles, the real-style corpus's). They are common by definition: in a small class, where
    few students share any passage, two who wrote one of them alike have not copied each other for that."""
    package = __package__.rsplit(".", 1)[0]
    reference = _defined([reference_path(assignment).read_text(encoding="utf-8")], functions)
    catalogue = importlib.import_module(f"{package}.catalogue.{assignment}")
    real_style = importlib.import_module(f"{package}.catalogue.real_style")
    known = {function: [source] for function, source in reference.items()}
    for styles in (getattr(catalogue, "CORRECT_STYLES", {}), real_style.CORRECT):
        for function, variants in styles.items():
            if function in functions:
                known.setdefault(function, []).extend(source for _, source in variants)
    return known


def _students(works):
    return [work for work in works if not work.name.startswith(REFERENCE_PREFIX)]


def _all_prints(works, settings, functions):
    """{function: {name: {fingerprint: lines}}} of every cell."""
    return {function: {work.name: fingerprints(work.cells[function], settings.kgram, settings.window)
                       for work in works if function in work.cells} for function in functions}


def _boilerplate(template, settings, functions, known):
    """{function: the fingerprints of the template's cell and of the right solutions the kit knows}."""
    found = {}
    for function in functions:
        found[function] = set()
        for source in [template.get(function, ""), *known.get(function, [])]:
            found[function] |= set(fingerprints(source, settings.kgram, settings.window))
    return found


def _uncommon(works, all_prints, boilerplate, settings):
    """{function: {name: {fingerprint: lines}}} of the class's uncommon fingerprints; students count, references not."""
    limit = _limit(settings.common_fraction, settings.common_minimum, len(_students(works)))
    kept = {}
    for function, by_name in all_prints.items():
        prints = {name: {h: lines for h, lines in found.items() if h not in boilerplate[function]}
                  for name, found in by_name.items()}
        holders = defaultdict(int)
        for work in _students(works):
            for h in prints.get(work.name, {}):
                holders[h] += 1
        kept[function] = {name: {h: lines for h, lines in found.items() if holders[h] <= limit}
                          for name, found in prints.items()}
    return kept


def _alike_throughout(works, all_prints, boilerplate, settings, pairs):
    """Pairs alike in every graded cell, some of which few students of the class wrote so: Pair.rare_versions.

    A reference is compared on the functions it holds (at least min_functions of them). Students are bucketed by
    their whole work, so the cost is linear in the class; each reference is looked at beside each student."""
    students = _students(works)
    limit = _limit(settings.common_fraction, settings.common_minimum, len(students))
    versions = {work.name: {function: frozenset(by_name[work.name]) for function, by_name in all_prints.items()
                            if work.name in by_name} for work in works}
    holders = {function: defaultdict(int) for function in all_prints}
    for work in students:
        for function, version in versions[work.name].items():
            holders[function][version] += 1

    def rare(name, names, minimum):
        """{function: holders} of the cells of `name` among `names` that few wrote so; none unless at least
        `minimum` of them hold code of the student's own (beyond the template and the known solutions): among
        students min_functions, as a short assignment's few cells alike are too easily a coincidence; against a
        reference, which the instructor named as a source, one."""
        own = [function for function, version in versions[name].items()
               if function in names and version - boilerplate[function]]
        if len(own) < minimum:
            return {}
        return {function: holders[function][versions[name][function]] for function in own
                if holders[function][versions[name][function]] <= limit}

    buckets = defaultdict(list)
    for work in students:
        buckets[tuple(sorted(versions[work.name].items(), key=lambda item: item[0]))].append(work.name)
    candidates = [(first, second) for names in buckets.values() if len(names) <= limit
                  for i, first in enumerate(sorted(names)) for second in sorted(names)[i + 1:]]
    for reference in (work for work in works if work.name.startswith(REFERENCE_PREFIX)):
        held = versions[reference.name]
        candidates += [(work.name, reference.name) for work in students if len(held) >= settings.min_functions
                       and all(versions[work.name].get(function) == version for function, version in held.items())]
    for first, second in candidates:
        found = rare(first, versions[second], 1 if second.startswith(REFERENCE_PREFIX) else settings.min_functions)
        if len(found) >= settings.min_rare_versions:
            pair = pairs.setdefault((first, second), Pair(first, second))
            pair.rare_versions = {function: (count, *(sorted(set().union(*all_prints[function][name].values()))
                                                      for name in (first, second)))
                                  for function, count in found.items()}


def _code_matches(kept, settings, pairs):
    for function, by_name in kept.items():
        index = defaultdict(list)
        for name, found in by_name.items():
            for h in found:
                index[h].append(name)
        shared = defaultdict(int)
        for names in index.values():
            for i, first in enumerate(names):
                for second in names[i + 1:]:
                    shared[tuple(sorted((first, second)))] += 1
        for (first, second), count in shared.items():
            smaller = min(len(by_name[first]), len(by_name[second]))
            if first.startswith(REFERENCE_PREFIX) and second.startswith(REFERENCE_PREFIX):
                continue
            if count >= settings.min_shared and count / smaller >= settings.min_overlap:
                if first.startswith(REFERENCE_PREFIX):  # a reference is always student_b
                    first, second = second, first
                common = set(by_name[first]) & set(by_name[second])
                pair = pairs.setdefault((first, second), Pair(first, second))
                pair.functions[function] = (count, smaller, sorted(set().union(*(by_name[first][h] for h in common))),
                                            sorted(set().union(*(by_name[second][h] for h in common))))


def typical_mistakes(assignment) -> set:
    """The ids of the catalogue's mistakes of `assignment` (its typical bugs and their variants)."""
    catalogue = importlib.import_module(f"{__package__.rsplit('.', 1)[0]}.catalogue.{assignment}")
    kinds = [catalogue.BUGS, getattr(catalogue, "VARIANTS", {})]
    return {mistake.id for kind in kinds for mistakes in kind.values() for mistake in mistakes}


@functools.lru_cache(maxsize=None)
def typical_answers(assignment, functions: tuple) -> frozenset:
    """{(function, answer digest)} of the wrong answers published solutions commonly give: the bugs of the
    real-style corpus (catalogue/real_style.py), graded in this process as the grader grades them. Two students
    who both hard-coded the output layer as W3 raise the same KeyError without having seen each other's work.
    Kept once computed: grading computes them while its last submissions run (grade.py), not after."""
    package = __package__.rsplit(".", 1)[0]
    real_style = importlib.import_module(f"{package}.catalogue.real_style")
    simulated = importlib.import_module(f"{package}.hidden.simulated")
    tests = simulated.hidden_tests(assignment)
    return frozenset((function, simulated.verdict(tests, function, source).answer)
                     for function, entries in real_style.BUGS.items() if function in functions
                     for _, _, source in entries)


def _rare_mistakes(works, settings, pairs, typical, common_answers):
    students = [work for work in works if work.rows]
    limit = _limit(settings.rare_fraction, settings.rare_maximum, len(students))
    given = defaultdict(list)
    for work in students:
        for function, row in work.rows.items():
            # A typical bug is no sign of copying; a cause the relations name (a factor, a transpose) may be one.
            if getattr(row, "answer", "") and row.status != "passed" and row.mistake not in typical and \
                    (function, row.answer) not in common_answers:
                given[(function, row.answer)].append(work.name)
    for (function, _), names in given.items():
        if 2 <= len(names) <= limit:
            for i, first in enumerate(sorted(names)):
                for second in sorted(names)[i + 1:]:
                    pairs.setdefault((first, second), Pair(first, second)).mistakes[function] = len(names)


def compare(works, template, functions, settings=None, typical=frozenset(), known=None,
            common_answers=frozenset()) -> list[Pair]:
    """The flagged pairs among `works` (students, and references named reference:<path>), most similar first.
    typical: the ids of the catalogue's mistakes, which shared wrong answers do not count, nor common_answers
    ({(function, digest)}: typical_answers); known: {function: [source]} of right solutions the kit knows
    (known_solutions), whose passages do not count either."""
    settings = settings or Similarity()
    pairs = {}
    all_prints = _all_prints(works, settings, functions)
    boilerplate = _boilerplate(template, settings, functions, known or {})
    _code_matches(_uncommon(works, all_prints, boilerplate, settings), settings, pairs)
    _alike_throughout(works, all_prints, boilerplate, settings, pairs)
    _rare_mistakes(works, settings, pairs, typical, common_answers)
    by_name = {work.name: work for work in works}
    flagged = []
    for pair in pairs.values():
        if len(pair.functions) >= settings.min_functions or pair.rare_versions:
            pair.evidence.add("reference" if pair.student_b.startswith(REFERENCE_PREFIX) else "code")
        else:
            pair.functions = {}  # too few matching cells to mean anything
        if pair.mistakes:
            pair.evidence.add("rare-mistake")
        if not pair.evidence:
            continue
        rows_a, rows_b = by_name[pair.student_a].rows, by_name[pair.student_b].rows
        if any(EARLIER_VERSION in getattr(rows_a.get(f), "mistake", "") and
               getattr(rows_a.get(f), "mistake", "") == getattr(rows_b.get(f), "mistake", None)
               for f in _named_functions(pair)):
            pair.evidence.add("earlier-api")
        flagged.append(pair)
    return sorted(flagged, key=lambda pair: (-len(pair.evidence), -pair.score, pair.student_a, pair.student_b))


def why(pair, class_size) -> str:
    parts = []
    if pair.rare_versions:
        rare = ", ".join(f"{function} as {count} of {class_size} students wrote it"
                         for function, (count, _, _) in pair.rare_versions.items())
        parts.append(f"every graded cell alike, {rare}")
    parts += [f"{function}: {shared} of {smaller} uncommon passages shared"
              for function, (shared, smaller, _, _) in pair.functions.items()]
    parts += [f"{function}: the same wrong answer, given by {count} of {class_size} students"
              for function, count in pair.mistakes.items()]
    return "; ".join(parts)


def _named_functions(pair):
    return sorted(set(pair.functions) | set(pair.mistakes) | set(pair.rare_versions))


def _marked_lines(pair, function):
    """(lines_a, lines_b) to mark in the report: the shared uncommon passages, or a whole alike cell's code."""
    if function in pair.functions:
        return pair.functions[function][2:]
    if function in pair.rare_versions:
        return pair.rare_versions[function][1:]
    return [], []


def write(out: Path, pairs, works, class_size) -> Path:
    """similarity.csv and similarity.json in `out`, each written whole (to a temporary name, then renamed)."""
    out = Path(out)
    cells = {work.name: work.cells for work in works}
    table = [COLUMNS] + [(pair.student_a, pair.student_b, f"{pair.score:g}", " ".join(_named_functions(pair)),
                          " ".join(name for name in EVIDENCE_ORDER if name in pair.evidence), why(pair, class_size))
                         for pair in pairs]
    detail = [{"student_a": pair.student_a, "student_b": pair.student_b, "score": pair.score,
               "evidence": [name for name in EVIDENCE_ORDER if name in pair.evidence], "why": why(pair, class_size),
               "functions": [{"function": function,
                              "cell_a": cells[pair.student_a].get(function, ""),
                              "cell_b": cells[pair.student_b].get(function, ""),
                              "lines_a": lines[0], "lines_b": lines[1]}
                             for function in _named_functions(pair) for lines in [_marked_lines(pair, function)]]}
              for pair in pairs]
    temporary = out / ".similarity.csv.partial"
    with open(temporary, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(table)
    os.replace(temporary, out / "similarity.csv")
    temporary = out / ".similarity.json.partial"
    temporary.write_text(json.dumps(detail, indent=1), encoding="utf-8")
    os.replace(temporary, out / "similarity.json")
    return out / "similarity.csv"


def _notebook_cells(path, functions):
    """The solution cells of the notebook at `path`, read as the grader reads a submission (never through a link,
    never from a FIFO, bounded); SubmissionUnreadable with the grader's words for what is wrong."""
    notebook, problem = read_notebook(path)
    if problem:
        raise SubmissionUnreadable(problem)
    return solution_cells(notebook, functions)


class SubmissionUnreadable(Exception):
    """A submitted notebook that cannot be read; the message says why, in the grade command's words."""


def class_works(course, assignment, out, submitted=None, problems=None):
    """[Work] of every student with a result in `out` (or, without results, a folder in `submitted`); a problem
    with one student's files is a line in `problems`, and that student is left out or compared without results."""
    problems = [] if problems is None else problems
    functions = [cell.function for cell in graded_cells(course.source_notebook(assignment))]
    notebook_name = course.notebook(assignment)
    folders, rows = {}, {}
    for path in sorted((Path(out) / "results").glob("*.json")):
        try:
            result = stored.load(path)
        except (OSError, ValueError, TypeError, KeyError) as error:
            problems.append(f"{path}: cannot read this result ({type(error).__name__}: {error})")
            continue
        rows[result.student_id] = {row.function: row for row in result.rows}
        if result.folder:
            folders[result.student_id] = Path(result.folder)
    if submitted:
        unresulted = []
        for folder in sorted(Path(submitted).iterdir()):
            if not folder.is_symlink() and (folder / assignment).is_dir() and not (folder / assignment).is_symlink():
                folders[folder.name] = folder / assignment
                if folder.name not in rows:
                    unresulted.append(folder.name)
        if unresulted:
            named = ", ".join(unresulted[:3]) + (f" and {len(unresulted) - 3} more" if len(unresulted) > 3 else "")
            problems.append(f"{Path(out) / 'results'}: no result of {named} (not graded yet?): their code is compared, "
                            f"their wrong answers are not")
    works = []
    for student, folder in sorted(folders.items()):
        path = folder / notebook_name
        try:
            cells = _notebook_cells(path, functions)
        except SubmissionUnreadable as error:
            problems.append(f"{path}: {error}; {student}'s code is not compared")
            cells = {}
        except Exception as error:  # one broken submission must not stop the others
            problems.append(f"{path}: cannot read this notebook ({type(error).__name__}: "
                            f"{str(error).splitlines()[0] if str(error) else ''}); {student}'s code is not compared")
            cells = {}
        works.append(Work(student, cells, rows.get(student, {})))
    template = solution_cells(nbformat.read(course.release_notebook(assignment), as_version=4), functions)
    return works, template, functions


def reference_works(folders, functions, problems) -> list[Work]:
    works = []
    for folder in folders:
        folder = Path(folder)
        paths = [folder] if folder.is_file() else sorted(
            path for path in folder.rglob("*") if path.suffix in (".ipynb", ".py"))
        for path in paths:
            try:
                cells = read_reference(path, functions)
            except Exception as error:
                problems.append(f"{path}: cannot read this reference ({type(error).__name__}: {error})")
                continue
            if cells:
                works.append(Work(f"{REFERENCE_PREFIX}{path}", cells))
    return works


def run(course, assignment, out, submitted=None, references=(), settings=None):
    """Compare the class graded into `out` (and `references`); write similarity.csv; return (path, pairs, problems)."""
    problems = []
    works, template, functions = class_works(course, assignment, out, submitted, problems)
    if references:
        works += reference_works(references, functions, problems)
    settings = settings or Similarity(config=course.config)
    pairs = compare(works, template, functions, settings, typical_mistakes(assignment),
                    known_solutions(assignment, functions), typical_answers(assignment, tuple(functions)))
    class_size = sum(not work.name.startswith(REFERENCE_PREFIX) for work in works)
    # A problem quotes what a submission held: printable, one line each, for a terminal.
    return write(out, pairs, works, class_size), pairs, [one_line(problem, 500) for problem in problems]
