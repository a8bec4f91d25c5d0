"""What the hidden tests of every assignment share: the fairness rule and the comparison with the reference.

The fairness rule: a function is graded with the reference versions of the functions it calls. While
a check runs, the student's namespace holds the reference version of every other graded function of
the assignment and of everything the assignment gives (the activations, and in the application the
step-by-step functions and its given helper), so one bug costs the points of one function only.
"""
import contextlib
import copy
import io
import warnings

from testCases.checks import run_calls
from testCases.checks import check as visible_check


class HiddenTests:
    """The hidden tests of one assignment.

    reference: the module of the assignment's reference solutions.
    hidden_calls: {graded function name: a function returning the list of Calls the hidden tests make}.
    given: {name: function} of what the notebook gives students, bound while grading like the references.
    """

    def __init__(self, reference, hidden_calls, given):
        self.reference = reference
        self.hidden_calls = hidden_calls
        self.given = given

    def substitutes(self, function_name):
        """{name: reference version} of everything `function_name` may call."""
        substitutes = {name: getattr(self.reference, name) for name in self.hidden_calls if name != function_name}
        substitutes.update((name, value) for name, value in self.given.items() if name != function_name)
        return substitutes

    @contextlib.contextmanager
    def reference_dependencies(self, namespace, function_name):
        """Bind, for the duration, the reference version of everything `function_name` may call in
        `namespace`, the globals the student's function looks names up in."""
        substitutes = self.substitutes(function_name)
        missing = object()
        saved = {name: namespace.get(name, missing) for name in substitutes}
        namespace.update(substitutes)
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is missing:
                    namespace.pop(name, None)
                else:
                    namespace[name] = value

    def fair_check(self, function_name, target):
        """The visible check, run with the reference versions of what `target` calls."""
        namespace = getattr(target, "__globals__", None)
        if namespace is None:
            return visible_check(function_name, target)
        with self.reference_dependencies(namespace, function_name):
            return visible_check(function_name, target)

    def check(self, function_name, namespace):
        """Run the hidden tests of `function_name`, defined in `namespace`; raise AssertionError on the first failure."""
        student_function = namespace.get(function_name)
        if not callable(student_function):
            raise AssertionError(f"{function_name} is not defined: run its cell, and keep its name as given")
        with self.reference_dependencies(namespace, function_name), warnings.catch_warnings():
            # A warning fails the cell in nbgrader anyway; as an error it gets a message that names it.
            warnings.simplefilter("error")
            for call in self.hidden_calls[function_name]():
                self._check_call(function_name, student_function, call)

    def _check_call(self, function_name, student_function, call):
        where = f"{function_name}, hidden test ({call.description})"
        # What the functions print (predict prints its accuracy) would only clutter the graded cell's output.
        with contextlib.redirect_stdout(io.StringIO()):
            expected_output = getattr(self.reference, function_name)(*copy.deepcopy(call.args))
            try:
                results = list(run_calls(function_name, student_function, [call], [expected_output],
                                         show_values=False))
            except Exception as error:
                raise AssertionError(f"{where}: raised {type(error).__name__}: {error}") from None
        problems = [problem for _, _, problem in results if problem]
        if problems:
            raise AssertionError(f"{where}: {'; '.join(problems)}")
