"""Graded kernels: sandboxed where bubblewrap works, limited and -P everywhere."""

import os

import nbformat
import pytest
from jupyter_core.utils import run_sync
from nbclient import NotebookClient

from autograder.sandbox import bubblewrap
from autograder.sandbox.bubblewrap import SandboxedKernelManager, status

PROBE = """
import os, sys, resource
print('uid', os.getuid())
print('path has cwd', '' in sys.path or os.getcwd() in sys.path)
print('memory limit', resource.getrlimit(resource.RLIMIT_AS)[0])
print('sees', open('given.txt').read())
open('written-here', 'w').close()
print('wrote', os.listdir('.'))
"""


def run_probe(folder, **manager_config) -> str:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PROBE)])
    client = NotebookClient(nb, timeout=60, kernel_manager_class=SandboxedKernelManager,
                            resources={"metadata": {"path": str(folder)}})
    client.km = client.create_kernel_manager()
    for name, value in manager_config.items():
        setattr(client.km, name, value)
    client.execute()
    return "".join(o.get("text", "") for o in nb.cells[0].outputs)


@pytest.mark.slow
@pytest.mark.sandbox
@pytest.mark.skipif(not status().sandboxed, reason=f"no sandbox here: {status().reason}")
def test_a_sandboxed_kernel_is_limited_and_works_on_a_private_copy_of_its_folder(tmp_path):
    (tmp_path / "given.txt").write_text("the submission's file")
    out = run_probe(tmp_path)
    assert "path has cwd False" in out
    assert f"memory limit {4 * 2**30}" in out
    assert "sees the submission's file" in out and "written-here" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["given.txt"]  # the real folder is untouched


@pytest.mark.slow
@pytest.mark.sandbox
@pytest.mark.skipif(not status().sandboxed, reason=f"no sandbox here: {status().reason}")
def test_a_sandboxed_kernel_sees_only_the_learner_side_of_the_course_package(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import os, autograder\n"
        "from autograder.learner.checks import check_function\n"
        "from autograder.checks import check_function as old_name\n"
        "root = os.path.dirname(autograder.__file__)\n"
        "def listing(folder):\n"
        "    return sorted(n for n in os.listdir(folder) if n != '__pycache__')\n"
        "print('top', listing(root))\n"
        "print('sandbox', listing(os.path.join(root, 'sandbox')))\n"
        "print('same', old_name is check_function)\n"
        "try:\n"
        "    open(os.path.join(root, 'planted.py'), 'w')\n"
        "except OSError as err:\n"
        "    print('write refused', type(err).__name__)\n"
        "for name in ('autograder.grading.judge', 'autograder.devtools.scenarios.a2_calculus'):\n"
        "    try:\n"
        "        __import__(name)\n"
        "    except ImportError:\n"
        "        print('no', name)\n")])
    NotebookClient(nb, timeout=60, kernel_manager_class=SandboxedKernelManager,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    out = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    assert "top ['__init__.py', 'checks.py', 'explorer.py', 'learner', 'sandbox']" in out, out
    assert "sandbox ['__init__.py', 'start_kernel.py']" in out and "same True" in out, out
    assert "write refused" in out, out
    assert "no autograder.grading.judge" in out and "no autograder.devtools.scenarios.a2_calculus" in out, out


@pytest.mark.slow
def test_without_the_sandbox_the_kernel_still_gets_limits_a_clean_path_and_a_private_copy(tmp_path):
    (tmp_path / "given.txt").write_text("the submission's file")
    out = run_probe(tmp_path, sandbox=False)
    assert "path has cwd False" in out and f"memory limit {4 * 2**30}" in out
    assert "sees the submission's file" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["given.txt"]


def test_a_missing_bubblewrap_is_reported_with_how_to_install_it(monkeypatch):
    bubblewrap.status.cache_clear()
    monkeypatch.setattr(bubblewrap.shutil, "which", lambda name: None)
    try:
        state = bubblewrap.status()
        assert not state.sandboxed and "make sandbox" in state.reason
    finally:
        bubblewrap.status.cache_clear()


@pytest.mark.slow
def test_a_restarted_kernel_finds_its_files_as_they_were_and_a_stopped_one_leaves_no_folder(tmp_path):
    (tmp_path / "given.txt").write_text("the submission's file")
    (tmp_path / "run.sh").write_text("#!/bin/sh\n")
    (tmp_path / "run.sh").chmod(0o755)
    os.mkfifo(tmp_path / "pipe")  # never copied: reading it would wait forever
    km = SandboxedKernelManager(kernel_name="python3", report_checks=True)
    run_sync(km.start_kernel)(cwd=str(tmp_path))
    work, runtime = km.work_dir, km.work_dir.parent.parent
    assert sorted(p.name for p in work.iterdir()) == ["given.txt", "run.sh"]
    assert os.access(work / "run.sh", os.X_OK)
    (work / "given.txt").unlink()  # as a cell might, before a later cell kills the kernel
    (work / "junk.txt").write_text("written by the killed kernel")
    run_sync(km.restart_kernel)(now=True)
    assert sorted(p.name for p in work.iterdir()) == ["given.txt", "run.sh"]
    run_sync(km.shutdown_kernel)(now=True)
    assert not runtime.exists()


@pytest.mark.slow
def test_a_kernel_that_died_on_its_own_leaves_no_folder(tmp_path):
    km = SandboxedKernelManager(kernel_name="python3")
    run_sync(km.start_kernel)(cwd=str(tmp_path))
    runtime = km.work_dir.parent.parent
    km.provisioner.process.kill()
    km.provisioner.process.wait()
    run_sync(km.cleanup_resources)()  # what nbclient calls when the kernel is already dead
    assert not runtime.exists()


QUOTA_PROBE = """
import os
written = 0
try:
    for i in range(64):
        with open(f'chunk{i}', 'wb') as f:
            f.write(b'x' * 8_000_000)
        written += 8
except OSError as err:
    print('stopped after', written, 'MB:', err.strerror)
print('cmdline', open('/proc/1/cmdline', 'rb').read().replace(bytes(1), b' ').decode())
"""


@pytest.mark.slow
@pytest.mark.sandbox
@pytest.mark.skipif(not (status().sandboxed and status().quota), reason="no sandbox or no quota here")
def test_a_kernel_cannot_write_more_than_its_disk_quota_and_its_proc_shows_no_host_paths(tmp_path):
    """Regression: a kernel wrote 2 GB into its working folder and the host's /tmp lost as much;
    /proc/1/cmdline showed bubblewrap's whole command line."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(QUOTA_PROBE)])
    client = NotebookClient(nb, timeout=60, kernel_manager_class=SandboxedKernelManager,
                            resources={"metadata": {"path": str(tmp_path)}})
    client.km = client.create_kernel_manager()
    client.km.disk_limit = 64 * 2**20
    free_before = os.statvfs(tmp_path).f_bavail
    client.execute()
    out = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    written = int(out.split("stopped after ", 1)[1].split(" MB")[0])
    assert 48 <= written <= 64 and "No space left on device" in out
    cmdline = out.split("cmdline ", 1)[1]
    assert cmdline.startswith("bwrap --args ") and "--ro-bind" not in cmdline and "/usr" not in cmdline
    assert abs(os.statvfs(tmp_path).f_bavail - free_before) * os.statvfs(tmp_path).f_frsize < 16 * 2**20


def test_grading_is_refused_before_any_kernel_starts_where_the_sandbox_cannot_run(monkeypatch, tmp_path):
    monkeypatch.setattr(bubblewrap, "status",
                        lambda: bubblewrap.Status(False, "bubblewrap failed: no namespaces"))
    km = SandboxedKernelManager(kernel_name="python3")
    with pytest.raises(bubblewrap.SandboxUnavailable, match="no namespaces.*--no-sandbox"):
        run_sync(km.start_kernel)(cwd=str(tmp_path))
    assert km.work_dir is None  # nothing was prepared, nothing ran
