"""Set up, run and remove the course's JupyterHub (`make hub`): users, course folder, exchange, gradebook.

    hubctl.py setup    [--class class.toml] [--state /srv/d2l-math-hub]   # as root; prints the logins
    hubctl.py run      [--class class.toml] [--state ...] [--port 8000]   # PostgreSQL, JupyterHub: Ctrl-C
    hubctl.py teardown [--class class.toml] [--state ...]                 # stop, delete the users it made

Only the standard library: it runs with the hub's Python (`make hub-deps`) as root. The tests import
it (tests/hub/) to make and remove a class of their own.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DEFAULT_STATE = Path("/srv/d2l-math-hub")
DEFAULT_VENV = Path(os.environ.get("HUB_VENV", "/opt/d2l-math-hub/venv"))
PROFILES = ("student", "instructor", "grader", "common")  # Jupyter config folders beside this file
PG_USER = "postgres"  # Debian's postgresql package makes this account; the cluster runs as it


@dataclass(frozen=True)
class Klass:
    """A class on the hub: its course id, the grader account, instructors and students."""

    course: str
    grader: str
    instructors: tuple[str, ...]
    students: tuple[str, ...]

    @classmethod
    def load(cls, path: Path) -> Klass:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        return cls(data["course"], data["grader"], tuple(data["instructors"]), tuple(data["students"]))

    @property
    def people(self) -> tuple[str, ...]:
        return self.instructors + self.students

    @property
    def course_root(self) -> Path:
        return Path("/home") / self.grader / self.course

    @property
    def database(self) -> str:
        return re.sub(r"\W", "_", self.course) + "_gradebook"


def gradebook_url(klass: Klass, state: Path) -> str:
    """The gradebook: PostgreSQL on a unix socket, peer authentication, only the grader's role."""
    return f"postgresql+psycopg://{klass.grader}@/{klass.database}?host={state / 'pgsock'}"


def _run(*command: str, user: str | None = None, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    argv = (["runuser", "-u", user, "--"] if user else []) + list(command)
    if "input" not in kwargs:
        kwargs["stdin"] = subprocess.DEVNULL
    return subprocess.run(argv, check=check, capture_output=True, text=True, **kwargs)


def exists(user: str) -> bool:
    try:
        pwd.getpwnam(user)
        return True
    except KeyError:
        return False


def make_user(name: str, password: str | None) -> bool:
    """Create system user ``name`` (home 0700, bash) unless it exists; set its password. True if created."""
    created = not exists(name)
    if created:
        _run("useradd", "--create-home", "--shell", "/bin/bash", "--user-group", name)
    os.chmod(Path("/home") / name, 0o700)  # no student reads another's home, whatever HOME_MODE says
    if password is not None:
        _run("chpasswd", input=f"{name}:{password}\n")
    return created


def postgres_bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: [int(n) for n in re.findall(r"\d+", p)])
    if not found:
        raise SystemExit("PostgreSQL's server is missing: `make postgres` installs it")
    return Path(found[-1]).parent


def setup(klass: Klass, state: Path, *, venv: Path = DEFAULT_VENV, passwords: dict[str, str] | None = None,
          ) -> dict[str, str]:
    """Make everything the hub needs; return each person's password (new ones unless given)."""
    if os.geteuid() != 0:
        raise SystemExit("hubctl setup must run as root: it creates system users")
    if not (venv / "bin" / "jupyterhub").exists():
        raise SystemExit(f"{venv} has no JupyterHub: run `make hub-deps`")
    state.mkdir(parents=True, exist_ok=True)
    os.chmod(state, 0o755)
    (state / "hub").mkdir(exist_ok=True)
    os.chmod(state / "hub", 0o700)  # the hub's database, cookie secret and the logins: root only
    passwords = dict(passwords or {})
    for person in (*klass.people, klass.grader):
        if person != klass.grader:
            passwords.setdefault(person, secrets.token_urlsafe(9))
        if not exists(person):  # noted before it is made, so that teardown removes it even after a failure
            _write_json(state / "hub" / "created-users.json", sorted({*_created(state), person}))
        make_user(person, passwords.get(person))
    _run("passwd", "--lock", klass.grader)  # nobody logs in as the grader; formgrader runs as it
    _write_json(state / "hub" / "logins.json", {p: passwords[p] for p in klass.people})
    # nbgrader's exchange: everyone writes (nbgrader checks for 0777); the sticky bit keeps a student
    # from renaming or deleting the course's folder in it, which the grader account owns.
    exchange = state / "exchange"
    exchange.mkdir(exist_ok=True)
    os.chmod(exchange, 0o1777)
    # The servers' settings, where every user can read them (this checkout may be in root's home).
    for role in PROFILES:
        shutil.rmtree(state / "profiles" / role, ignore_errors=True)
        shutil.copytree(HERE / role, state / "profiles" / role)
    for path in [state / "profiles", *(state / "profiles").rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    _setup_postgres(klass, state)
    _setup_course(klass, state, venv)
    return passwords


def _created(state: Path) -> list[str]:
    with suppress(OSError, ValueError):
        return json.loads((state / "hub" / "created-users.json").read_text())
    return []


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=1))
    os.chmod(path, 0o600)


def _setup_course(klass: Klass, state: Path, venv: Path) -> None:
    """The course folder in the grader's home: the repo's source/ and an nbgrader_config.py for the hub."""
    root = klass.course_root
    root.mkdir(parents=True, exist_ok=True)
    if not (root / "source").exists():
        shutil.copytree(REPO / "source", root / "source",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    course_config = _run(str(venv / "bin" / "python"), "-c",
                         "import pathlib, autograder; "
                         "print(pathlib.Path(autograder.__file__).with_name('nbgrader_config.py'))").stdout.strip()
    (root / "nbgrader_config.py").write_text(
        '"""Written by deploy/jupyterhub/hubctl.py setup: the course on the hub (run nbgrader here)."""\n\n'
        f"load_subconfig({course_config!r})  # noqa: F821 (the course's settings, installed)\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.root = {str(root)!r}\n"
        f"c.CourseDirectory.course_id = {klass.course!r}\n"
        'c.CourseDirectory.release_directory = "release"\n'
        f"c.CourseDirectory.db_url = {gradebook_url(klass, state)!r}\n"
        f"c.Exchange.root = {str(state / 'exchange')!r}\n"
        "c.Exchange.path_includes_course = True\n"
        'c.Authenticator.plugin_class = "nbgrader.auth.JupyterHubAuthPlugin"\n',
        encoding="utf-8")
    user = pwd.getpwnam(klass.grader)
    for path in [root, *root.rglob("*")]:
        os.chown(path, user.pw_uid, user.pw_gid, follow_symlinks=False)


def _setup_postgres(klass: Klass, state: Path) -> None:
    """A cluster of the hub's own: unix socket only, peer authentication, a database the grader owns."""
    bindir, data, sock = postgres_bindir(), state / "postgres", state / "pgsock"
    pg = pwd.getpwnam(PG_USER)
    for folder, mode in ((data, 0o700), (sock, 0o755)):
        folder.mkdir(exist_ok=True)
        os.chown(folder, pg.pw_uid, pg.pw_gid)
        os.chmod(folder, mode)
    if not (data / "PG_VERSION").exists():
        _run(str(bindir / "initdb"), "--pgdata", str(data), "--username", PG_USER, "--auth-local", "peer",
             "--auth-host", "reject", "--encoding", "UTF8", "--locale", "C", user=PG_USER, cwd=state)
        with open(data / "postgresql.conf", "a") as conf:
            conf.write(f"\nlisten_addresses = ''\nunix_socket_directories = '{sock}'\n")
    start_postgres(state)
    try:
        psql = [str(bindir / "psql"), "--host", str(sock), "--username", PG_USER, "--dbname", "postgres",
                "--tuples-only", "--no-align", "--command"]
        if not _run(*psql, f"SELECT 1 FROM pg_roles WHERE rolname = '{klass.grader}'", user=PG_USER,
                    cwd=state).stdout.strip():
            _run(*psql, f'CREATE ROLE "{klass.grader}" LOGIN', user=PG_USER, cwd=state)
        if not _run(*psql, f"SELECT 1 FROM pg_database WHERE datname = '{klass.database}'", user=PG_USER,
                    cwd=state).stdout.strip():
            _run(*psql, f'CREATE DATABASE "{klass.database}" OWNER "{klass.grader}"', user=PG_USER, cwd=state)
    finally:
        stop_postgres(state)


def start_postgres(state: Path) -> None:
    if (state / "postgres" / "postmaster.pid").exists():
        return
    _run(str(postgres_bindir() / "pg_ctl"), "start", "--pgdata", str(state / "postgres"), "--wait",
         "--log", str(state / "postgres" / "server.log"), user=PG_USER, cwd=state)


def stop_postgres(state: Path) -> None:
    if (state / "postgres" / "postmaster.pid").exists():
        _run(str(postgres_bindir() / "pg_ctl"), "stop", "--pgdata", str(state / "postgres"), "--wait",
             "--mode", "fast", user=PG_USER, cwd=state, check=False)


def hub_environment(klass_file: Path, state: Path, *, port: int, ip: str = "127.0.0.1",
                    ports: dict[str, int] | None = None) -> dict[str, str]:
    """The environment jupyterhub_config.py reads."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("JUPYTER", "PG"))}
    env.update(COURSE_HUB_CLASS=str(klass_file), COURSE_HUB_STATE=str(state), COURSE_HUB_PORT=str(port),
               COURSE_HUB_IP=ip)
    for name, value in (ports or {}).items():
        env[f"COURSE_HUB_{name.upper()}_PORT"] = str(value)
    return env


def run(klass_file: Path, state: Path, *, port: int, ip: str = "127.0.0.1", venv: Path = DEFAULT_VENV,
        ports: dict[str, int] | None = None) -> int:
    """PostgreSQL, then JupyterHub in the foreground; both stop when JupyterHub does or on SIGTERM/SIGINT."""
    start_postgres(state)
    hub = subprocess.Popen([str(venv / "bin" / "jupyterhub"), "-f", str(HERE / "jupyterhub_config.py")],
                           cwd=state / "hub",
                           env=hub_environment(klass_file, state, port=port, ip=ip, ports=ports))

    def forward(signum, _frame):
        hub.send_signal(signal.SIGTERM if signum == signal.SIGTERM else signal.SIGINT)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    try:
        return hub.wait()
    finally:
        with suppress(subprocess.TimeoutExpired):
            hub.wait(timeout=30)
        if hub.poll() is None:
            hub.kill()
        stop_postgres(state)


def kill_processes_of(users: list[str]) -> None:
    """SIGKILL every process still owned by one of ``users`` (by pid, read from /proc)."""
    uids = {pwd.getpwnam(u).pw_uid for u in users if exists(u)}
    for _ in range(10):
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with suppress(OSError):
                    if entry.stat().st_uid in uids:
                        pids.append(int(entry.name))
        if not pids:
            return
        for pid in pids:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.2)


def teardown(klass: Klass, state: Path, *, remove_state: bool = True) -> None:
    """Stop PostgreSQL, delete the users setup created (their homes too), and the state folder."""
    created = _created(state)
    stop_postgres(state)
    # The proxy runs in a session of its own: if JupyterHub could not stop it, its pid file names it.
    with suppress(OSError, ValueError, ProcessLookupError):
        pid = int((state / "hub" / "proxy.pid").read_text().strip())
        if b"configurable-http-proxy" in Path(f"/proc/{pid}/cmdline").read_bytes():
            os.kill(pid, signal.SIGKILL)
    kill_processes_of(created)
    for user in created:
        if exists(user):
            _run("userdel", "--remove", user, check=False)
    if remove_state:
        shutil.rmtree(state, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hubctl.py", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["setup", "run", "teardown", "demo"])
    parser.add_argument("--class", dest="klass", type=Path, default=HERE / "class.toml")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    parser.add_argument("--venv", type=Path, default=DEFAULT_VENV)
    parser.add_argument("--ip", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    klass = Klass.load(args.klass)
    if args.command in ("setup", "demo"):
        known = {}
        with suppress(OSError, ValueError):
            known = json.loads((args.state / "hub" / "logins.json").read_text())
        passwords = setup(klass, args.state, venv=args.venv, passwords=known)
        print(f"JupyterHub for course {klass.course}: http://{args.ip}:{args.port}/")
        for person in klass.people:
            role = "instructor" if person in klass.instructors else "student"
            print(f"  {role:10}  login {person:14} password {passwords[person]}")
        print(f"  formgrader: http://{args.ip}:{args.port}/services/{klass.course}/formgrader "
              f"(instructors; runs as {klass.grader} in {klass.course_root})")
        if args.command == "setup":
            return 0
    if args.command in ("run", "demo"):
        return run(args.klass.resolve(), args.state, port=args.port, ip=args.ip, venv=args.venv)
    teardown(klass, args.state)
    return 0


if __name__ == "__main__":
    sys.exit(main())
