"""A Dask worker preload for the tests (`dask worker --preload tests/dask_poison.py`): the worker process dies the
moment it starts grading the student named by KIT_TEST_POISON, as a machine's out-of-memory killer would end it,
so that student's submission kills every worker it lands on."""
import os

from distributed.diagnostics.plugin import WorkerPlugin


class DieOnPoison(WorkerPlugin):
    def __init__(self, student):
        self.marker = f"-{student}-"  # task keys are grade-<assignment>-<student>-<token>

    def transition(self, key, start, finish, **kwargs):
        if finish == "executing" and self.marker in str(key):
            os._exit(1)


async def dask_setup(worker):
    await worker.plugin_add(DieOnPoison(os.environ["KIT_TEST_POISON"]), name="kit-test-poison")
