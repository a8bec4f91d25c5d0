"""The grading conversation with a real kernel: in_kernel's source reaches a kernel once, however many functions
are graded in it, and again whenever the student's code removed it."""
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


def grade_all(between=None):
    """Grade every function of the assignment, solved with the reference solutions, in one fresh kernel; run the
    code `between` after each. Return ({function: Verdict}, how many times the kernel asked for in_kernel's source)."""
    asked = []
    answer = conversation.Conversation.answer

    def counting(self, message):
        asked.extend([message] if message == conversation.IN_KERNEL_SOURCE else [])
        return answer(self, message)

    async def run():
        manager = AsyncKernelManager()
        await manager.start_kernel(cwd=str(RELEASE / ASSIGNMENT),
                                   extra_arguments=["--HistoryManager.hist_file=:memory:"])
        client = manager.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            await client.execute_interactive(SOLVED, timeout=60)
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
        return asyncio.run(run()), len(asked)
    finally:
        conversation.Conversation.answer = answer


def test_in_kernels_source_is_sent_to_a_kernel_once():
    verdicts, sent = grade_all()
    assert {verdict.status for verdict in verdicts.values()} == {"passed"}
    assert sent == 1


def test_a_kernel_whose_code_removed_it_gets_it_again_and_every_function_is_graded():
    verdicts, sent = grade_all(between=f"import sys; sys.modules.pop({conversation.KERNEL_MODULE!r}, None)")
    assert {verdict.status for verdict in verdicts.values()} == {"passed"}
    assert sent == len(TESTS.functions)
