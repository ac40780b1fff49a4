"""JudgedExecute: nbgrader's Execute, sandboxed, with the verdicts decided outside the kernel.

It takes the place of ``nbgrader.preprocessors.Execute`` in ``Autograde.autograde_preprocessors``
(see autograder/nbgrader_config.py), so ``nbgrader autograde`` and ``course-grade`` both use it.
Compared with Execute it

- starts the kernel through :class:`autograder.sandbox.bubblewrap.SandboxedKernelManager`, or, with
  ``spare_kernel``, takes one that booted while the previous notebook was graded;
- runs test cells with their expected values blanked out, and collects what each check reports;
- recovers from a cell that kills the kernel or outlives its timeout: that cell fails, the kernel
  is restarted, the cells before it are run again silently, and grading goes on with the next
  cell — so only the cells that depend on the broken one lose points;
- keeps at most ``max_output_bytes`` of output per cell;
- finally sets each test cell's outcome from :func:`autograder.grading.judge.judge_cell`: a cell the judge
  passes loses its error outputs and its stderr becomes ordinary output (a warning costs nothing);
  a cell it fails gets, first, an error output saying which checks failed and why. nbgrader's
  SaveAutoGrades then scores the cells from those outputs as usual.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import json
import time
from pathlib import Path

from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_hook
from nbformat.v4 import new_output
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer

from autograder.grading.judge import exception_label, judge_cell
from autograder.grading.preprocessors.hidehiddentests import VERDICT, HideHiddenTests, verdict_output
from autograder.grading.preprocessors.restoretestcells import released_notebook
from autograder.grading.reference import RecordsChecks, reference_records
from autograder.grading.reports import test_cell_id
from autograder.learner.source_rules import integrity_problems
from autograder.sandbox.bubblewrap import SandboxedKernelManager, SandboxUnavailable, refusal, status
from autograder.sandbox.spare_kernel import Launch, SpareKernels
from autograder.sandbox.zmq_polling import install

_warned_unsandboxed = False
PLAIN_NOTE = ("graded the nbgrader way: this test cell uses plain assert statements, which are not "
              "tamper-proof (the course's check helpers are)")


def _loop_running() -> bool:
    """Whether an event loop runs in this thread (nbclient's async API): spares need their own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@functools.cache
def _spares() -> SpareKernels:
    """This process's spare kernels (one process grades one notebook at a time)."""
    return SpareKernels()


class JudgedExecute(RecordsChecks, Execute):
    """Execute a submission in the sandbox and let the judge decide its test cells."""

    hide_expected = True

    max_output_bytes = Integer(1_000_000, help="Output kept per cell, in bytes; the rest is dropped.").tag(
        config=True)

    max_restarts = Integer(5, help=(
        "Restarts after cells that broke the kernel; the cells after the last one allowed are not run "
        "(each restart runs the cells before it again, so restarts cost time)")).tag(config=True)

    notebook_timeout = Integer(0, help=(
        "Seconds one notebook may take in all, restarts and replays included; the cells after are not "
        "run. 0: ten times Execute.timeout.")).tag(config=True)

    spare_kernel = Bool(False, help=(
        "Start the next notebook's kernel while this one is graded. course-grade's workers turn "
        "it on. Off by default: formgrader autogrades inside the Jupyter server, where a spare "
        "would wait for a next notebook that may never come.")).tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(*args, **kwargs)

    def preprocess(self, nb, resources, km=None):
        install()
        self._require_sandbox()
        reference = self._reference(resources)
        self.records: dict[int, list[dict]] = {}
        self._output_bytes: dict[int, int] = {}
        self._broken: set[int] = set()
        self._restarts, self._started = 0, time.monotonic()
        self._spare_client = None
        super().preprocess(nb, resources, km)
        self._judge(reference)
        return self.nb, self.resources

    # --- running -----------------------------------------------------------------------------

    def _require_sandbox(self) -> None:
        """Refuse, before any student code runs, to grade without the sandbox unless told to."""
        global _warned_unsandboxed
        state = status()
        if state.sandboxed:
            if not state.quota and not _warned_unsandboxed:
                _warned_unsandboxed = True
                self.log.warning("Kernels have no disk quota (%s): only each file's size is limited.",
                                 state.quota_reason)
            return
        if SandboxedKernelManager(config=self.config).sandbox:
            self.log.error("%s", refusal(state))
            raise SandboxUnavailable(refusal(state))
        if not _warned_unsandboxed:
            _warned_unsandboxed = True
            self.log.warning("Grading is NOT sandboxed (%s; turned off by the course's settings): "
                             "student code runs with your rights.", state.reason)

    def create_kernel_manager(self):
        """nbclient's manager, reporting checks; or, with spare_kernel, a spare's, its kernel ready."""
        if not issubclass(self.kernel_manager_class, SandboxedKernelManager):
            raise TypeError(f"JudgedExecute needs a SandboxedKernelManager (or a subclass) to collect the "
                            f"checks' records; kernel_manager_class is {self.kernel_manager_class.__name__}")
        launch = self._launch()
        if self.spare_kernel and not _loop_running():
            # nbclient owns it from here, and stops it after the notebook like one it started.
            self.km, self._spare_client = _spares().take(launch)
        else:
            self.km = launch.manager(launch.kernel_name)
        return self.km

    def _launch(self) -> Launch:
        """How nbclient would make and start this notebook's kernel (for a spare: ahead of it)."""
        name = self.kernel_name or self.nb.metadata.get("kernelspec", {}).get("name", "")
        manager_class, config = self.kernel_manager_class, self.config

        def manager(kernel_name: str):
            km = manager_class(config=config, **({"kernel_name": kernel_name} if kernel_name else {}))
            km.report_checks = True
            return km

        return Launch(name, manager, {"extra_arguments": list(self.extra_arguments)}, self.startup_timeout)

    async def async_start_new_kernel_client(self):
        kc, self._spare_client = self._spare_client, None
        spare = kc is not None
        if spare:  # ready already; nbclient goes on as with a client it made itself
            self.kc, kc.allow_stdin = kc, False
        else:
            kc = await super().async_start_new_kernel_client()
        try:
            if spare:
                folder = self.resources.get("metadata", {}).get("path")
                if folder:
                    self.km.copy_in(Path(folder))  # the submission's files
                await run_hook(self.on_notebook_start, notebook=self.nb)
            self.report = self.km.report
            if self.report is None:
                raise TypeError("JudgedExecute needs a kernel manager with report_checks on")
        except BaseException:  # nbclient cleans up only once the kernel is set up
            await self._async_cleanup_kernel()
            raise
        return kc

    # nbclient's synchronous setup calls this wrapper of the base class's coroutine; wrap ours.
    start_new_kernel_client = run_sync(async_start_new_kernel_client)

    def preprocess_cell(self, cell, resources, index):
        """Execute one cell; if it broke the kernel, fail it alone and go on with a fresh kernel."""
        spent = self._out_of_budget()
        if spent and cell.cell_type == "code":
            cell.outputs = [_error("NotRun", f"not run: the notebook {spent}")]
            return cell, self.resources
        try:
            cell, _ = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            cell.outputs.append(_error("KernelDied", "the kernel died while running this cell "
                                                     "(os._exit, a crash, or a resource limit)"))
            self._recover(index)
        except CellTimeoutError:
            cell.outputs.append(_error("CellTimeoutError", f"this cell ran longer than {self.timeout} s"))
            self._recover(index)
        else:
            if any(o.get("ename") == "CellTimeoutError" for o in cell.get("outputs", [])):
                self._recover(index)  # the kernel may still be stuck in it
            elif cell.cell_type == "code" and self._disk_full():
                limit = self.km.disk_limit / 2**20
                note = (f"[disk quota exceeded: this kernel may write {limit:g} MB in all (working "
                        "folder and /tmp); the grader restarted it]\n")
                cell.outputs.append(new_output("stream", name="stdout", text=note))
                self.log.warning("Disk quota exceeded by cell %d of %s; the kernel was restarted", index,
                                 self.resources.get("metadata", {}).get("path", "the notebook"))
                self._recover(index)
            elif cell.cell_type == "code" and self._left_processes():
                # Killed, they stay zombies of the kernel and still count against the process
                # limit; only a fresh kernel gives the later cells their fair share.
                note = "[the grader stopped processes this cell left running, and restarted the kernel]\n"
                cell.outputs.append(new_output("stream", name="stdout", text=note))
                self._recover(index)
        return cell, self.resources

    def _disk_full(self) -> bool:
        full = getattr(self.km, "disk_full", None)
        return bool(full and full())

    def _left_processes(self) -> bool:
        reap = getattr(self.km, "reap_strays", None)
        return bool(reap and reap())

    def _out_of_budget(self) -> str:
        """Why no more cells are run (too many restarts, or out of time), or ""."""
        if self._restarts > self.max_restarts:
            return f"broke the kernel more than {self.max_restarts} times"
        budget = self.notebook_timeout or 10 * (self.timeout or 60)
        if time.monotonic() - self._started > budget:
            return f"ran longer than {budget} s in all"
        return ""

    def _recover(self, index: int) -> None:
        self._restarts += 1
        self._broken.add(index)
        if self._out_of_budget():
            return  # no fresh kernel: nothing more will run
        run_sync(self._async_recover)(index)

    async def _async_recover(self, index: int) -> None:
        """A fresh kernel in the state the cells before ``index`` left (except broken ones)."""
        await self.km.restart_kernel(now=True)
        await self.kc.wait_for_ready(timeout=self.startup_timeout)
        self.replaying = True
        try:
            for i, cell in enumerate(self.nb.cells[:index]):
                if cell.cell_type == "code" and i not in self._broken:
                    await self.async_execute_cell(copy.deepcopy(cell), i, store_history=False)
        finally:
            self.replaying = False

    def process_message(self, msg, cell, cell_index):
        # The kernel can send anything: a message nbclient cannot read is dropped, not a crash.
        try:
            return super().process_message(msg, cell, cell_index)
        except (KeyError, TypeError, AttributeError, ValueError) as err:
            self.log.debug("dropped a malformed message from the kernel: %r", err)
            return None

    def _update_display_id(self, display_id, msg):
        # While grading, an output never changes once its cell is done: an update could carry
        # into an earlier cell what later code saw (hidden inputs), and past the output limit.
        return

    def output(self, outs, msg, display_id, cell_index):
        size = len(json.dumps(msg.get("content", {}), default=str))
        used = self._output_bytes.get(cell_index, 0)
        self._output_bytes[cell_index] = used + size
        if used + size <= self.max_output_bytes:
            return super().output(outs, msg, display_id, cell_index)
        if used <= self.max_output_bytes:  # the first message over the limit: say so, once
            note = f"\n[output cut: this cell printed more than {self.max_output_bytes:,} bytes]\n"
            outs.append(new_output("stream", name="stdout", text=note))
        return None

    # --- judging -----------------------------------------------------------------------------

    def _reference(self, resources) -> dict[str, list[dict]]:
        meta = resources["nbgrader"]
        coursedir = CourseDirectory(config=self.config)
        folder = Path(coursedir.format_path(coursedir.source_directory, ".", meta["assignment"]))
        return reference_records(folder / f"{meta['notebook']}.ipynb", course=Path(coursedir.root),
                                 timeout=self.timeout or 120)

    def _judge(self, reference: dict[str, list[dict]]) -> None:
        codes = [i for i, cell in enumerate(self.nb.cells) if cell.cell_type == "code"]
        sources = [self.nb.cells[i].source for i in codes]
        tampered = self._first_tampering(codes)
        hidden_seen, plain = False, 0
        for index, cell in enumerate(self.nb.cells):
            hidden_seen |= cell.cell_type == "code" and HideHiddenTests.begin.default_value in cell.source
            grade_id = test_cell_id(cell)
            if grade_id is None:
                continue
            expected = reference.get(grade_id)
            if expected == []:  # a plain assert cell: nbgrader's rule, pass = no error
                raised = _raised(cell)
                passed = not raised
                message = (f"✔ {PLAIN_NOTE}: it ran without an error" if passed
                           else f"✘ {PLAIN_NOTE}: it stopped with {raised}")
                plain += 1
            else:
                verdict = judge_cell(expected or [], self.records.get(index, []), sources=sources)
                passed, message = verdict.passed, verdict.message(terse=hidden_seen)
            if tampered and tampered[0] <= index:
                passed, message = False, ("✘ judged by the grader: not graded, because the notebook "
                                          f"changes the grader's tools before this cell — {tampered[1]}")
            elif passed and (raised := _raised(cell)):
                passed, message = False, (f"✘ judged by the grader: the cell stopped with {raised}, so "
                                          "its checks cannot be trusted")
            # Kept for feedback, which shows only the verdict from the first hidden test on.
            cell.metadata[VERDICT] = {"passed": passed, "message": message}
            if passed:
                kept = [_as_stdout(o) for o in cell.outputs
                        if o.output_type not in ("error", "execute_result")]
                cell.outputs = [*kept, verdict_output(cell.metadata[VERDICT])]
            else:
                # First, so that nbgrader's scoring sees the error before anything else.
                cell.outputs = [verdict_output(cell.metadata[VERDICT]),
                                *[o for o in cell.outputs if o.output_type != "execute_result"]]
        if plain:
            meta = self.resources.get("nbgrader", {})
            self.log.warning("%s/%s: %d test cell(s) with plain assert statements, graded the nbgrader "
                             "way (pass = no error); they are not tamper-proof, the check helpers are",
                             meta.get("student", "?"), meta.get("assignment", "?"), plain)

    def _first_tampering(self, codes: list[int]) -> tuple[int, str] | None:
        """The first of the student's own cells that could change what test cells report, and how.

        The student's own cells are those that are neither test cells nor exactly as released."""
        try:
            released = {c.source for c in released_notebook(self.config, self.resources).cells
                        if c.cell_type == "code"}
        except (OSError, ValueError, KeyError):
            released = set()
        own = [(number, i) for number, i in enumerate(codes, start=1)
               if not test_cell_id(self.nb.cells[i]) and self.nb.cells[i].source not in released]
        found = integrity_problems([self.nb.cells[i].source for _, i in own],
                                   labels=[f"code cell {number}" for number, _ in own])
        return (own[found[0][0]][1], found[0][1]) if found else None


def _raised(cell) -> str:
    """The exception a test cell stopped with (a check helper never raises while grading), or ""."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return exception_label(str(output.get("ename", "")))
    return ""


def _error(name: str, message: str):
    return new_output("error", ename=name, evalue=message, traceback=[f"{name}: {message}"])


def _as_stdout(output):
    if output.output_type == "stream" and output.name == "stderr":
        output = copy.deepcopy(output)
        output.name = "stdout"  # shown, but nbgrader no longer reads it as a failure
    return output
