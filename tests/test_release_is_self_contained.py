"""Each release folder runs on its own: everything it imports is in the folder, or is NumPy, h5py or Matplotlib."""
import ast
import shutil
import sys

import nbclient
import nbformat
import pytest

from autograder.paths import NOTEBOOKS, RELEASE, source_notebook

ALLOWED = {"numpy", "h5py", "matplotlib"}


def _imported_modules(source):
    """Top-level names of the modules `source` imports (absolute imports only; relative ones stay inside)."""
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    names = set()
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _sources(folder):
    for path in sorted(folder.rglob("*.py")):
        yield path, path.read_text(encoding="utf-8")
    for path in sorted(folder.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                yield path, cell.source


@pytest.mark.parametrize("assignment", list(NOTEBOOKS))
def test_release_imports_only_its_own_files_and_the_allowed_libraries(assignment):
    folder = RELEASE / assignment
    local = {path.stem for path in folder.glob("*.py")} | {path.name for path in folder.iterdir() if path.is_dir()}
    for path, source in _sources(folder):
        outside = _imported_modules(source) - local - ALLOWED - set(sys.stdlib_module_names)
        assert not outside, f"{path} imports {sorted(outside)}, which a student's copy of the folder lacks"


@pytest.mark.kernels
def test_the_gradient_checking_companion_checks_the_notebook_beside_it(tmp_path, monkeypatch):
    # A student's copy of the folder, every exercise done (the instructor's notebook stands in for that work),
    # and no STEP_BY_STEP_NOTEBOOK set: the companion must find the student's notebook on its own.
    folder = tmp_path / "step_by_step"
    shutil.copytree(RELEASE / "step_by_step", folder)
    shutil.copy(source_notebook("step_by_step"), folder / NOTEBOOKS["step_by_step"])
    monkeypatch.delenv("STEP_BY_STEP_NOTEBOOK", raising=False)
    monkeypatch.setenv("MPLBACKEND", "Agg")

    notebook = nbformat.read(folder / "gradient_checking.ipynb", as_version=4)
    # the kernel's log stays quiet (errors only), as while grading: its TCP warning would reach the terminal
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                            extra_arguments=["--IPKernelApp.log_level=ERROR"],
                            resources={"metadata": {"path": str(folder)}}).execute()

    streams = [output for cell in notebook.cells for output in cell.get("outputs", [])
               if output.output_type == "stream"]
    assert not [output.text for output in streams if output.name == "stderr"]
    printed = "".join(output.text for output in streams if output.name == "stdout")
    # The notebook's own self-checks (every array of a correct backward pass passes) ran without an error.
    assert f"loaded your functions from {NOTEBOOKS['step_by_step']}" in printed
