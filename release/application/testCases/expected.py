"""The expected outputs of the visible checks, stored in expected.json.

The file is generated from the reference solutions (`make expected`); this module only reads it.
JSON has no tuples or arrays, so values are stored with a small tag saying which they were.
"""
import json
from pathlib import Path

import numpy as np

EXPECTED_FILE = Path(__file__).with_name("expected.json")


def encode(value):
    """A JSON-ready form of nested arrays, numbers, tuples, lists and dicts."""
    if isinstance(value, np.ndarray):
        return {"array": value.tolist(), "dtype": str(value.dtype)}
    if isinstance(value, tuple):
        return {"tuple": [encode(item) for item in value]}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {"dict": {key: encode(item) for key, item in value.items()}}
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    return value


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
