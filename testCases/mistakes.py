"""Name the likely mistake behind a wrong answer, by comparing it with what typical mistakes return.

A typical mistake is known by its outcome on each call of a check: what it returns (and how it leaves the
arguments), or the exception it raises. `mistakes.json` holds the outcomes of the course's typical mistakes on the
visible checks' inputs (generated with `make expected`, from wrong code run on these public inputs); the grader
computes the same on its hidden inputs. `diagnose` picks the mistake whose outcomes agree with the student's.
"""
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .expected import decode, encode

MISTAKES_FILE = Path(__file__).with_name("mistakes.json")


@dataclass(frozen=True)
class Outcome:
    """How one call ended: it returned `output`, leaving the arguments as `args_after` (None: unchanged), or it
    raised (`raised` = (exception type name, message))."""
    output: object = None
    args_after: tuple = None
    raised: tuple = None


@dataclass(frozen=True)
class KnownMistake:
    id: str
    description: str  # the sentence the student sees
    outcomes: tuple  # the Outcome of each call of the check, None where it is not reproducible (no seed)


# Messages NumPy words differently for one problem, e.g. a matrix product of misfitting shapes.
_FAMILIES = (("matrix product of misfitting shapes", ("not aligned", "mismatch in its core dimension")),
             ("shapes that do not broadcast", ("could not be broadcast",)))


def _family(message):
    text = str(message).lower()
    for family, phrases in _FAMILIES:
        if any(phrase in text for phrase in phrases):
            return family
    return re.sub(r"\d+", "#", text)


def compatible_exceptions(expected, actual):
    """Whether the exceptions (type name, message) `expected` and `actual` say the same: the same type, and the same
    message once numbers are ignored (or messages NumPy gives for the same problem)."""
    return expected[0] == actual[0] and _family(expected[1]) == _family(actual[1])


def diagnose(mistakes, actual, wrong, same):
    """The KnownMistake whose outcomes are the student's `actual` on every call of a check, or None.

    wrong: for each call, whether its outcome differs from the reference's.
    same(index, mistake_outcome, actual_outcome): whether two outcomes of call `index` agree.
    A mistake that agrees on some calls only does not explain the answer, and is never named. Among those that
    agree on every call, the ones raising the very same exception messages on the most calls are the candidates;
    when they say different things (two mistakes these calls cannot tell apart), none is named.
    """
    if True not in wrong:
        return None
    ranked = {}
    for mistake in mistakes:
        outcomes = mistake.outcomes[:len(actual)]
        if len(outcomes) < len(actual) or not all(outcome is not None and same(index, outcome, actual[index])
                                                  for index, outcome in enumerate(outcomes)):
            continue
        # an exception with the very same message (not only a compatible one) is the more specific match
        rank = sum(outcome.raised is not None and outcome.raised == actual[index].raised
                   for index, outcome in enumerate(outcomes))
        ranked.setdefault(rank, []).append(mistake)
    if not ranked:
        return None
    best = ranked[max(ranked)]
    return best[0] if len({mistake.description for mistake in best}) == 1 else None


def encode_outcome(outcome):
    if outcome is None:
        return None
    if outcome.raised is not None:
        return {"raised": list(outcome.raised)}
    stored = {"returned": encode(outcome.output)}
    if outcome.args_after is not None:
        stored["args_after"] = encode(outcome.args_after)
    return stored


def decode_outcome(stored):
    if stored is None:
        return None
    if "raised" in stored:
        return Outcome(raised=tuple(stored["raised"]))
    args_after = decode(stored["args_after"]) if "args_after" in stored else None
    return Outcome(output=decode(stored["returned"]), args_after=args_after)


def load(path=MISTAKES_FILE):
    """{function name: [KnownMistake]} of the visible checks."""
    with open(path, encoding="utf-8") as handle:
        stored = json.load(handle)
    return {function: [KnownMistake(item["id"], item["description"],
                                    tuple(decode_outcome(outcome) for outcome in item["outcomes"]))
                       for item in items]
            for function, items in stored.items()}


def dump(mistakes, path=MISTAKES_FILE):
    """Write {function name: [KnownMistake]} to `path`, one mistake per line."""
    blocks = []
    for function, items in mistakes.items():
        lines = [json.dumps({"id": item.id, "description": item.description,
                             "outcomes": [encode_outcome(outcome) for outcome in item.outcomes]}, ensure_ascii=False)
                 for item in items]
        blocks.append(f" {json.dumps(function)}: [\n  " + ",\n  ".join(lines) + "\n ]")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("{\n" + ",\n".join(blocks) + "\n}\n")
