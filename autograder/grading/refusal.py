"""Why grading cannot start: the exception every way of grading raises (the local pool's and a cluster's), and the
sandbox's refusal. Its own module, so that grade.py and cluster.py both use it without importing each other."""
from ..kernel.sandbox import problem as sandbox_problem


class CannotGrade(Exception):
    """Grading cannot start; the message says why and what to do."""


def sandbox_refusal() -> str | None:
    """None when submissions can run in a sandbox here; otherwise the one line that refuses to grade."""
    problem = sandbox_problem()
    if problem:
        return (f"cannot run submissions in a sandbox: {problem}. To grade without one (the students' "
                f"code then runs with your permissions), pass --no-sandbox.")
    return None
