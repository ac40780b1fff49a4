"""The real JupyterHub of deploy/jupyterhub, with a class of its own, on free loopback ports."""

from __future__ import annotations

import importlib.util
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.devtools.course import REPO
from tests.browser.conftest import CHROMIUM, free_port

HUB_DIR = REPO / "deploy" / "jupyterhub"
HUB_VENV = Path(os.environ.get("HUB_VENV", "/opt/d2l-math-hub/venv"))
PROXY = HUB_DIR / "node_modules" / ".bin" / "configurable-http-proxy"


def load_hubctl():
    spec = importlib.util.spec_from_file_location("hubctl", HUB_DIR / "hubctl.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["hubctl"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def missing() -> str | None:
    """Why the hub cannot run here, or None."""
    if os.geteuid() != 0:
        return "the hub test creates system users: run it as root"
    if not (HUB_VENV / ".installed").exists():
        return f"{HUB_VENV} is missing: `make hub-deps` installs it"
    if not PROXY.exists():
        return "configurable-http-proxy is missing: `make hub-deps` installs it"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: `make browser` installs it"
    if not shutil.which("bwrap"):
        return "bubblewrap is missing: `make sandbox` installs it"
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        return "PostgreSQL is missing: `make postgres` installs it"
    return None


@dataclass
class Hub:
    url: str
    state: Path
    klass: object  # hubctl.Klass
    passwords: dict[str, str]
    hubctl: object
    log: Path

    @property
    def exchange(self) -> Path:
        return self.state / "exchange" / self.klass.course


@pytest.fixture(scope="module")
def hub():
    """JupyterHub started by `hubctl.py run` for a class of three made for this test only.

    The users, their homes, the hub's state, PostgreSQL and every process of those users are
    removed afterwards, whatever happened.
    """
    if reason := missing():
        if os.environ.get("CI"):
            raise pytest.UsageError(reason)
        pytest.skip(reason)
    hubctl = load_hubctl()
    tag = secrets.token_hex(2)
    # /tmp, not pytest's 0700 tmp_path: postgres and the grader account must traverse the state folder
    state = Path(tempfile.mkdtemp(prefix=f"course-hub-{tag}-", dir="/tmp"))
    klass_file = state / "class.toml"
    klass_file.write_text(f'course = "d2l-math"\ngrader = "hub{tag}-grader"\n'
                          f'instructors = ["hub{tag}-teach"]\n'
                          f'students = ["hub{tag}-ada", "hub{tag}-bob"]\n')
    klass = hubctl.Klass.load(klass_file)
    log = state / "hub.log"
    process = None
    try:
        passwords = hubctl.setup(klass, state, venv=HUB_VENV)
        port = free_port()
        ports = {"api": free_port(), "proxy_api": free_port(), "service": free_port()}
        with log.open("w") as out:
            process = subprocess.Popen(
                [str(HUB_VENV / "bin" / "python"), str(HUB_DIR / "hubctl.py"), "run",
                 "--class", str(klass_file),
                 "--state", str(state), "--port", str(port), "--venv", str(HUB_VENV)],
                env=hubctl.hub_environment(klass_file, state, port=port, ports=ports),
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        wait_for(f"{url}/services/{klass.course}/api/status", process, log, accept=(200, 302, 403))
        yield Hub(url, state, klass, passwords, hubctl, log)
    finally:
        if process is not None:
            stop(process)
        hubctl.teardown(klass, state, remove_state=False)
        keep = os.environ.get("COURSE_HUB_KEEP_LOG")
        if keep:
            shutil.copyfile(log, keep)
        shutil.rmtree(state, ignore_errors=True)


def wait_for(url: str, process, log: Path, *, accept: tuple[int, ...], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status in accept:
                    return
        except urllib.error.HTTPError as err:
            if err.code in accept:
                return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"JupyterHub did not start:\n{log.read_text()[-4000:]}")
        time.sleep(0.25)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to hubctl (JupyterHub stops the servers, the proxy and PostgreSQL), then SIGKILL its group."""
    with_group = os.getpgid(process.pid)
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(with_group, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)
