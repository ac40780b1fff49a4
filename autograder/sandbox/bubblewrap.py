"""Run graded kernels in a bubblewrap sandbox: no network, no course files, bounded resources.

:class:`SandboxedKernelManager` is a jupyter_client kernel manager, so nbgrader's execution (and
therefore ``nbgrader autograde`` and ``course-grade``) uses it through the ``kernel_manager_class``
its preprocessor takes. Each kernel gets

- its own network namespace with nothing in it (so no network), talking to the grader over
  Unix sockets in a private folder — the only writable place besides a small /tmp;
- a read-only view of the system, the Python installation and the course's ``autograder``
  package, and a private copy of the submission's folder to work in — not source/, the
  gradebook, other students or the grader's home;
- its own PID namespace, a new session, and death with the grader;
- limits set before any student code runs (see :mod:`autograder.sandbox.start_kernel`): address space,
  processes, CPU seconds, file size; and, when the grader runs as root, an unprivileged user id;
- ``python -P``, so a ``numpy.py`` next to the notebook can never shadow an installed package;
- a disk quota: everything it may write (its working folder, /tmp, its sockets and reports) is
  one size-limited tmpfs (``disk_limit``), mounted when the grader is root; a kernel that fills
  it gets "No space left on device", the cell that did it fails alone, and nothing else on the
  machine loses space;
- bubblewrap's options read from a pipe (``--args``), so the sandbox's /proc/1/cmdline shows
  no list of host paths.

Its working folder is a private copy (``copy_in``): the kernel may write there like a learner's
kernel would, without touching the submission, and a kernel can be started before anyone knows
which submission it will run (see :mod:`autograder.sandbox.spare_kernel`).

Where bubblewrap cannot run (it is missing, or user namespaces are disabled, as in many
containers), no kernel starts: :class:`SandboxUnavailable` says why and how to fix it, before any
student code runs. An instructor who accepts the risk can turn the sandbox off explicitly
(``--SandboxedKernelManager.sandbox=False``, or ``course-grade --no-sandbox``); the kernel then runs
with the same limits and ``-P`` but with the grader's view of the machine.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
import json
import logging
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Integer

import autograder
from autograder.grading.reports import ReportFile
from autograder.grading.submission_files import copy_tree
from autograder.learner.modes import REPORT_ENV
from autograder.sandbox.start_kernel import LIMITS_ENV

# When the grader is root, each kernel runs as its own unprivileged user, so that two kernels never
# share a process limit: 200000, plus twice the grading process's PID (PIDs stay below 2**22),
# plus 0 or 1 in turn (a grading process may run one kernel while the next one starts, see
# autograder.sandbox.spare_kernel).
UID_BASE = 200000
STRAY_WAIT_S = 5.0  # how long to wait for killed strays to be reaped
_uid_turn = itertools.count()


@dataclass(frozen=True)
class Status:
    sandboxed: bool
    reason: str  # why not, when not
    quota: bool = False  # whether each kernel's writes can be bounded (a tmpfs of its own)
    quota_reason: str = ""


class SandboxUnavailable(RuntimeError):
    """Grading refused: the sandbox cannot run here, and it has not been turned off explicitly."""


OPT_OUT = "--SandboxedKernelManager.sandbox=False"


def refusal(state: Status) -> str:
    """What an instructor reads when grading is refused for want of a sandbox."""
    return (f"grading refused: the sandbox cannot run here ({state.reason}). Without it, student code "
            f"runs with your rights and can read your files, the gradebook and the solutions. Fix: "
            f"install bubblewrap (`make sandbox`, or `apt-get install bubblewrap`) and allow user "
            f"namespaces, or grade as root. To grade without the sandbox anyway, accepting that risk: "
            f"`course-grade --no-sandbox`, or {OPT_OUT} for nbgrader.")


@functools.cache
def status() -> Status:
    """Whether bubblewrap works here, tried once per process with the options a kernel gets."""
    quota, quota_reason = _quota_possible()
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return Status(False, "bubblewrap (bwrap) is not installed — `make sandbox` installs it on Debian",
                      quota, quota_reason)
    probe = [*bwrap_command(cwd=Path("/"), writable=[]), "/bin/true"]
    try:
        result = subprocess.run(probe, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as err:
        return Status(False, f"bubblewrap could not start: {err}", quota, quota_reason)
    if result.returncode != 0:
        return Status(False, f"bubblewrap failed: {result.stderr.strip()[:200]}", quota, quota_reason)
    return Status(True, "", quota, quota_reason)


# --- the disk quota: a tmpfs of its own for each kernel ------------------------------------------

_MS_NOSUID, _MS_NODEV, _MNT_DETACH = 2, 4, 2


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def mount_tmpfs(path: Path, size: int) -> None:
    """Mount a tmpfs of ``size`` bytes (and as many files as 4 KiB pages) on ``path``."""
    options = f"size={size},nr_inodes={max(1024, size // 4096)},mode=1777".encode()
    if _libc().mount(b"tmpfs", os.fsencode(path), b"tmpfs", _MS_NOSUID | _MS_NODEV, options) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"cannot mount a tmpfs on {path}: {os.strerror(err)}")


def unmount(path: Path) -> None:
    _libc().umount2(os.fsencode(path), _MNT_DETACH)


def _quota_possible() -> tuple[bool, str]:
    if os.geteuid() != 0:
        return False, "the grader is not root, so it cannot mount a size-limited tmpfs for each kernel"
    folder = Path(tempfile.mkdtemp(prefix="course-quota-probe-"))
    try:
        mount_tmpfs(folder, 2**20)
        unmount(folder)
        return True, ""
    except OSError as err:
        return False, str(err)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def sweep_stale_runtimes() -> int:
    """Stop the kernels, unmount and remove the folders of grading processes that died (killed
    with SIGKILL, say); return how many folders."""
    top = Path(tempfile.gettempdir())
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        marker = cmdline.find(b"/course-kernel-")
        # (a kernel started before the package had sandbox/ ran autograder.sandbox_kernel)
        if marker < 0 or not (b"autograder.sandbox.start_kernel" in cmdline
                              or b"autograder.sandbox_kernel" in cmdline):
            continue
        owner = cmdline[marker + len(b"/course-kernel-"):].split(b"-", 1)[0]
        if owner.isdigit() and not Path(f"/proc/{int(owner)}").exists():
            try:
                os.kill(int(proc.name), signal.SIGKILL)
            except OSError:
                pass
    removed = 0
    for outer in top.glob("course-kernel-*-*"):
        pid = outer.name.split("-")[2]
        if not pid.isdigit() or Path(f"/proc/{pid}").exists():
            continue
        unmount(outer / "shared")
        shutil.rmtree(outer, ignore_errors=True)
        removed += 1
    return removed


def site_dirs() -> list[str]:
    """The package folders on the grader's path outside its prefixes (a .pth file can add them,
    e.g. an image's shared site-packages): the kernel runs the same interpreter and needs them.
    Only folders named site-packages or dist-packages, never the grader's working folder."""
    return [p for p in sys.path if Path(p).name in ("site-packages", "dist-packages") and Path(p).is_dir()]


def bwrap_command(*, cwd: Path, writable: list[Path], tmp: Path | None = None) -> list[str]:
    """The bubblewrap prefix: what the sandbox sees, read-only unless listed in ``writable``;
    /tmp is ``tmp`` when given (inside the kernel's quota), else a small tmpfs of its own."""
    # As root, bubblewrap runs privileged without a user namespace, so that the kernel can then
    # become a real unprivileged user (see start_kernel); as anyone else it needs one.
    user = [] if os.geteuid() == 0 else ["--unshare-user"]
    command = [
        "bwrap", *user, "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
        "--unshare-cgroup-try", "--die-with-parent", "--new-session",
        "--proc", "/proc", "--dev", "/dev",
        *(["--bind", str(tmp), "/tmp"] if tmp else ["--perms", "1777", "--size", str(64 * 2**20),
                                                     "--tmpfs", "/tmp"]),
        "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc",
    ]
    for top in ("/bin", "/sbin", "/lib", "/lib64", "/lib32"):
        command += ["--ro-bind-try", top, top]
    package = Path(autograder.__file__).resolve().parent
    readable = [Path(p).resolve() for p in dict.fromkeys([sys.base_prefix, sys.prefix, package,
                                                          *site_dirs()])]
    # bubblewrap makes the folders leading to a mount 0700; the kernel's user must pass through.
    parents = sorted({a for p in [*readable, *writable] for a in Path(p).parents} - {Path("/"), Path("/tmp")},
                     key=lambda a: len(a.parts))
    for folder in parents:
        command += ["--perms", "0755", "--dir", str(folder)]
    for path in readable:
        command += ["--ro-bind", str(path), str(path)]
    command += package_view(package)
    for path in writable:
        command += ["--bind", str(path), str(path)]
    return [*command, "--chdir", str(cwd)]


# What a graded kernel sees of the course package: the learner side, which its notebook imports,
# and the module that starts it. Not the grading engine nor the development tools (their scenarios
# hold worked answers to every exercise), wherever the package is bound from (a checkout, or a
# site-packages folder bound whole).
KERNEL_SIDE = ("__init__.py", "checks.py", "explorer.py", "learner", "sandbox/__init__.py",
               "sandbox/start_kernel.py")


def package_view(package: Path) -> list[str]:
    """bubblewrap arguments that hide the package behind an empty tmpfs but for ``KERNEL_SIDE``."""
    view = ["--perms", "0755", "--tmpfs", str(package)]
    for folder in sorted({(package / name).parent for name in KERNEL_SIDE} - {package}):
        view += ["--perms", "0755", "--dir", str(folder)]
    for name in KERNEL_SIDE:
        view += ["--ro-bind", str(package / name), str(package / name)]
    return [*view, "--remount-ro", str(package)]


def private_dir(prefix: str) -> Path:
    """A folder a sandboxed kernel may write to, inside one only the grader can enter."""
    outer = Path(tempfile.mkdtemp(prefix=prefix))  # 0700: other local users cannot reach in
    inner = outer / "shared"
    inner.mkdir()
    # The kernel may run as another user; sticky, so it cannot replace the grader's files there.
    inner.chmod(0o1777)
    return inner


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager that starts every kernel through :mod:`autograder.sandbox.start_kernel`, in
    bubblewrap."""

    sandbox = Bool(True, help=(
        "Run kernels in bubblewrap; where it cannot run, refuse to start them (SandboxUnavailable). "
        "False runs them without it: student code then has the grader's rights (an explicit opt-out, "
        "for an instructor who accepts that risk).")).tag(config=True)
    disk_limit = Integer(256 * 2**20, help=(
        "Bytes the kernel may write in all (working folder, /tmp, reports), as a tmpfs of its own. "
        "Needs the grader to be root; elsewhere only file_size_limit applies.")).tag(config=True)
    memory_limit = Integer(4 * 2**30, help="Address space of the kernel process, in bytes.").tag(config=True)
    process_limit = Integer(128, help="Processes and threads the kernel's user may have.").tag(config=True)
    cpu_limit = Integer(600, help="CPU seconds for the whole kernel, a backstop to the cell timeout.").tag(
        config=True)
    file_size_limit = Integer(16 * 2**20, help="Largest file the kernel may write, in bytes.").tag(
        config=True)

    report_checks = Bool(False, help="Give the kernel a file for the check helpers' records (report).").tag(
        config=True)

    _runtime: Path | None = None
    _source: Path | None = None  # the folder the working folder is a copy of
    _uid: int | None = None
    _quota: bool = False  # whether the runtime folder is a tmpfs of disk_limit bytes
    _bwrap_options: list[str] = []  # what bubblewrap reads from its --args pipe
    report: ReportFile | None = None  # what the check helpers report, with report_checks

    @property
    def sandboxed(self) -> bool:
        return self.sandbox and status().sandboxed

    @property
    def work_dir(self) -> Path | None:
        """The kernel's working folder: private, writable, a copy of the folder it works on."""
        return None if self._runtime is None else self._runtime / "work"

    def copy_in(self, folder: Path) -> None:
        """Make the working folder a copy of ``folder``, also for the kernel's restarts."""
        assert self.work_dir is not None, "the kernel has not been started"
        self._source = Path(folder)
        _copy_tree(self._source, self.work_dir)

    async def _async_start_kernel(self, **kw):
        first = self._runtime is None
        try:
            await super()._async_start_kernel(**kw)
        except BaseException:
            if first:  # nothing of a kernel that never started may stay behind
                self._remove_runtime()
            raise

    start_kernel = _async_start_kernel

    async def _async_pre_start_kernel(self, **kw):
        if self._runtime is None:
            if self.sandbox and not status().sandboxed:
                raise SandboxUnavailable(refusal(status()))  # before any student code runs
            self._prepare_runtime()
            if kw.get("cwd"):
                self.copy_in(Path(kw["cwd"]))
        else:
            # A restart, after a cell killed the kernel: the cells before it are run again, and
            # must find the files as they were given, not as the killed kernel left them.
            self._clear_kernel_files()
            if self._source is not None:
                _copy_tree(self._source, self.work_dir)
        kw["cwd"] = str(self.work_dir)
        if self.sandboxed:
            # The kernel has no network, so it talks over Unix sockets in its writable folder.
            self.transport, self.ip = "ipc", str(self._runtime / "kernel")
        self.connection_file = str(self._runtime / "connection.json")
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        os.chmod(self.connection_file, 0o644)  # readable by the kernel's own user
        kw["env"] = self._kernel_env()
        # The kernel spec's own command is replaced, its extra arguments kept; no history file.
        extra = cmd[cmd.index("-f") + 2:] if "-f" in cmd else []
        cmd = [sys.executable, "-P", "-m", "autograder.sandbox.start_kernel", "-f", self.connection_file,
               "--HistoryManager.enabled=False", *extra]
        if self.sandboxed:
            options = bwrap_command(cwd=self.work_dir, writable=[self._runtime], tmp=self._runtime / "tmp")
            cmd = [options[0], "--args", "{args_fd}", *cmd]
            self._bwrap_options = options[1:]
        return cmd, kw

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        """Start the kernel; bubblewrap reads its options from a pipe, so that they never show in
        the sandbox's /proc/1/cmdline (bubblewrap's own process there) with the host's paths."""
        # What the kernel writes to its own stdout and stderr (os.write(2, ...) bypasses IPython's
        # capture) would land in the grader's terminal or log, unbounded: it goes nowhere.
        kw["stdout"] = kw["stderr"] = subprocess.DEVNULL
        if "{args_fd}" not in kernel_cmd:
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        reading, writing = os.pipe()
        try:
            with open(writing, "wb") as stream:  # a few kB: the pipe holds it all
                stream.write(b"".join(option.encode() + b"\0" for option in self._bwrap_options))
            cmd = [str(reading) if part == "{args_fd}" else part for part in kernel_cmd]
            await super()._async_launch_kernel(cmd, **kw, pass_fds=(reading,))
        finally:
            os.close(reading)

    def _prepare_runtime(self) -> None:
        """The kernel's private folder, filled before it ever runs (restarts change nothing here,
        as the grader, running as root, must not write where the kernel may have planted links)."""
        self._runtime = private_dir(f"course-kernel-{os.getpid()}-")
        if status().quota and self.disk_limit:
            mount_tmpfs(self._runtime, self.disk_limit)  # everything the kernel writes, bounded
            self._quota = True
        self._runtime.chmod(0o1777)
        self._make_kernel_dirs()
        mpl = self._runtime / "matplotlib"
        mpl.mkdir()
        _copy_font_cache(mpl)
        mpl.chmod(0o777)
        if self.report_checks:
            self.report = ReportFile(self._runtime / "checks.jsonl")

    GRADER_FILES = ("connection.json", "checks.jsonl", "matplotlib")

    def _clear_kernel_files(self) -> None:
        """Remove what a killed kernel wrote, keep the grader's files (and matplotlib's font list)."""
        kept = [e for e in self._runtime.iterdir() if e.name not in self.GRADER_FILES]
        kept += [e for e in (self._runtime / "matplotlib").iterdir() if not e.name.startswith("fontlist-")]
        for entry in kept:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)  # rmtree never follows links
            else:
                entry.unlink(missing_ok=True)
        self._make_kernel_dirs()

    def disk_full(self) -> bool:
        """Whether the kernel used up its disk quota (less than 1 MiB left)."""
        if not self._quota or self._runtime is None:
            return False
        try:
            info = os.statvfs(self._runtime)
        except OSError:
            return False
        return info.f_bavail * info.f_frsize < 2**20 or info.f_favail < 16

    def _make_kernel_dirs(self) -> None:
        """The kernel's working folder and its /tmp, empty, writable by the kernel's own user."""
        self.work_dir.mkdir()
        self.work_dir.chmod(0o777)
        (self._runtime / "tmp").mkdir()
        (self._runtime / "tmp").chmod(0o1777)

    def _remove_runtime(self) -> None:
        if self._runtime is not None:
            if self._quota:
                unmount(self._runtime)
            shutil.rmtree(self._runtime.parent, ignore_errors=True)
        self._runtime = self._source = self.report = None
        self._quota = False

    def _kernel_env(self) -> dict[str, str]:
        runtime = self._runtime
        mpl = runtime / "matplotlib"
        env = {
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"]),
            "HOME": str(runtime), "MPLCONFIGDIR": str(mpl), "IPYTHONDIR": str(runtime / "ipython"),
            "TMPDIR": "/tmp" if self.sandboxed else str(runtime / "tmp"), "LANG": "C.UTF-8",
            "PYTHONNOUSERSITE": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            # One thread each: fair to the other workers, and fewer tasks under the process limit.
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            LIMITS_ENV: json.dumps({
                "memory": self.memory_limit, "processes": self.process_limit, "cpu": self.cpu_limit,
                "file_size": self.file_size_limit,
                "uid": self.kernel_uid, "own_pid_namespace": self.sandboxed,
            }),
        }
        if self.report is not None:
            env[REPORT_ENV] = str(self.report.path)
        # The kernel imports the check helpers of the very package that judges them (the one bound
        # into the sandbox): nbgrader puts the course folder first on the grader's path, so a course
        # folder holding a copy of the course's code grades with that copy, not the installed one.
        checkout = Path(autograder.__file__).resolve().parent.parent
        if checkout.name not in ("site-packages", "dist-packages"):
            env["PYTHONPATH"] = str(checkout)
        return env

    @property
    def kernel_uid(self) -> int | None:
        if not (self.sandboxed and os.geteuid() == 0):
            return None
        if self._uid is None:  # chosen once: a restarted kernel keeps its user
            self._uid = UID_BASE + 2 * os.getpid() + next(_uid_turn) % 2
        return self._uid

    def reap_strays(self) -> int:
        """Kill what the kernel left running (forked children, say); return how many."""
        uid = self.kernel_uid
        process = getattr(self.provisioner, "process", None)
        if uid is None or process is None:
            return 0
        # Only the kernel's own process tree is read: this runs after every graded cell.
        owners = {}
        for pid in [process.pid, *_descendants(process.pid)]:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
                owners[pid] = (int(fields["Uid"].split()[0]), int(fields["PPid"]))
            except (OSError, ValueError, KeyError):
                continue
        strays = [pid for pid, (owner, parent) in owners.items()
                  if owner == uid and owners.get(parent, (None,))[0] == uid]
        killed = len(strays)
        for pid in strays:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        # Until they are reaped, killed processes still count against the kernel user's process
        # limit: a kernel restarted at once could not start its threads (seen on a slow machine).
        deadline = time.monotonic() + STRAY_WAIT_S
        while strays and time.monotonic() < deadline:
            strays = [pid for pid in strays if os.path.exists(f"/proc/{pid}")]
            if strays:
                time.sleep(0.01)
        return killed

    async def _async_wait(self, pollinterval: float = 0.1) -> None:
        # A killed kernel is gone within milliseconds, but jupyter_client looks again only every
        # 0.1 s: a tenth of a second of idle worker for every graded notebook.
        await super()._async_wait(pollinterval=min(pollinterval, 0.005))

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            self._remove_runtime()

    # AsyncKernelManager points its public name at the base class's coroutine; point it at ours,
    # or a kernel that died before its shutdown leaves its folder behind.
    cleanup_resources = _async_cleanup_resources


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid``, from Linux's /proc/PID/task/TID/children lists."""
    found, todo = [], [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*"):
            try:
                children = [int(child) for child in (task / "children").read_text().split()]
            except (OSError, ValueError):
                continue
            found += children
            todo += children
    return found


def _copy_tree(source: Path, target: Path) -> None:
    """Copy ``source`` into ``target`` for a kernel that may run as another user: the copies are
    its to read and change (executable ones stay executable). Only regular files and folders are
    copied, never through a link (see autograder.grading.submission_files): a link could point at
    anything the grader may read, and reading a pipe would wait forever."""
    refused = copy_tree(source, target)
    if refused:
        logging.getLogger(__name__).warning("Left out of the kernel's copy of %s: %s", source,
                                            "; ".join(map(str, refused)))
    target.chmod(0o777)  # copytree gave it the mode of ``source``
    for root, dirs, files in os.walk(target):
        for name in [*dirs, *files]:
            path = os.path.join(root, name)
            if name.endswith(".ipynb") and stat.S_ISREG(os.lstat(path).st_mode):
                # The notebook being graded is the sanitized one, hidden tests and their expected
                # values included: the kernel is sent its cells and must never read the file.
                os.unlink(path)
                continue
            mode = os.lstat(path).st_mode
            if stat.S_ISDIR(mode) or (stat.S_ISREG(mode) and mode & 0o111):
                os.chmod(path, 0o777)
            elif stat.S_ISREG(mode):
                os.chmod(path, 0o666)


def _copy_font_cache(folder: Path) -> None:
    """Give the kernel matplotlib's font list, or it rebuilds it (seconds) on every start."""
    try:
        import matplotlib

        for cached in Path(matplotlib.get_cachedir()).glob("fontlist-*.json"):
            shutil.copy(cached, folder / cached.name)
    except Exception as err:  # noqa: BLE001 - only a slower start
        logging.getLogger(__name__).debug("no matplotlib font cache to copy: %s", err)
