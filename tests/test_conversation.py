"""The grading conversation with a real kernel: in_kernel's source and the public modules' texts reach a kernel once,
however many functions are graded in it, and again whenever the student's code removed them; the graded code keeps
its own output streams."""
import asyncio

import pytest
from jupyter_client.manager import AsyncKernelManager

from autograder.hidden.step_by_step import TESTS
from autograder.kernel import conversation
from autograder.paths import RELEASE, source_notebook
from testCases.notebook import solution_sources

pytestmark = pytest.mark.kernels  # a real Jupyter kernel: left out of make test-fast

ASSIGNMENT = "step_by_step"
SOLVED = "from dnn_utils import sigmoid, relu, sigmoid_backward, relu_backward\nimport numpy as np\n" + "\n".join(
    source for _, source in solution_sources(source_notebook(ASSIGNMENT)))


PUBLIC = {source for function in TESTS.functions for source, _ in TESTS.public_callees(function)}


def grade_all(between=None, solved=SOLVED):
    """Grade every function of the assignment, solved with `solved` (the reference solutions), in one fresh kernel;
    run the code `between` after each. Return ({function: Verdict}, how many times the kernel asked for in_kernel's
    source, how many times for a public module's text)."""
    asked = []
    answer = conversation.Conversation.answer

    def counting(self, message):
        asked.extend([message] if isinstance(message, str) and (message == conversation.IN_KERNEL_SOURCE
                                                                  or message in PUBLIC) else [])
        return answer(self, message)

    async def run():
        manager = AsyncKernelManager()
        await manager.start_kernel(cwd=str(RELEASE / ASSIGNMENT),
                                   extra_arguments=["--HistoryManager.hist_file=:memory:"])
        client = manager.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            await client.execute_interactive(solved, timeout=60)
            verdicts = {}
            for function in TESTS.functions:
                verdicts[function] = await conversation.grade_function(TESTS, function, client, manager, 30)
                if between:
                    await client.execute_interactive(between, timeout=60)
            return verdicts
        finally:
            client.stop_channels()
            await manager.shutdown_kernel(now=True)

    conversation.Conversation.answer = counting
    try:
        verdicts = asyncio.run(run())
    finally:
        conversation.Conversation.answer = answer
    return verdicts, asked.count(conversation.IN_KERNEL_SOURCE), sum(message in PUBLIC for message in asked)


def test_in_kernels_source_and_the_public_modules_are_sent_to_a_kernel_once():
    verdicts, sources, publics = grade_all()
    assert {verdict.status for verdict in verdicts.values()} == {"passed"}
    assert (sources, publics) == (1, len(PUBLIC)) and PUBLIC


def test_a_kernel_whose_code_removed_them_gets_them_again_and_every_function_is_graded():
    verdicts, sources, publics = grade_all(between=f"import sys; sys.modules.pop({conversation.KERNEL_MODULE!r}, None)")
    assert {verdict.status for verdict in verdicts.values()} == {"passed"}
    assert (sources, publics) == (len(TESTS.functions), len(TESTS.functions) * len(PUBLIC))


def test_graded_code_that_writes_to_its_streams_around_the_calls_it_makes_passes():
    """The grader sets the kernel's streams aside while it asks for a callee's answer, and gives them back: a
    student's L_model_forward that reports its progress on stderr and stdout (as tqdm does) is graded as written."""
    noisy = SOLVED + ("\nimport sys\n_original = L_model_forward\n"
                      "def L_model_forward(X, parameters):\n"
                      "    sys.stderr.write('layer by layer\\n'); sys.stderr.flush(); print('start')\n"
                      "    result = _original(X, parameters)  # its calls of linear_activation_forward ask the grader\n"
                      "    assert sys.stderr.isatty() in (True, False)  # the kernel's own stream, not a stand-in\n"
                      "    sys.stderr.write('done\\n'); sys.stderr.flush()\n"
                      "    return result\n")
    verdicts, _, _ = grade_all(solved=noisy)
    assert verdicts["L_model_forward"].status == "passed"
