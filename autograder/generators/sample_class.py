"""A sample class of submissions, made from the release notebook, for the demo and the benchmark.

`python -m autograder.generators.sample_class OUT [--copies N]` writes OUT/<student_id>/step_by_step/, one
folder per student in nbgrader's submitted layout: a perfect submission, a blank one, a partial
one, typical bugs from the catalogue, a correct submission in other styles, a deleted graded
cell, a kernel that dies and a file that is not a notebook.
"""
import argparse
import copy
import json
import shutil
from pathlib import Path

from testCases.notebook import solution_sources

from ..catalogue.step_by_step import BUGS, CORRECT_STYLES
from ..paths import NOTEBOOKS, RELEASE, source_notebook

ASSIGNMENT = "step_by_step"


def _entry(catalogue, function, label):
    return dict(catalogue[function])[label]


def _solved(release, replacements=None, solved=None):
    """The release notebook with reference solutions (or `replacements`) in the cells listed in `solved`."""
    reference = dict(solution_sources(source_notebook(ASSIGNMENT)))
    replacements = replacements or {}
    notebook = copy.deepcopy(release)
    for cell in notebook["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in reference and (solved is None or grade_id in solved):
            cell["source"] = replacements.get(grade_id, reference[grade_id])
    return notebook


def _without_cell(notebook, grade_id):
    notebook = copy.deepcopy(notebook)
    notebook["cells"] = [cell for cell in notebook["cells"]
                         if cell["metadata"].get("nbgrader", {}).get("grade_id") != grade_id]
    return notebook


def _with_cell_after(notebook, grade_id, source):
    notebook = copy.deepcopy(notebook)
    index = next(i for i, cell in enumerate(notebook["cells"])
                 if cell["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)
    notebook["cells"].insert(index + 1, {"cell_type": "code", "id": "student-extra-cell", "metadata": {},
                                         "execution_count": None, "outputs": [], "source": source})
    return notebook


def notebooks(release):
    """{student_id: notebook dict, or the raw text of a broken file}."""
    perfect = _solved(release)
    functions = list(dict(solution_sources(source_notebook(ASSIGNMENT))))
    return {
        "ada_perfect": perfect,
        "ben_blank": release,
        "cleo_partial": _solved(release, solved=functions[:5]),
        "dev_forgot_one_over_m": _solved(release, {"linear_backward": _entry(BUGS, "linear_backward",
                                                                             "missing 1/m in dW")}),
        "eve_two_layers_only": _solved(release, {
            "L_model_forward": _entry(BUGS, "L_model_forward", "two layers written out (L = 2 only)"),
            "compute_cost": _entry(BUGS, "compute_cost", "unsqueezed (1, 1) cost")}),
        "finn_other_styles": _solved(release, {function: entries[0][1]
                                               for function, entries in CORRECT_STYLES.items()}),
        "gia_deleted_a_test": _without_cell(perfect, "check_compute_cost"),
        "hugo_kernel_dies": _with_cell_after(perfect, "check_compute_cost", "import os\nos._exit(1)"),
        "ivy_broken_file": json.dumps(perfect, indent=1)[:5000],
    }


def build(out_dir, size=None):
    """Write the sample class into `out_dir` (replacing it); return the folder.

    size: the number of submissions, cycling through the sample students (named <student>_<k>);
        by default each sample student once.
    """
    out_dir = Path(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    release_dir = RELEASE / ASSIGNMENT
    release = json.loads((release_dir / NOTEBOOKS[ASSIGNMENT]).read_text(encoding="utf-8"))
    sample = list(notebooks(release).items())
    count = size or len(sample)
    for index in range(count):
        student, notebook = sample[index % len(sample)]
        student_id = student if size is None else f"{student}_{index // len(sample) + 1:02d}"
        folder = out_dir / student_id / ASSIGNMENT
        shutil.copytree(release_dir, folder, ignore=shutil.ignore_patterns("__pycache__"))
        text = notebook if isinstance(notebook, str) else json.dumps(notebook, indent=1)
        (folder / NOTEBOOKS[ASSIGNMENT]).write_text(text, encoding="utf-8")
    return out_dir


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.generators.sample_class", description=__doc__.splitlines()[0])
    parser.add_argument("out", help="folder to write, in nbgrader's submitted layout")
    parser.add_argument("--size", type=int, help="number of submissions, repeating the sample students")
    args = parser.parse_args(argv)
    out = build(args.out, args.size)
    print(f"wrote {len(list(out.iterdir()))} submissions into {out}/")


if __name__ == "__main__":
    main()
