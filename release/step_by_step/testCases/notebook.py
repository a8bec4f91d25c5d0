"""Read the graded functions out of a notebook, so a companion notebook can use a student's own work."""
import json

import numpy as np

import dnn_utils


def solution_sources(path, given=False):
    """[(grade_id, source)] of every solution cell (nbgrader metadata `solution: true`), in order.

    given: also list the code the notebook gives, in nbgrader's read-only cells (`locked`, neither a
        solution nor graded), where the solutions may call it.
    """
    try:
        with open(path, encoding="utf-8") as handle:
            notebook = json.load(handle)
    except (OSError, ValueError) as error:
        raise ValueError(f"{path}: cannot read the notebook ({error})") from None
    sources = []
    for cell in notebook.get("cells", []):
        nbgrader = cell.get("metadata", {}).get("nbgrader", {})
        is_given = given and nbgrader.get("locked") and not nbgrader.get("grade")
        if cell.get("cell_type") == "code" and (nbgrader.get("solution") or is_given):
            source = cell["source"]
            sources.append((nbgrader.get("grade_id"), source if isinstance(source, str) else "".join(source)))
    return sources


def load_functions(path):
    """Run the solution cells of the notebook at `path`; return the namespace they define.

    The cells run with `np` and the `dnn_utils` activations already imported, as in the notebook.
    """
    namespace = {"np": np}
    namespace.update({name: getattr(dnn_utils, name)
                      for name in ("sigmoid", "relu", "sigmoid_backward", "relu_backward")})
    for grade_id, source in solution_sources(path):
        exec(compile(source, f"{path} [{grade_id}]", "exec"), namespace)
    return namespace
