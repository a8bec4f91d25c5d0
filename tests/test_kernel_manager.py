"""The kit's kernel manager stops a kernel as jupyter_client does, but notices its end at once, where jupyter_client
sleeps 0.1 s first; grading uses it, sandboxed or not. A kernel that dies while a cell runs is noticed as soon."""
import asyncio
import contextlib
import os

import nbformat
import pytest
from jupyter_client.manager import AsyncKernelManager

from autograder.grading.outcomes import KernelLost
from autograder.grading.preprocessors import GradeInKernel
from autograder.kernel.conversation import ALIVE_CHECK
from autograder.kernel.manager import QuickStopKernelManager
from autograder.kernel.sandbox import SandboxedKernelManager

pytestmark = pytest.mark.kernels  # a real Jupyter kernel: left out of make test-fast


@contextlib.contextmanager
def recorded_sleeps():
    """While the block runs, asyncio.sleep also notes the seconds of each sleep, in the list it yields."""
    sleeps, sleep = [], asyncio.sleep

    async def recorded(delay, *args, **kwargs):
        sleeps.append(delay)
        return await sleep(delay, *args, **kwargs)

    asyncio.sleep = recorded
    try:
        yield sleeps
    finally:
        asyncio.sleep = sleep


def stop_a_kernel(manager_class):
    """Start a kernel with `manager_class`, stop it as grading does (shutdown_kernel(now=True)); return the seconds
    of every sleep the stop took, and whether the kernel's process and connection file are gone."""
    async def run():
        manager = manager_class()
        await manager.start_kernel(extra_arguments=["--HistoryManager.hist_file=:memory:",
                                                    "--IPKernelApp.log_level=ERROR"])
        client = manager.client()
        client.start_channels()
        await client.wait_for_ready(timeout=60)
        process = manager.provisioner.process
        with recorded_sleeps() as sleeps:
            await manager.shutdown_kernel(now=True)
        client.stop_channels()
        return sleeps, process.poll() is not None and not os.path.exists(manager.connection_file)

    return asyncio.run(run())


def test_a_killed_kernel_is_seen_to_end_without_jupyter_clients_tenth_of_a_second_sleep():
    sleeps, gone = stop_a_kernel(QuickStopKernelManager)
    assert gone
    assert sleeps and max(sleeps) < 0.1


def test_jupyter_clients_own_manager_sleeps_a_tenth_of_a_second():
    """What the kit's manager saves: the test above is not passing for want of a kernel slow to die."""
    sleeps, gone = stop_a_kernel(AsyncKernelManager)
    assert gone
    assert 0.1 in sleeps


def test_grading_uses_it_with_and_without_the_sandbox():
    assert GradeInKernel().kernel_manager_class is QuickStopKernelManager
    assert issubclass(SandboxedKernelManager, QuickStopKernelManager)


def test_a_kernel_that_dies_in_a_cell_is_noticed_within_a_look_not_nbclients_second(tmp_path):
    """nbclient looks whether the kernel is alive once a second while a cell runs; grading looks every ALIVE_CHECK
    seconds, so a submission that kills its kernel stops keeping its worker idle sooner."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os, time\ntime.sleep(0.2)\n"
                                                                         "os._exit(1)")])
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    grading = GradeInKernel(timeout=30, extra_arguments=["--HistoryManager.hist_file=:memory:",
                                                         "--IPKernelApp.log_level=ERROR"])
    with recorded_sleeps() as sleeps:
        _, resources = grading.preprocess(notebook, {"nbgrader": {"assignment": "step_by_step"},
                                                     "metadata": {"path": str(tmp_path)}})
    assert {verdict.kernel_lost for verdict in resources["autograder"]["verdicts"].values()} == {KernelLost.DIED}
    assert ALIVE_CHECK in sleeps and 1 not in sleeps
