"""`make notebooks`: regenerate notebooks/ from source/ with nbgrader's generate_assignment.

notebooks/ is committed (Binder opens it) and must be exactly what nbgrader releases, so it is
never edited by hand: edit source/, then run this.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
import tempfile
from pathlib import Path

from autograder.devtools.course import NOTEBOOKS, assignments, create_course, nbgrader


def generate_release(destination: Path) -> list[str]:
    """Release every assignment in source/ into ``destination``; return the assignment ids."""
    ids = assignments()
    with tempfile.TemporaryDirectory(prefix="course-release-") as tmp:
        course = create_course(Path(tmp))
        for assignment in ids:
            nbgrader(course, "generate_assignment", assignment, "--force")
            target = destination / assignment
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(course / "notebooks" / assignment, target)
    return ids


def differences(left: Path, right: Path) -> list[str]:
    """Files that differ between two folders, or exist in only one of them (relative paths)."""
    found: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        found.extend(prefix + name for name in cmp.left_only + cmp.right_only + cmp.diff_files)
        found.extend(prefix + name for name in cmp.funny_files)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right, ignore=["README.md", ".ipynb_checkpoints"]), "")
    return sorted(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only report whether notebooks/ is up to date (exit 1 if not)")
    args = parser.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            generate_release(Path(tmp))
            stale = differences(Path(tmp), NOTEBOOKS)
        for name in stale:
            print(f"out of date: notebooks/{name}")
        print("notebooks/ is up to date" if not stale else "run `make notebooks`")
        return 1 if stale else 0
    ids = generate_release(NOTEBOOKS)
    print(f"released {', '.join(ids)} into {NOTEBOOKS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
