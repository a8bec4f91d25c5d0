"""nbgrader preprocessors the course adds to nbgrader's own pipeline (see nbgrader_config.py)."""
import asyncio
import contextlib
import importlib
import subprocess

import nbformat
from jupyter_core.utils import ensure_async, run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbgrader import utils
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Integer

from ..kernel.conversation import ALIVE_CHECK, grade_function
from ..kernel.manager import QuickStopKernelManager
from .gradecells import grade_id_of, readable_metadata, tested_function_of
from .outcomes import (KERNEL_DIED, KERNEL_UNRESPONSIVE, KernelLost, Status, Verdict, one_line, quoted,
                       with_verdicts)
from .sanitising import instructor_notebook


class DropMalformedGradingMetadata(NbGraderPreprocessor):
    """Remove `nbgrader` cell metadata that nbgrader's own steps would fail on, so the cell is an ordinary one.

    Three cases, each of which would otherwise make nbgrader give up on the whole submission: anything
    but a dict with a string grade_id (a student's edit); a grade_id the instructor notebook does not
    have (a student's made-up graded cell); and the empty metadata that nbgrader 0.9 leaves on every copy
    but the last of a duplicated graded cell, which OverwriteCells fails on when add_missing_cells is on.
    Without the metadata, OverwriteCells restores any graded cell that went missing, as released.
    """

    def preprocess(self, nb, resources):
        self._known = _known_grade_ids(resources)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, cell_index):
        known = readable_metadata(cell) is not None and (self._known is None
                                                          or grade_id_of(cell) in self._known | {None})
        if "nbgrader" in cell.metadata and not known:
            del cell.metadata["nbgrader"]
        return cell, resources


def _known_grade_ids(resources):
    """The grade_ids of the instructor notebook's nbgrader cells, from the gradebook; None without one."""
    info = resources.get("nbgrader", {})
    if not {"db_url", "notebook", "assignment"} <= set(info):
        return None
    return instructor_notebook(info["db_url"], info["notebook"], info["assignment"]).source_cell_names


class GradeInKernel(Execute):
    """nbgrader's Execute, which also grades each function in the kernel right after its graded test cell.

    The grading is the kit's (autograder/kernel/conversation.py): the grader calls the student's function with
    the test inputs and compares the plain data that comes back with the reference, in its own
    process. Functions are graded in the assignment's order whatever the order of the cells, each
    at the first graded test cell of it or of a later function; those not reached by the last cell
    are graded after it. A kernel that dies costs only the functions not graded yet (plain nbgrader would
    drop the whole submission). The verdicts also go to resources["autograder"]["verdicts"].

    resources["autograder"] may hold "tests" (the assignment's HiddenTests; by default those of
    resources["nbgrader"]["assignment"]) and "kernel_manager" (the kernel to run in, e.g. a sandboxed
    one; by default an ordinary kernel, as plain `nbgrader autograde` runs it). Each graded test cell's
    outputs are replaced by the verdict, which is what nbgrader's SaveAutoGrades then records.
    """

    max_output = Integer(2_000_000, help="characters of output kept per notebook; the rest is dropped").tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", QuickStopKernelManager)  # before nbgrader's Execute sets its own
        super().__init__(*args, **kwargs)

    def preprocess(self, nb, resources=None, km=None):
        kit = resources.setdefault("autograder", {})
        if "tests" not in kit:  # plain `nbgrader autograde`: the same grading, in an ordinary kernel
            kit["tests"] = importlib.import_module(f"autograder.hidden.{resources['nbgrader']['assignment']}").TESTS
        self._kit, self._output_size, self._truncated, self._absent = kit, 0, False, {}
        verdicts = kit["verdicts"] = {}
        self._order = {name: index for index, name in enumerate(kit["tests"].functions)}
        try:
            nb, resources = super().preprocess(nb, resources, km=kit.get("kernel_manager", km))
        except DeadKernelError:  # the functions graded so far keep their grades
            pass
        except CellTimeoutError:  # nbclient gives up on a kernel that ignores the interrupt
            for name in kit["tests"].functions:
                verdicts.setdefault(name, Verdict(Status.ERROR, KERNEL_UNRESPONSIVE, KernelLost.UNRESPONSIVE))
        for name in kit["tests"].functions:
            verdicts.setdefault(name, Verdict(Status.ERROR, KERNEL_DIED, KernelLost.DIED))
        return with_verdicts(nb, verdicts), resources

    @contextlib.contextmanager
    def setup_kernel(self, **kwargs):
        """nbclient's, but a kernel it was handed (a sandboxed one) is stopped at the end too, channels and all.

        The kernel process's own stdout and stderr go nowhere: through them a submission could write to the
        grader's terminal. What the student's code writes to them still reaches the notebook, as ipykernel
        forwards file descriptors 1 and 2 to the cell's output.
        """
        kwargs.setdefault("cleanup_kc", True)
        kwargs.setdefault("stdout", subprocess.DEVNULL)
        kwargs.setdefault("stderr", subprocess.DEVNULL)
        with super().setup_kernel(**kwargs):
            yield

    async def _async_poll_kernel_alive(self):
        """nbclient's watch on the kernel while a cell runs, looking every ALIVE_CHECK seconds instead of every
        second: a submission whose kernel dies (os._exit, out of memory) no longer keeps its worker idle for up
        to a second before the rest of it is graded."""
        while True:
            await asyncio.sleep(ALIVE_CHECK)
            try:
                await self._async_check_alive()
            except DeadKernelError:
                self.task_poll_for_reply.cancel()
                return

    async def async_start_new_kernel_client(self):
        client = await super().async_start_new_kernel_client()
        seal = getattr(getattr(self.km, "sandbox", None), "seal", None)
        if seal:
            seal()  # the kernel's sockets exist now
        return client

    def preprocess_cell(self, cell, resources, index):
        cell, resources = super().preprocess_cell(cell, resources, index)
        self._note_defining_cell(cell)
        function = _graded_function(cell)
        last = index == len(self.nb.cells) - 1
        if function in self._order or last:
            run_sync(self._grade_up_to)(len(self._order) if last else self._order[function] + 1)
        return cell, resources

    def _note_defining_cell(self, cell):
        """Why a graded function may be undefined: its solution cell ran past the cell time limit, or raised."""
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        errors = [output for output in cell.get("outputs", []) if output.get("output_type") == "error"]
        if not (utils.is_solution(cell) and grade_id in self._order and errors):
            return
        if any(output.get("ename") == self.error_on_timeout.get("ename") for output in errors):
            self._absent[grade_id] = Verdict(Status.TIMEOUT, f"the cell that defines {grade_id} was still running "
                                             f"after {self.timeout:g} s and was interrupted: an infinite loop "
                                             f"outside the function?")
        else:
            error = errors[0]
            self._absent[grade_id] = Verdict(Status.ERROR, f"the cell that defines {grade_id} raised "
                                             f"{quoted(error.get('ename'), 80)}: "
                                             f"{quoted(one_line(error.get('evalue', '')))} before {grade_id} "
                                             f"was defined")

    async def _grade_up_to(self, upto):
        tests, verdicts = self._kit["tests"], self._kit["verdicts"]
        for function in tests.functions[:upto]:
            if function not in verdicts:
                if not await ensure_async(self.km.is_alive()):
                    return
                verdicts[function] = await grade_function(tests, function, self.kc, self.km, self.timeout,
                                                          absent=self._absent.get(function))

    def output(self, outs, msg, display_id, cell_index):
        """Keep what the student's code prints, up to max_output characters for the whole notebook."""
        self._output_size += len(str(msg.get("content", "")))
        if self._output_size > self.max_output:
            if not self._truncated:
                self._truncated = True
                outs.append(nbformat.v4.new_output("stream", name="stderr",
                                                   text="[the grader dropped the rest of this notebook's output]\n"))
            return None
        return super().output(outs, msg, display_id, cell_index)


def _graded_function(cell):
    return tested_function_of(cell) if utils.is_grade(cell) else None
