"""An exception raised by the student's own code, told with the student's line and the values on it.

`where_raised(traceback, is_student_file)` finds the student's last line in a traceback and describes the values its
names hold; `sentence(...)` turns that into what the student reads: their own failing assert with the shapes
involved, the index or key that was not there, the name that is not defined and the one that probably was meant.
In the grader, the code that runs in the student's kernel finds the line and values the same way and sends
them as plain text.
"""
import builtins
import difflib
import keyword
import linecache
import re

import numpy as np

MAX_VALUES = 4  # names on the line whose values are told
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def describe(value):
    """What a value is, in a few words, without its numbers: "an array of shape (3, 1)", "a dict with keys ..."."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, dict):
        keys = [repr(key) for key in list(value)[:6]]
        return f"a dict with keys {', '.join(keys)}{', ...' if len(value) > 6 else ''}" if keys else "an empty dict"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)} items"
    if isinstance(value, (bool, int, float, str)) and len(repr(value)) <= 30:
        return repr(value)
    return f"a {type(value).__name__}"


def where_raised(traceback, is_student_file):
    """(the student's last line, {name: description} of the values on it, the names the student's code could use),
    or None when no frame of the traceback is the student's."""
    frame, lineno = None, None
    while traceback is not None:
        if is_student_file(traceback.tb_frame.f_code.co_filename):
            frame, lineno = traceback.tb_frame, traceback.tb_lineno
        traceback = traceback.tb_next
    if frame is None:
        return None
    line = linecache.getline(frame.f_code.co_filename, lineno, frame.f_globals).strip()
    scope = {**frame.f_globals, **frame.f_locals}
    values = {}
    for name in dict.fromkeys(IDENTIFIER.findall(line)):
        if name in frame.f_locals and len(values) < MAX_VALUES and not callable(frame.f_locals[name]):
            values[name] = describe(frame.f_locals[name])
    return line, values, sorted(name for name in scope if not name.startswith("_"))[:500]


def sentence(error_type, message, line, values, names=()):
    """What the student reads about their exception: its message with their line and the values on it; None when no
    line of theirs is known."""
    if not line:
        return None
    told = "; ".join(f"{name} is {description}" for name, description in values.items())
    at = f"{line!r}" + (f", where {told}" if told else "")
    if error_type == "AssertionError":
        return f"your own assert failed: {at}" + (f" ({message})" if message else "")
    if error_type == "NameError":
        missing = re.search(r"name '(\w+)' is not defined", str(message))
        if missing:
            meant = likely_name(missing[1], names)
            return (f"{missing[1]!r} is not defined, in {line!r}" +
                    (f": did you mean {meant}?" if meant else ": define it first, or check its spelling"))
    if error_type == "UnboundLocalError":
        return f"{message}, in {line!r}: a loop that did not run (a network of one layer?) leaves its variable unset"
    return f"{message} in {at}" if message else f"in {at}"


def likely_name(name, names):
    """The defined name (or Python keyword) closest to an undefined one: Al -> AL, true -> True."""
    candidates = list(names) + ["True", "False", "None"] + [name for name in dir(builtins) if not name.startswith("_")]
    same_letters = [candidate for candidate in candidates if candidate.lower() == name.lower() and candidate != name]
    if same_letters:
        return same_letters[0]
    longer = [candidate for candidate in names if len(name) >= 3 and candidate.startswith(name) and candidate != name]
    if longer:  # dA_prev where the loop named it dA_prev_temp
        return min(longer, key=len)
    close = difflib.get_close_matches(name, [candidate for candidate in candidates if not keyword.iskeyword(candidate)
                                             or candidate in ("True", "False", "None")], n=1, cutoff=0.8)
    return close[0] if close else None
