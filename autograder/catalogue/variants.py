"""Mistakes made from the reference solutions by changing one thing: another seed, one term of the cost or of
dAL. Each is the reference cell with one substitution, so it explains an answer exactly when that answer is the
reference with that one change, on every call (the diagnosis names it then, and only then).

They join the catalogue's mistakes in the diagnosis (autograder/hidden/diagnosis.py, testCases/mistakes.json) but
not the fairness tests: a variant changes one function's formula and no other, by construction.
"""
import inspect

from . import Mistake, slug
from ..reference import step_by_step as reference

SEEDS = (0, 2, 4, 5, 7, 10, 42, 123, 1234)  # besides the two the course uses, 1 and 3, which the catalogue has

COST = "cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m"
D_AL = "dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))"
TERMS = {
    "compute_cost": [
        (COST, "cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(AL)) / m", "log(AL) in the (1 - Y) term",
         "the (1 - Y) term takes log(AL): it is (1 - Y) * log(1 - AL)"),
        (COST, "cost = -np.sum(Y * np.log(1 - AL) + (1 - Y) * np.log(1 - AL)) / m", "log(1 - AL) in the Y term",
         "the Y term takes log(1 - AL): it is Y * log(AL)"),
        (COST, "cost = -np.sum(Y * np.log(AL) + Y * np.log(1 - AL)) / m", "Y in place of 1 - Y",
         "the second term is multiplied by Y: it is (1 - Y) * log(1 - AL)"),
        (COST, "cost = -np.sum(Y * np.log(AL) - (1 - Y) * np.log(1 - AL)) / m", "the terms subtracted",
         "the two terms are subtracted: the cost adds Y log(AL) and (1 - Y) log(1 - AL)"),
        (COST, "cost = -np.sum((1 - Y) * np.log(1 - AL)) / m", "the Y term missing",
         "the Y log(AL) term is missing from the sum"),
    ],
    "L_model_backward": [
        (D_AL, "dAL = -(np.divide(Y, AL) + np.divide(1 - Y, 1 - AL))", "the terms of dAL added",
         "dAL adds its two terms: it is -(Y / AL - (1 - Y) / (1 - AL))"),
        (D_AL, "dAL = -np.divide(Y, AL)", "the second term of dAL missing",
         "dAL misses its (1 - Y) / (1 - AL) term: it is -(Y / AL - (1 - Y) / (1 - AL))"),
        (D_AL, "dAL = -(np.divide(Y, AL) - np.divide(Y, 1 - AL))", "Y in place of 1 - Y in dAL",
         "dAL's second term divides Y, not 1 - Y: it is -(Y / AL - (1 - Y) / (1 - AL))"),
    ],
}


def _source(function_name):
    return inspect.getsource(getattr(reference, function_name))


def _changed(function_name, old, new):
    source = _source(function_name)
    if source.count(old) != 1:
        raise ValueError(f"the reference {function_name} no longer holds {old!r} once: update variants.py")
    return source.replace(old, new)


def _seeds(function_name, seed):
    return [Mistake(f"{function_name}.{slug(f'seed {other} instead of {seed}')}", f"seed {other} instead of {seed}",
                    f"the weights come from np.random.seed({other}): seed with np.random.seed({seed}), as the "
                    f"template says, once before the first draw",
                    _changed(function_name, f"np.random.seed({seed})", f"np.random.seed({other})"))
            for other in SEEDS]


def _terms(function_name):
    return [Mistake(f"{function_name}.{slug(label)}", label, description, _changed(function_name, old, new))
            for old, new, label, description in TERMS[function_name]]


VARIANTS = {"initialize_parameters": _seeds("initialize_parameters", 1),
            "initialize_parameters_deep": _seeds("initialize_parameters_deep", 3),
            "compute_cost": _terms("compute_cost"), "L_model_backward": _terms("L_model_backward")}
