"""The only grading code that runs in a student's kernel, and the plain-data format it speaks.

The grader sends this file's text into the sandboxed kernel, once, and runs `serve(...)` there. From then
on the kernel asks and the grader answers, one JSON message at a time, on the kernel's stdin
channel (the channel `input()` uses):

    kernel -> grader                                   grader -> kernel
    {"op": "source"} (none in the kernel yet)          this file's text, as a JSON string
    {"op": "public", "digest": ...} (not run yet)      the text of that public module, as a JSON string
    {"op": "ready", "parameters": [names]}             {"op": "calls", "calls": [[arguments], ...]}
    {"op": "callee", "name": ..., "args": ...}         {"op": "returned", "output": ...} or {"op": "raised", ...}
    {"op": "results", "results": [one per call]}       {"op": "done"}
    {"op": "missing"} (no such function)               {"op": "done"}

where each result is {"op": "returned", "output": ..., "args": ..., "warnings": [...]} (the arguments as the
function left them, and what it warned, when it did) or {"op": "raised", "type": "ValueError", "message": ...}.

Everything here runs inside the student's process, so the grader trusts none of it: whatever comes
back is decoded into plain Python values and NumPy arrays of a few numeric dtypes, and compared
with the reference in the grader's own process. The reference code and the expected values never
enter the kernel; the functions the graded one may call are stubs that ask the grader.

This module imports only the standard library and NumPy: it must run in the student's kernel.
"""
import base64
import builtins
import inspect
import json
import linecache
import re
import sys
import warnings

import numpy as np

ARRAY_DTYPES = {"|b1", "|i1", "<i2", "<i4", "<i8", "|u1", "<u2", "<u4", "<u8", "<f2", "<f4", "<f8"}
MAX_DEPTH = 32


class Foreign:
    """A value of a type the format does not carry, e.g. an object a student made up; it equals nothing."""

    def __init__(self, type_name):
        self.type_name = str(type_name)[:80]

    def __repr__(self):
        return f"<a {self.type_name} object>"


class MalformedMessage(ValueError):
    """Something that is not a value of the format (a kernel that rewrote this module)."""


def encode(value, depth=0):
    """`value` as JSON-ready plain data: tagged lists, so that the decoder can check every part."""
    if depth >= MAX_DEPTH:  # the decoder reads this tag at the deepest level it accepts
        return ["object", "too deeply nested value"]
    if value is None or type(value) in (bool, int, float, str):
        return ["py", value]
    if type(value) in (tuple, list):
        return [type(value).__name__, [encode(item, depth + 1) for item in value]]
    if type(value) is dict:
        if not all(type(key) is str for key in value):
            return ["object", "dict with keys that are not strings"]
        return ["dict", [[key, encode(item, depth + 1)] for key, item in value.items()]]
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
        dtype = array.dtype.newbyteorder("<") if array.dtype.byteorder == ">" else array.dtype
        if dtype.str not in ARRAY_DTYPES:
            return ["object", f"{type(value).__name__} of dtype {array.dtype}"]
        data = base64.b64encode(np.ascontiguousarray(array, dtype=dtype).tobytes()).decode("ascii")
        kind = "scalar" if isinstance(value, np.generic) else "array"
        return [kind, dtype.str, list(array.shape), data]
    return ["object", type(value).__name__]


def decode(data, depth=0):
    """The plain value that `encode` gave `data` for; MalformedMessage if `data` is not such a value."""
    if depth > MAX_DEPTH or not isinstance(data, list) or not data or not isinstance(data[0], str):
        raise MalformedMessage("not a value")
    tag = data[0]
    if tag == "py" and len(data) == 2 and (data[1] is None or type(data[1]) in (bool, int, float, str)):
        return data[1]
    if tag in ("tuple", "list") and len(data) == 2 and isinstance(data[1], list):
        items = [decode(item, depth + 1) for item in data[1]]
        return tuple(items) if tag == "tuple" else items
    if tag == "dict" and len(data) == 2 and isinstance(data[1], list):
        if not all(isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str) for pair in data[1]):
            raise MalformedMessage("not a dict")
        return {key: decode(item, depth + 1) for key, item in data[1]}
    if tag in ("array", "scalar") and len(data) == 4:
        return _decode_array(tag, *data[1:])
    if tag == "object" and len(data) == 2 and isinstance(data[1], str):
        return Foreign(data[1])
    raise MalformedMessage(f"unknown value tag {tag[:20]!r}")


def _decode_array(tag, dtype, shape, data):
    if dtype not in ARRAY_DTYPES or not isinstance(shape, list) or not isinstance(data, str):
        raise MalformedMessage("not an array")
    if not all(type(size) is int and size >= 0 for size in shape) or (tag == "scalar" and shape):
        raise MalformedMessage("not an array shape")
    try:
        array = np.frombuffer(base64.b64decode(data, validate=True), dtype=np.dtype(dtype))
        array = array.reshape(shape).copy()  # reshape checks the size; the copy is writable
    except ValueError as error:
        raise MalformedMessage(f"array data does not fit its shape ({error})") from None
    return array[()] if tag == "scalar" else array


def ask(message):
    """Send `message` to the grader and return its answer.

    ipykernel flushes stdout and stderr before each input request, waiting for its output thread twice, which
    cost the kernel more than the request itself. What the graded code writes while it is graded reaches no one
    (the grader drops that output), so the flushes are skipped: the streams are set aside for the request only,
    and the graded code finds its own again."""
    streams = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = _Discard()
    try:
        prompt = builtins.input(json.dumps(message))
    finally:
        sys.stdout, sys.stderr = streams
    return json.loads(prompt)


class _Discard:
    """Where the graded function's prints go while the grader calls it (predict prints its accuracy)."""

    def write(self, text):
        return len(text)

    def flush(self):
        pass


def _stub(name, signature):
    """A function `name` that the grader answers. `signature` is the reference's parameter list as Python
    source, every default written `_unset`: Python itself binds each call, so a call the reference accepts
    works (positional, keyword, defaults left out) and any other raises the TypeError Python gives for it.
    The arguments given go to the grader by parameter name; there the reference's own defaults apply."""
    unset = object()

    def forward(bound):
        given = {parameter: value for parameter, value in bound.items() if value is not unset}
        answer = ask({"op": "callee", "name": name, "args": encode(given)})
        if answer.get("op") == "returned":
            return decode(answer["output"])
        error_type = getattr(builtins, answer.get("type", ""), None)
        if not (isinstance(error_type, type) and issubclass(error_type, Exception)):
            error_type = RuntimeError
        raise error_type(answer.get("message", ""))

    scope = {"_unset": unset, "_forward": forward}
    exec(f"def {name}{signature}:\n    return _forward(locals())", scope)
    return scope[name]


MAX_WARNINGS = 3  # kinds of warning reported for one call


def _call(function, args):
    saved_stdout = sys.stdout
    sys.stdout = _Discard()
    try:
        # A warning is not a wrong answer: it is recorded (and reported as a note), never raised or printed.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            output = function(*args)
        result = {"op": "returned", "output": encode(output), "args": encode(list(args))}
        said = list(dict.fromkeys(f"{warning.category.__name__}: {str(warning.message)[:200]}" for warning in caught))
        if said:
            result["warnings"] = said[:MAX_WARNINGS]
        return result
    except KeyboardInterrupt:  # the grader's interrupt (time is up): end the conversation
        raise
    except BaseException as error:  # SystemExit too: the student's function may call exit()
        return {"op": "raised", "type": type(error).__name__, "message": str(error)[:500], **_where_raised(error)}
    finally:
        sys.stdout = saved_stdout


MAX_VALUES = 4  # names on the student's line whose values are described


def _where_raised(error):
    """{"line": the student's last line in the traceback, "values": {name: what it held}, "names": what was defined},
    or {} when no frame is the student's (testCases/diagnosis/errors.py does the same in a visible check)."""
    frame, lineno, traceback = None, None, error.__traceback__
    while traceback is not None:
        code = traceback.tb_frame.f_code
        if code.co_filename not in ("<string>", "given") and code.co_name not in ("<module>", "<lambda>") \
                and not code.co_filename.startswith((sys.prefix, sys.base_prefix)):
            frame, lineno = traceback.tb_frame, traceback.tb_lineno
        traceback = traceback.tb_next
    if frame is None:
        return {}
    line = linecache.getline(frame.f_code.co_filename, lineno, frame.f_globals).strip()[:300]
    names = [name for name in dict.fromkeys(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", line)) if name in frame.f_locals
             and not callable(frame.f_locals[name])][:MAX_VALUES]
    defined = sorted(name for name in {**frame.f_globals, **frame.f_locals} if not name.startswith("_"))[:500]
    return {"line": line, "values": {name: _described(frame.f_locals[name]) for name in names}, "names": defined}


def _described(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, dict):
        return f"a dict with keys {', '.join(repr(key) for key in list(value)[:6])}{', ...' if len(value) > 6 else ''}"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)} items"
    return repr(value)[:30] if isinstance(value, (bool, int, float, str)) else f"a {type(value).__name__}"


_public_code = {}  # {digest: the compiled text of a public module}, asked of the grader once per kernel


def _public(digest):
    if digest not in _public_code:
        source = ask({"op": "public", "digest": digest})
        _public_code[digest] = compile(source, "given", "exec")
    return _public_code[digest]


def _parameters(function):
    """The names of the function's parameters (an earlier version of the course named them differently)."""
    try:
        return [str(name)[:40] for name in inspect.signature(function).parameters][:32]
    except (TypeError, ValueError):
        return None


def serve(namespace, function_name, remote_callees, public_callees):
    """Answer the grader's calls of `function_name` from `namespace` (the notebook's globals), until the
    grader is done. Meanwhile each [name, signature] of `remote_callees` binds `name` to a stub that the
    grader answers, and each [digest, names] of `public_callees` binds `names` to their definitions in a
    fresh run of that public module of the release (such as dnn_utils.py), whose text the grader sends
    the first time."""
    function = namespace.get(function_name)
    if not callable(function):
        ask({"op": "missing"})
        return
    callees = {name: _stub(name, signature) for name, signature in remote_callees}
    for digest, names in public_callees:
        module = {"__name__": "given"}
        exec(_public(digest), module)
        callees.update((name, module[name]) for name in names)
    missing = object()
    saved = {name: namespace.get(name, missing) for name in callees}
    namespace.update(callees)
    try:
        answer = ask({"op": "ready", "parameters": _parameters(function)})
        if answer.get("op") == "calls":
            ask({"op": "results", "results": [_call(function, decode(args)) for args in answer["calls"]]})
    finally:
        for name, value in saved.items():
            if value is missing:
                namespace.pop(name, None)
            else:
                namespace[name] = value
