"""The grader's side of grading one function in the student's kernel (the kernel's side: in_kernel.py).

The grader starts `in_kernel.serve` in the kernel, sends it the arguments of every test call at once,
and answers the stubs of the functions the graded one calls with the reference versions, run here. What
the kernel returns is decoded as plain data and compared here, with the expected values computed
here: nothing the student's code does in its own process can change how the comparison is made.
"""
import contextlib
import hashlib
import inspect
import io
import json
import queue
import re
import time
import warnings
from pathlib import Path

import zmq
import zmq.asyncio
from nbclient.exceptions import DeadKernelError

from testCases.diagnosis import errors

from . import in_kernel
from ..grading.outcomes import Status, Verdict, quoted
from ..similarity.answers import answer_digest
from ..hidden import diagnosis

IN_KERNEL_SOURCE = Path(in_kernel.__file__).read_text(encoding="utf-8")
KERNEL_MODULE = "_autograder_in_kernel"  # in_kernel's name in the kernel's sys.modules
SOURCE_REQUEST = json.dumps({"op": "source"})  # what a kernel without it asks (serve_code)
MAX_KERNEL_MESSAGE = 32 * 1024 * 1024  # characters of one message from the kernel
ALIVE_CHECK = 0.05  # seconds between checks that a silent kernel is still alive (a look costs microseconds)


class KernelMisbehaved(Exception):
    """The kernel broke the conversation: the execution ended early, or a message was not the format's."""


class TimedOut(Exception):
    """The function under test ran past the time limit."""


class _Unset:
    """How a stub's signature writes a default: the kernel binds its own marker to the name."""

    def __repr__(self):
        return "_unset"


def stub_signature(function) -> str:
    """`function`'s parameter list as Python source, every default `_unset` and no annotations: the stub
    that stands in for it in the kernel accepts exactly the calls it accepts (in_kernel._stub)."""
    signature = inspect.signature(function)
    parameters = [parameter.replace(annotation=inspect.Parameter.empty,
                                    default=_Unset() if parameter.default is not parameter.empty else parameter.empty)
                  for parameter in signature.parameters.values()]
    return str(signature.replace(parameters=parameters, return_annotation=inspect.Signature.empty))


def digest(source: str) -> str:
    """How the code that grades a function names a public module's text, which the kernel asks for once."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def serve_code(function_name: str, remote_callees: dict, public_callees) -> str:
    """The code that runs `in_kernel.serve` for `function_name` in the kernel, leaving no name in the notebook's.
    remote_callees: {name: the function the grader answers its calls with};
    public_callees: [(a public module's text, the names of the callees it defines)].

    in_kernel lives in the kernel as a module of its own in sys.modules. The first function's code finds none and
    asks the grader for in_kernel's source ({"op": "source"}); later ones find it. Sending and running the source
    with every function cost the kernel 5 ms each, half of what grading costs it. The public modules' texts
    (dnn_utils.py) come the same way, once, named in the code by their digest: IPython reads, hashes and compiles
    every character of a cell's code. The student's code could replace that module, as it could replace anything
    in its process; it gains nothing by it: what comes back is checked here, against values the kernel never sees.
    """
    stubs = [[name, stub_signature(function)] for name, function in remote_callees.items()]
    public = [[digest(source), list(names)] for source, names in public_callees]
    load = (f"(lambda kit: (exec(__import__('json').loads(input({SOURCE_REQUEST!r})), kit.__dict__), "
            f"sys.modules.setdefault({KERNEL_MODULE!r}, kit))[1])(type(sys)({KERNEL_MODULE!r}))")
    return (f"(lambda sys: (sys.modules.get({KERNEL_MODULE!r}) or {load}).serve(globals(), {function_name!r}, "
            f"{stubs!r}, {public!r}))(__import__('sys'))")


class Conversation:
    """One execution of `serve_code` in the kernel: the kernel asks, the grader answers."""

    def __init__(self, client, manager, deadline):
        self.client, self.manager, self.deadline = client, manager, deadline
        self.msg_id = None
        self.ended = False  # the kernel finished executing the grader's code
        self.channels = {channel.socket: channel for channel in (client.stdin_channel, client.shell_channel,
                                                                 client.iopub_channel)}
        self.poller = zmq.asyncio.Poller()
        for socket in self.channels:
            self.poller.register(socket, zmq.POLLIN)

    def start(self, code):
        self.msg_id = self.client.execute(code, silent=True, store_history=False, allow_stdin=True,
                                          stop_on_error=False)

    def answer(self, message):
        self.client.input(json.dumps(message))

    async def request(self):
        """The kernel's next message, as a dict."""
        kind, content = await self._next()
        if kind == "ended":
            raise KernelMisbehaved("the kernel ended the grader's request early"
                                   + (f" ({quoted(content.get('ename'))}: {quoted(content.get('evalue'))})"
                                      if content.get("status") == "error" else ""))
        if len(content) > MAX_KERNEL_MESSAGE:
            raise KernelMisbehaved("the kernel sent a message too large to read")
        try:
            message = json.loads(content)
        except ValueError:
            raise KernelMisbehaved("the kernel sent a message the grader could not read") from None
        if not isinstance(message, dict):
            raise KernelMisbehaved("the kernel sent a message the grader could not read")
        return message

    async def finish(self):
        """Wait for the end of the execution (after the grader said it is done)."""
        while (await self._next())[0] != "ended":
            pass  # the kernel keeps asking after "done": nothing more is answered

    async def _next(self):
        """("input", prompt) or ("ended", reply content) of this execution; iopub output is dropped."""
        while True:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise TimedOut()
            events = dict(await self.poller.poll(1000 * min(remaining, ALIVE_CHECK)))
            if not events and not await self.manager.is_alive():
                raise DeadKernelError("the kernel died")
            for socket in events:
                message = await self.channels[socket].get_msg(timeout=0)
                if message["parent_header"].get("msg_id") != self.msg_id:
                    continue
                if message["msg_type"] == "input_request":
                    return "input", str(message["content"].get("prompt", ""))
                if message["msg_type"] == "execute_reply":
                    self.ended = True
                    return "ended", message["content"]


async def grade_function(tests, function_name: str, client, manager, timeout: float,
                         absent: Verdict = None) -> Verdict:
    """The Verdict on the student's `function_name`, called in the kernel on every test call of `tests`;
    `absent` if the kernel has no such function (by default: it is not defined). The seconds it took are added to
    the manager's timings["grading"], if it keeps timings (the benchmark's breakdown)."""
    started = time.perf_counter()
    try:
        return await _grade_function(tests, function_name, client, manager, timeout, absent)
    finally:
        timings = getattr(manager, "timings", None)
        if timings is not None:
            timings["grading"] = timings.get("grading", 0.0) + time.perf_counter() - started


async def _grade_function(tests, function_name, client, manager, timeout, absent):
    conversation = Conversation(client, manager, time.monotonic() + timeout)
    remote_callees = {name: tests.callee(name) for name in tests.remote_callees(function_name)}
    public_callees = tests.public_callees(function_name)
    conversation.start(serve_code(function_name, remote_callees, public_callees))
    try:
        verdict = await _run_calls(tests, function_name, conversation, absent, public_callees)
        conversation.deadline = time.monotonic() + timeout
        await conversation.finish()
        return verdict
    except TimedOut:
        return await _stop(manager, client, Verdict(Status.TIMEOUT, f"{function_name} did not return within the "
                                                               f"time limit ({timeout:g} s): an infinite loop?"))
    except KernelMisbehaved as error:
        verdict = Verdict(Status.ERROR, f"{function_name} could not be graded: {error}")
        return verdict if conversation.ended else await _stop(manager, client, verdict)
    except DeadKernelError:
        return Verdict(Status.ERROR, f"{function_name} killed the Python kernel (os._exit, a crash or out of memory)")


async def _run_calls(tests, function_name, conversation, absent, public_callees):
    texts = {digest(source): source for source, _ in public_callees}
    message = await conversation.request()
    while message.get("op") in ("source", "public"):  # what a kernel asks for once: in_kernel, the public modules
        if message.get("op") == "source":
            conversation.answer(IN_KERNEL_SOURCE)
        elif message.get("digest") in texts:
            conversation.answer(texts[message["digest"]])
        else:
            raise KernelMisbehaved("the kernel asked for a module the grader did not name")
        message = await conversation.request()
    if message.get("op") == "missing":
        conversation.answer({"op": "done"})
        return absent or Verdict(Status.ERROR, f"{function_name} is not defined: run its cell, and keep its name as given")
    if message.get("op") != "ready":
        raise KernelMisbehaved(f"the kernel sent {str(message.get('op'))[:20]!r} instead of being ready")
    parameters = message.get("parameters")  # the student's function's parameter names: only ever compared
    if not (isinstance(parameters, list) and len(parameters) <= 32 and all(isinstance(name, str) for name in parameters)):
        parameters = None
    calls = tests.calls(function_name)
    conversation.answer({"op": "calls", "calls": [in_kernel.encode(list(call.args)) for call in calls]})
    message = await _serve_callees(tests, function_name, conversation)
    results = message.get("results")
    if message.get("op") != "results" or not isinstance(results, list) or len(results) != len(calls):
        raise KernelMisbehaved(f"the kernel sent {str(message.get('op'))[:20]!r} instead of the results")
    conversation.answer({"op": "done"})
    return judge(tests, function_name, calls, results, parameters)


def judge(tests, function_name, calls, results, parameters=None) -> Verdict:
    """The Verdict on the kernel's result message of each call: the first wrong call's problem, with the cause
    that explains the answer (testCases/diagnosis/), or the student's own line when their code raised."""
    visible = len(tests.visible_calls(function_name))  # the calls of the visible check come first
    for index, (call, result) in enumerate(zip(calls, results)):
        result = result if isinstance(result, dict) else {}
        where = (f"{function_name}, {call.description}" if index < visible else
                 f"{function_name} passes its visible check, but not the {call.description}")
        problem = _problem(tests, function_name, call, result, where)
        if problem:
            status = Status.ERROR if result.get("op") == "raised" else Status.FAILED
            if result.get("type") == "NotImplementedError":
                return Verdict(status, problem)
            answer = answer_digest(results)
            cause = diagnosis.name_mistake(tests, function_name, calls, results, parameters)
            if cause is not None:
                return Verdict(status, diagnosis.message(where, cause, result), mistake=cause.id, answer=answer)
            own = result.get("op") == "raised" and _student_line(result) is not None
            return Verdict(status, problem, mistake=f"{function_name}.{OWN_CODE}" if own else "", answer=answer)
    return Verdict(Status.PASSED, warning_note(function_name, results))


OWN_CODE = "error_in_own_code"  # the cause of an exception shown with the student's own line and its values


def warning_note(function_name, results):
    """The note a passing function's warnings get ("" without any): they cost nothing, but deserve a look."""
    said = [warning for result in results if isinstance(result, dict) and isinstance(result.get("warnings"), list)
            for warning in result["warnings"]]
    if not said:
        return ""
    return (f"note: {function_name} is right, but it warned {quoted(said[0], 200)}"
            f"{f' (and {len(said) - 1} more)' if len(said) > 1 else ''}: warnings cost no points")


async def _serve_callees(tests, function_name, conversation):
    """Answer the stubs until the kernel reports how the call ended; return that report."""
    while True:
        message = await conversation.request()
        if message.get("op") != "callee":
            return message
        conversation.answer(_callee_answer(tests, function_name, message))


def _callee_answer(tests, function_name, message):
    name = message.get("name")
    if name not in tests.remote_callees(function_name):
        return {"op": "raised", "type": "NameError", "message": f"{name!r} is not available while grading "
                                                                  f"{function_name}"}
    try:
        callee = tests.callee(name)
        call = _bound_call(callee, in_kernel.decode(message.get("args")))
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the student's arguments may make NumPy warn: no answer's business
            output = callee(*call.args, **call.kwargs)
        return {"op": "returned", "output": in_kernel.encode(output)}
    except Exception as error:
        return {"op": "raised", "type": type(error).__name__, "message": str(error)[:500]}


def _bound_call(function, arguments):
    """The call of `function` that a stub's {parameter: value} of the arguments it was given stands for."""
    signature = inspect.signature(function)
    if not isinstance(arguments, dict) or not set(arguments) <= set(signature.parameters):
        raise in_kernel.MalformedMessage("not the arguments of a call")
    for name, value in arguments.items():
        kind = signature.parameters[name].kind
        if (kind is inspect.Parameter.VAR_POSITIONAL and not isinstance(value, tuple)
                or kind is inspect.Parameter.VAR_KEYWORD and not isinstance(value, dict)):
            raise in_kernel.MalformedMessage("not the arguments of a call")
    return inspect.BoundArguments(signature, arguments)


def _problem(tests, function_name, call, message, where):
    """None if the call's outcome is right; otherwise what is wrong, in one line that starts with `where`."""
    if message.get("op") == "raised" and message.get("type") == "NotImplementedError":
        return f"{function_name} is not written yet: it still raises NotImplementedError"
    if message.get("op") == "raised":
        told = _student_line(message)
        return f"{where}: raised {quoted(message.get('type'), 80)}: {told or quoted(message.get('message'))}"
    if message.get("op") != "returned":
        raise KernelMisbehaved(f"the kernel sent {str(message.get('op'))[:20]!r} instead of a result")
    try:
        output, args_after = in_kernel.decode(message.get("output")), in_kernel.decode(message.get("args"))
    except in_kernel.MalformedMessage as error:
        raise KernelMisbehaved(f"the kernel sent a result the grader could not read ({error})") from None
    problems = tests.problems(function_name, call, output, args_after)
    return f"{where}: {'; '.join(problems)}" if problems else None


SHAPE_ONLY = re.compile(r"an array of shape \((\d+(, \d+)*,?)?\)|a (tuple|list) of \d+ items")


def _student_line(message):
    """What the student's own line and its values say of their exception (errors.sentence), or None. The kernel
    sends them; only the line (quoted) and descriptions of shapes are believed, so nothing reads as the grader's."""
    line, values, names = message.get("line"), message.get("values"), message.get("names")
    if not isinstance(line, str) or not line:
        return None
    values = {str(name)[:40]: value for name, value in values.items() if isinstance(value, str)
              and SHAPE_ONLY.fullmatch(value)} if isinstance(values, dict) else {}
    names = [name for name in names if isinstance(name, str)][:500] if isinstance(names, list) else []
    return errors.sentence(str(message.get("type"))[:80], str(message.get("message"))[:300], line[:300], values, names)


async def _stop(manager, client, verdict):
    """The function is still running: interrupt it; a kernel that ignores the interrupt is killed."""
    await manager.interrupt_kernel()
    if not await _responds(client, timeout=5):
        await manager.shutdown_kernel(now=True)
    return verdict


async def _responds(client, timeout):
    """True if the kernel answers a kernel_info request within `timeout` seconds."""
    msg_id = client.kernel_info()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            message = await client.get_shell_msg(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return False
        if message["parent_header"].get("msg_id") == msg_id:
            return True
    return False
