"""A submission's files, read and copied without ever following a link out of the submission.

A student controls everything in their submission folder. nbgrader collects, autogrades and
generates feedback with ``shutil.copy``, which follows symbolic links: a link to the course's
source notebook, the gradebook or any file on the machine would be read with the grader's rights
(often root) and copied into the student's kernel and feedback. So only regular files and folders
are ever part of a submission. Everything else is *refused*, and what is refused is named in the
log and in course-grade's summary:

- symbolic links, to files or folders, absolute or relative (even ones that point inside);
- hard links (a regular file with more than one name may be another file of the machine:
  a student's own copy never needs one);
- named pipes, sockets and devices (reading them blocks forever or never ends).

Where the submission lives in the course (submitted/, autograded/), refused entries are moved,
unread, into ``quarantine/STUDENT/ASSIGNMENT/`` beside them: the instructor can see what was
tried, nothing of the student's work is lost (a link or a pipe holds no work), and nbgrader's
own steps then find only regular files. Copies made by the course (the exchange's collect, the
kernel's private working folder) leave refused entries out and open every file with
``O_NOFOLLOW``, so a link swapped in after the check fails the copy instead of being followed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

QUARANTINE = "quarantine"  # in the course folder, beside submitted/

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Refused:
    """An entry of a submission that is not a regular file or folder, and why it was refused."""

    path: str  # relative to the submission folder ("." for the folder itself)
    why: str

    def __str__(self) -> str:
        return f"{self.path} ({self.why})"


def why_refused(path: Path | str) -> str | None:
    """Why the entry at ``path`` (not followed if a link) is refused, or None for a file or folder."""
    info = os.lstat(path)
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return f"a symbolic link to {target}"
    if stat.S_ISDIR(mode):
        return None
    if stat.S_ISREG(mode):
        return f"a hard link: a file with {info.st_nlink} names" if info.st_nlink > 1 else None
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def refused_entries(folder: Path) -> list[Refused]:
    """Every refused entry in ``folder`` (the folder itself included), without following links."""
    folder = Path(folder)
    why = why_refused(folder)
    if why:
        return [Refused(".", why)]
    found = []
    for root, dirs, files in os.walk(folder):  # os.walk never descends into linked folders
        for name in sorted([*dirs, *files]):
            path = os.path.join(root, name)
            why = why_refused(path)
            if why:
                found.append(Refused(os.path.relpath(path, folder), why))
    return found


def quarantine(folder: Path, into: Path) -> list[Refused]:
    """Move every refused entry of ``folder`` into ``into`` (same relative path), unread.

    Returns what was moved. A refused folder itself (a link in the submission's place) is moved
    whole. Raises OSError when an entry cannot be moved: then the folder is not safe to grade.
    """
    folder, into = Path(folder), Path(into)
    refused = refused_entries(folder)
    for entry in refused:
        source = folder if entry.path == "." else folder / entry.path
        relative = Path(entry.path)
        quarantine_entry(source, into / relative.parent if entry.path != "." else into)
    return refused


def quarantine_submission(folder: Path) -> list[Refused]:
    """Quarantine a submission at COURSE/STEP/STUDENT/ASSIGNMENT into COURSE/quarantine/STUDENT/ASSIGNMENT.

    The student's own folder is checked too: a link in its place is refused like any other."""
    folder = Path(folder)
    student_dir, course = folder.parent, folder.parent.parent.parent
    into = course / QUARANTINE / student_dir.name
    why = why_refused(student_dir)
    if why:
        quarantine_entry(student_dir, course / QUARANTINE)
        return [Refused(f"../{student_dir.name}", why)]
    return quarantine(folder, into / folder.name) if os.path.lexists(folder) else []


def quarantine_entry(path: Path, into: Path) -> None:
    """Move ``path`` into the folder ``into``, keeping an earlier run's entry of the same name."""
    into.mkdir(parents=True, exist_ok=True)
    target = into / path.name
    while os.path.lexists(target):
        target = target.with_name(target.name + "~")
    os.rename(path, target)  # moves the link, pipe or name itself, never what it points to


def pre_convert_hook(*, assignment: str, student: str, notebooks: list[str], **_) -> None:
    """nbgrader's ``BaseConverter.pre_convert_hook``: quarantine a submission before nbgrader copies it.

    nbgrader calls it for each submission just before the converter copies the submission's files
    (autograde: from submitted/, feedback: from autograded/). Not for the instructor's source/
    (``student`` is "." there), whose links are the instructor's own.
    """
    if student == "." or not notebooks:
        return
    folder = Path(notebooks[0]).parent
    try:
        refused = quarantine_submission(folder)
    except OSError as err:
        # nbgrader swallows a hook's exceptions and would go on to copy through the links, so
        # stop the whole run instead: nothing is graded from a submission that is not safe.
        message = f"cannot move the refused entries out of {folder} ({err}); stopping before it is copied"
        _app_log().error(message)
        raise SystemExit(message) from err
    if refused:
        _app_log().warning("Refused in %s/%s, moved to %s/: %s", folder.parent.name, folder.name,
                           QUARANTINE, "; ".join(map(str, refused)))


def _app_log() -> logging.Logger:
    """nbgrader's application log when nbgrader runs (so the warning shows with its own), else ours."""
    from traitlets.config import Application

    return Application.instance().log if Application.initialized() else log


def open_regular(path: Path | str) -> int:
    """A descriptor for reading the regular, single-named file at ``path``; never through a link,
    never blocked by a pipe. Raises OSError otherwise."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink > 1:
        os.close(descriptor)
        raise OSError(f"{path} is not a regular file with one name: refused")
    return descriptor


def copy_file(source: str, target: str) -> str:
    """``shutil.copy2`` for a submission's file: the same, but refusing anything but a regular file."""
    with open(open_regular(source), "rb") as reading, open(target, "wb") as writing:
        shutil.copyfileobj(reading, writing)
    shutil.copystat(source, target, follow_symlinks=False)
    return target


def copy_tree(source: Path, target: Path, *, ignore: Callable | None = None) -> list[Refused]:
    """Copy a submission folder: regular files and folders only; return what was left out.

    ``ignore`` is a further ``shutil.copytree`` ignore function (nbgrader's patterns, say)."""
    source, target = Path(source), Path(target)
    refused: list[Refused] = []

    def leave_out(folder: str, names: list[str]) -> set[str]:
        out = set(ignore(folder, names)) if ignore else set()
        for name in names:
            why = why_refused(os.path.join(folder, name))
            if why and name not in out:
                refused.append(Refused(os.path.relpath(os.path.join(folder, name), source), why))
                out.add(name)
        return out

    why = why_refused(source)
    if why:
        raise OSError(f"{source} is {why}: refused")
    shutil.copytree(source, target, symlinks=True, ignore=leave_out, copy_function=copy_file,
                    dirs_exist_ok=True)
    return refused


def digest_folder(folder: Path, digest: hashlib._Hash) -> None:
    """Add every entry of ``folder`` to ``digest``: names and contents of regular files, and, for
    anything else, what it is (a link's target as text) — nothing is read through a link."""
    folder = Path(folder)
    why = why_refused(folder)
    if why:
        digest.update(f"refused folder: {why}".encode())
        return
    for root, dirs, files in os.walk(folder):  # never descends into linked folders
        dirs.sort()
        for name in sorted(files) + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            path = os.path.join(root, name)
            digest.update(os.path.relpath(path, folder).encode() + b"\0")
            why = why_refused(path)
            if why:
                digest.update(why.encode() + b"\0")
                continue
            with open(open_regular(path), "rb") as stream:
                for block in iter(lambda: stream.read(1 << 20), b""):  # noqa: B023 - used at once
                    digest.update(block)
