"""Token fingerprints of a cell, by winnowing (Schleimer, Wilkerson and Aiken, SIGMOD 2003), with Python's tokenize.

Why not copydetect (PyPI, 0.5.0), which implements the same winnowing: its fingerprints are built from files on
disk (CodeFingerprint takes a path) and compared file against file, with boilerplate given as files too; the check
here compares one graded cell of each student with the same cell of every other, drops the passages that many
students of the class share (MOSS's -m limit, which copydetect lacks), and has to resist reordered statements. What
copydetect would add is its tokenizer (Pygments, which with Jinja2 it pulls in); for Python cells the standard
library's tokenize does that job, so the whole of it is the ~60 lines below.

Normalisation: comments, blank lines, indentation and docstrings go; every name that is not a keyword, a builtin,
`np` or an attribute (`.dot`) becomes V, every string S; numbers and operators stay. So renamed variables, changed
comments and whitespace change nothing. The k-grams never cross the end of a statement, so reordering independent
statements changes nothing either (a statement shorter than k tokens is one gram when it has at least 3 tokens).
Winnowing keeps the smallest hash of every `window` consecutive grams of a statement: any shared run of
k + window - 1 tokens within a statement is certain to share a fingerprint.
"""
import builtins
import hashlib
import io
import keyword
import re
import tokenize

KEPT_NAMES = frozenset(keyword.kwlist) | frozenset(dir(builtins)) | {"np", "numpy"}
SKIPPED = {tokenize.COMMENT, tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING, tokenize.ENDMARKER}
WORDS = re.compile(r"\w+|[^\w\s]")


def _tokens(source):
    """[(type, text, line)] of `source`; a cell that does not tokenize (a student's syntax error) is split into
    words and symbols, a statement per line."""
    try:
        return [(token.type, token.string, token.start[0])
                for token in tokenize.generate_tokens(io.StringIO(source).readline)]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        found = []
        for number, line in enumerate(source.splitlines(), start=1):
            found += [(tokenize.NAME if word[0].isalpha() or word[0] == "_" else tokenize.OP, word, number)
                      for word in WORDS.findall(line.split("#", 1)[0])]
            found.append((tokenize.NEWLINE, "\n", number))
        return found


def statements(source):
    """[[(normalised token, line)]]: one list per statement of `source`, docstrings and bare strings left out."""
    found, current, previous = [], [], ""
    for kind, text, line in _tokens(source):
        if kind in SKIPPED:
            continue
        if kind == tokenize.NEWLINE:
            if current and not all(token == "S" for token, _ in current):
                found.append(current)
            current, previous = [], ""
            continue
        if kind == tokenize.NAME:
            token = text if text in KEPT_NAMES or previous == "." else "V"
        elif kind == tokenize.STRING or kind == getattr(tokenize, "FSTRING_START", -1):
            token = "S"
        else:
            token = text
        current.append((token, line))
        previous = text
    if current and not all(token == "S" for token, _ in current):
        found.append(current)
    return found


def _stable_hash(tokens) -> int:
    """The same number for the same tokens in every process (Python's hash() of a str changes from run to run,
    and with it which grams winnowing keeps, so a pair near a threshold would be flagged in one run only)."""
    return int.from_bytes(hashlib.blake2b("\x1f".join(tokens).encode(), digest_size=8).digest(), "big")


def fingerprints(source, k=5, window=3) -> dict:
    """{fingerprint: {the lines of `source` it covers}} of `source`, by winnowing each statement's k-grams."""
    found = {}
    for statement in statements(source):
        if len(statement) < 3:
            continue
        grams = [statement[start:start + k] for start in range(max(1, len(statement) - k + 1))]
        hashes = [_stable_hash(token for token, _ in gram) for gram in grams]
        chosen = set()
        for start in range(max(1, len(grams) - window + 1)):
            candidates = range(start, min(start + window, len(grams)))
            chosen.add(min(candidates, key=lambda index: (hashes[index], -index)))
        for index in chosen:
            found.setdefault(hashes[index], set()).update(line for _, line in grams[index])
    return found
