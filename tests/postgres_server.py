"""A throwaway PostgreSQL server for the tests: Debian's binaries, our own cluster, a private unix socket."""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

# The server refuses to run as root; when we are root it runs as the user Debian's package creates.
SERVER_USER = "postgres"
# The SQLAlchemy superuser name, whoever runs the server (initdb --username), so the URL never varies.
SUPERUSER = "postgres"


def postgres_available() -> str | None:
    """The bin dir holding initdb and pg_ctl, or None when the tests cannot start a server here.

    Debian keeps the server binaries off PATH, in /usr/lib/postgresql/<version>/bin (the newest wins);
    elsewhere they are usually on PATH. As root we also need the ``postgres`` user to run the server.
    """
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            return None
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    if on_path := shutil.which("pg_ctl"):
        candidates.append(os.path.dirname(on_path))
    for bindir in candidates:
        if all(os.access(os.path.join(bindir, tool), os.X_OK) for tool in ("initdb", "pg_ctl", "createdb")):
            return bindir
    return None


@contextmanager
def running_postgres(*, folder: Path, database: str = "gradebook", timeout: float = 60) -> Iterator[str]:
    """Start a fresh server with an empty ``database``, yield its SQLAlchemy URL, and stop it on exit.

    The server listens on a unix socket only (no TCP port, so nothing clashes with a system cluster
    or a parallel test run) and trusts local connections. Its cluster lives in a fresh short-named
    directory under /tmp, not in ``folder``: as root the server runs as ``postgres``, which cannot
    traverse pytest's root-only (0700) tmp_path, and a socket path longer than 107 bytes (pytest's
    paths can be) is refused by the kernel. That directory is deleted on exit; the server log is
    copied to ``folder/postgres.log`` first, for post-mortems. The server is stopped on exit even
    if the body raises.
    """
    bindir = postgres_available()
    if bindir is None:
        raise RuntimeError("PostgreSQL's server binaries are missing: `make postgres` installs them")
    # /tmp rather than $TMPDIR: world-traversable (1777) and short, whatever the environment says.
    root = Path(tempfile.mkdtemp(prefix="pg-", dir="/tmp" if os.path.isdir("/tmp") else None))
    as_user = _server_user()
    if as_user:
        os.chown(root, as_user.pw_uid, as_user.pw_gid)  # stays 0700: only postgres (and root) get in
    data, log = root / "data", root / "server.log"
    try:
        # --no-sync and fsync=off: the cluster is thrown away, so durability only costs time.
        _run(bindir, "initdb", "--pgdata", str(data), "--username", SUPERUSER, "--auth", "trust",
             "--encoding", "UTF8", "--locale", "C", "--no-sync", user=as_user, cwd=root, timeout=timeout)
        with open(data / "postgresql.conf", "a") as conf:
            conf.write(f"\nlisten_addresses = ''\nunix_socket_directories = '{root}'\n"
                       "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
        try:
            try:
                _run(bindir, "pg_ctl", "start", "--pgdata", str(data), "--log", str(log), "--wait",
                     "--timeout", str(int(timeout)), user=as_user, cwd=root, timeout=timeout + 10)
                _run(bindir, "createdb", "--host", str(root), "--username", SUPERUSER, database,
                     user=as_user, cwd=root, timeout=timeout)
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
                raise RuntimeError(f"PostgreSQL did not start: {_describe(error)}\n"
                                   f"--- server log (tail) ---\n{_tail(log)}") from error
            # The socket directory as a query parameter: a percent-encoded host would break nbgrader's
            # `db upgrade`, which writes the URL into an alembic.ini, where % is interpolation syntax.
            yield f"postgresql+psycopg://{SUPERUSER}@/{database}?host={root}"
        finally:
            _stop(bindir, data=data, user=as_user, cwd=root)
    finally:
        with suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
            if log.exists():
                shutil.copyfile(log, folder / "postgres.log")
        shutil.rmtree(root, ignore_errors=True)


def _server_user() -> pwd.struct_passwd | None:
    """The account to run the server as: ``postgres`` when we are root, else None (ourselves)."""
    return pwd.getpwnam(SERVER_USER) if os.geteuid() == 0 else None


def _run(bindir: str, tool: str, *args: str, user: pwd.struct_passwd | None, cwd: Path,
         timeout: float) -> subprocess.CompletedProcess:
    """Run a PostgreSQL tool as ``user``, in a clean environment, and fail loudly.

    PG* variables (PGDATA, PGHOST, PGPORT...) from the caller's shell would redirect the tools to
    another server, so they are dropped. The cwd must be one the server user can enter.
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    drop = {} if user is None else {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
    if user is not None:
        env |= {"HOME": str(cwd), "USER": user.pw_name, "LOGNAME": user.pw_name}
    # stdin closed: the server that pg_ctl forks must not hold our terminal or pytest's pipes.
    return subprocess.run([os.path.join(bindir, tool), *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout, check=True, **drop)


def _stop(bindir: str, *, data: Path, user: pwd.struct_passwd | None, cwd: Path) -> None:
    """Stop the server if it runs: fast shutdown, then immediate, then SIGKILL, so none outlives us."""
    for mode in ("fast", "immediate"):
        if not (data / "postmaster.pid").exists():
            return
        with suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            _run(bindir, "pg_ctl", "stop", "--pgdata", str(data), "--mode", mode, "--wait", "--timeout", "30",
                 user=user, cwd=cwd, timeout=40)
    with suppress(FileNotFoundError, ValueError, IndexError, ProcessLookupError):
        os.kill(int((data / "postmaster.pid").read_text().split()[0]), signal.SIGKILL)


def _describe(error: subprocess.CalledProcessError | subprocess.TimeoutExpired) -> str:
    """The failed command and what it printed, for the error message."""
    output = "".join(part for part in (error.stdout, error.stderr) if isinstance(part, str)).strip()
    failed = isinstance(error, subprocess.CalledProcessError)
    what = f"exit status {error.returncode}" if failed else "timed out"
    return f"`{' '.join(map(str, error.cmd))}` ({what})\n{output}"


def _tail(log: Path, *, lines: int = 30) -> str:
    """The end of the server log, where the reason a start failed is written."""
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def _version_key(bindir: str) -> tuple[int, ...]:
    """Sort /usr/lib/postgresql/<version>/bin numerically, so that 15 beats 9.6."""
    return tuple(int(part) for part in re.findall(r"\d+", bindir))
