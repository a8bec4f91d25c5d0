"""A short digest of a wrong answer: what two students share when they made the same mistake.

The grader stores it in each wrong row of the results (Row.answer), so the similarity check compares wrong answers
without running anything again. It covers every test call: what each returned (arrays rounded to 6 decimals, so
that the same formula written in another order gives the same digest) or the exception's type and text.
"""
import hashlib
import json

import numpy as np

from ..kernel import in_kernel

DECIMALS = 6


def _canonical(value):
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
        if array.ndim == 0 and array.dtype.kind in "iuf":  # a NumPy scalar or 0-d array is the number it holds
            return round(float(array), DECIMALS) + 0.0
        if array.dtype.kind in "biuf":
            rounded = np.round(array.astype(float), DECIMALS) + 0.0  # + 0.0: -0.0 and 0.0 alike
            return ["array", list(array.shape), hashlib.sha256(rounded.tobytes()).hexdigest()[:16]]
        return ["array", list(array.shape), str(array.dtype)]
    if isinstance(value, float):
        return round(value, DECIMALS) + 0.0
    if isinstance(value, (list, tuple)):
        return [_canonical(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in sorted(value.items())}
    if isinstance(value, (bool, int, str)) or value is None:
        return value
    return str(value)  # in_kernel.Foreign: what the kernel said it was


def _one(result):
    if not isinstance(result, dict):
        return "?"
    if result.get("op") == "raised":
        return ["raised", str(result.get("type"))[:80], str(result.get("message"))[:300]]
    try:
        return ["returned", _canonical(in_kernel.decode(result.get("output")))]
    except in_kernel.MalformedMessage:
        return "?"


def answer_digest(results) -> str:
    """16 hex digits naming the outcomes of the kernel's `results` (one per test call)."""
    text = json.dumps([_one(result) for result in results], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
