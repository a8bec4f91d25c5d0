"""What the hidden tests of every assignment share: the test calls, the fairness rule and the comparison.

The grader runs these tests in its own process (autograder/kernel/conversation.py): it calls the student's
function in the sandboxed kernel and compares what comes back with the reference, computed here.

The fairness rule: a function is graded with the reference versions of the functions it calls.
While a function is graded, the names of the functions it may call (everything the notebook gives,
and every graded function before it) are bound in the student's namespace to stubs that the
grader answers with the reference versions, so one bug costs the points of one function only.
Functions are graded in the notebook's order, so a stub never answers for a function that is yet
to be graded.
"""
import contextlib
import copy
import functools
import inspect
import io

from testCases.checks import VISIBLE_CALLS, Call, compare_call


class HiddenTests:
    """The tests of one assignment.

    reference: the module of the assignment's reference solutions.
    hidden_calls: {graded function name: a function returning the list of Calls the hidden tests make},
        in the notebook's order.
    given: {name: function} of what the notebook gives students.
    public: modules whose source the release gives students (dnn_utils; in the application, the
        step-by-step solutions). A callee defined in one of them runs in the kernel, from a fresh copy of that
        source that the grader sends, instead of costing a round trip to the grader on every call.
    """

    def __init__(self, reference, hidden_calls, given, public=()):
        self.reference = reference
        self.hidden_calls = hidden_calls
        self.given = given
        self.public = {module.__name__: module for module in public}
        self.functions = list(hidden_calls)
        self._expected = {}

    def callee_names(self, function_name):
        """The names `function_name` may call, each answered with its reference version while it is graded."""
        earlier = self.functions[:self.functions.index(function_name)]
        return sorted(set(self.given) | set(earlier))

    @functools.lru_cache(maxsize=None)  # answered on every callee request; fixed for the process's life
    def public_callees(self, function_name):
        """[(source of a public module, [the callees of `function_name` it defines])]."""
        by_module = {}
        for name in self.callee_names(function_name):
            module = getattr(self.callee(name), "__module__", None)
            if module in self.public:
                by_module.setdefault(module, []).append(name)
        return tuple((inspect.getsource(self.public[module]), tuple(names)) for module, names in sorted(by_module.items()))

    @functools.lru_cache(maxsize=None)
    def remote_callees(self, function_name):
        """The callees of `function_name` that the grader answers (those whose source is not public)."""
        local = {name for _, names in self.public_callees(function_name) for name in names}
        return tuple(name for name in self.callee_names(function_name) if name not in local)

    def callee(self, name):
        return self.given[name] if name in self.given else getattr(self.reference, name)

    # The calls are built once per process: their inputs are fixed by seeds, and every caller copies the
    # arguments before anything may change them.
    @functools.lru_cache(maxsize=None)
    def visible_calls(self, function_name):
        """The calls of the function's visible check, as the student's notebook makes them."""
        return tuple(Call(f"visible check, {call.description}", call.args) for call in VISIBLE_CALLS[function_name]())

    @functools.lru_cache(maxsize=None)
    def calls(self, function_name):
        """Every call a function is graded on: its visible check's test cases, then the hidden ones."""
        hidden = tuple(Call(f"hidden test, {call.description}", call.args)
                       for call in self.hidden_calls[function_name]())
        return self.visible_calls(function_name) + hidden

    def expected(self, function_name, call):
        """The reference's output for `call` (its prints discarded), computed once per process."""
        key = (function_name, call.description)
        if key not in self._expected:
            with contextlib.redirect_stdout(io.StringIO()):
                self._expected[key] = getattr(self.reference, function_name)(*copy.deepcopy(call.args))
        return self._expected[key]

    def problems(self, function_name, call, output, args_after):
        """What is wrong with `output` (and with the arguments as the function left them); [] if nothing."""
        return [problem for _, problem in compare_call(function_name, call, self.expected(function_name, call),
                                                       output, args_after, show_values=False) if problem]

    def check(self, function_name, namespace):
        """Run the tests of `function_name`, defined in `namespace`, in this process; raise AssertionError on
        the first failure. The instructor notebook runs this on its solutions, with no sandbox and no stubs."""
        function = namespace.get(function_name)
        if not callable(function):
            raise AssertionError(f"{function_name} is not defined: run its cell, and keep its name as given")
        for call in self.calls(function_name):
            args = copy.deepcopy(call.args)
            with contextlib.redirect_stdout(io.StringIO()):
                output = function(*args)
            problems = self.problems(function_name, call, output, args)
            if problems:
                raise AssertionError(f"{function_name}, {call.description}: {'; '.join(problems)}")
