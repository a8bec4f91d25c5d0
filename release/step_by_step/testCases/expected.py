"""The expected outputs of the visible checks, stored in expected.json.

The file is generated from the reference solutions (`make expected`); this module only reads it.
JSON has no tuples or arrays, so values are stored with a small tag saying which they were.
Floats are stored to SIGNIFICANT_DIGITS significant digits, so that the file is the same on every machine.
"""
import json
from pathlib import Path

import numpy as np

EXPECTED_FILE = Path(__file__).with_name("expected.json")

# The reference outputs' last digits depend on the processor: OpenBLAS picks its kernels for the CPU, and
# kernels that sum in another order differ by a few units in the last place (up to 5e-15 relative between
# this kit's expected values computed with OpenBLAS's Prescott, Sandybridge, Haswell and SkylakeX kernels).
# Ten significant digits drop those digits: regenerating gives the same file unless a difference happens to
# straddle a rounding boundary (the generator then keeps the digits already stored). The rounding moves a value by
# at most 5e-10 of itself, 2000 times less than the checks' tolerance (compare.RTOL = 1e-6), so a correct
# function still passes and a wrong one still fails.
SIGNIFICANT_DIGITS = 10


def stored_float(number):
    """`number` rounded to SIGNIFICANT_DIGITS significant digits, as a Python float."""
    return float(f"{number:.{SIGNIFICANT_DIGITS}g}")


def _stored_items(nested):
    """ndarray.tolist()'s nested lists (or scalar) with every float rounded by `stored_float`."""
    if isinstance(nested, list):
        return [_stored_items(item) for item in nested]
    return stored_float(nested) if isinstance(nested, float) else nested


def encode(value):
    """A JSON-ready form of nested arrays, numbers, tuples, lists and dicts; floats rounded by `stored_float`."""
    if isinstance(value, np.ndarray):
        return {"array": _stored_items(value.tolist()), "dtype": str(value.dtype)}
    if isinstance(value, tuple):
        return {"tuple": [encode(item) for item in value]}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {"dict": {key: encode(item) for key, item in value.items()}}
    if isinstance(value, (np.floating, np.integer)):
        value = value.item()
    return stored_float(value) if isinstance(value, float) else value


def decode(stored):
    """The inverse of `encode`."""
    if isinstance(stored, list):
        return [decode(item) for item in stored]
    if isinstance(stored, dict):
        if "array" in stored:
            return np.array(stored["array"], dtype=stored["dtype"])
        if "tuple" in stored:
            return tuple(decode(item) for item in stored["tuple"])
        return {key: decode(item) for key, item in stored["dict"].items()}
    return stored


def load(path=EXPECTED_FILE):
    """{function name: [expected output of each visible call]}."""
    with open(path, encoding="utf-8") as handle:
        stored = json.load(handle)
    return {name: [decode(output) for output in outputs] for name, outputs in stored.items()}


def dump(expected_outputs, path=EXPECTED_FILE):
    """Write {function name: [output, ...]} to `path`, one function per line block."""
    lines = [f" {json.dumps(name)}: {json.dumps([encode(output) for output in outputs])}"
             for name, outputs in expected_outputs.items()]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("{\n" + ",\n".join(lines) + "\n}\n")
