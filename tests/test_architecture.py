"""docs/architecture.md, the page that tells the layout, against the layout itself."""

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGE = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
PARTS = ("learner", "server", "grading", "sandbox", "devtools")


def phony_targets() -> list[str]:
    return re.search(r"^\.PHONY:(.*)$", (REPO / "Makefile").read_text(), re.M).group(1).split()


def test_the_readme_links_the_architecture_page():
    assert "(docs/architecture.md)" in (REPO / "README.md").read_text(encoding="utf-8")


def test_every_path_the_page_names_exists():
    named = set(re.findall(r"`((?:autograder|tests|deploy|jupyter-config)/[\w./-]*)`", PAGE))
    assert named and sorted(p for p in named if not (REPO / p).exists()) == []
    # and the short forms inside the package: `grading/judge.py`, `learner/modes.py`, …
    short = set(re.findall(r"`((?:learner|grading|sandbox|devtools)/[\w./-]*)`", PAGE))
    assert short and sorted(p for p in short if not (REPO / "autograder" / p).exists()) == []


def test_every_make_target_is_placed():
    targets = set(re.findall(r"`make ([\w-]+)`", PAGE.split("## Where each make target lives")[1]))
    assert sorted(set(phony_targets()) - targets) == []


def test_every_module_of_each_part_is_in_its_row():
    rows = {part: next(line for line in PAGE.splitlines() if line.startswith(f"| `autograder/{part}/`"))
            for part in PARTS}
    for part, row in rows.items():
        modules = {p.stem for p in (REPO / "autograder" / part).glob("*.py") if p.stem != "__init__"}
        modules |= {p.name for p in (REPO / "autograder" / part).iterdir() if (p / "__init__.py").exists()}
        assert sorted(m for m in modules if f"`{m}`" not in row and f"`{m}/`" not in row
                      and f"`{m}.py`" not in row) == [], part


def test_only_a_handful_of_modules_stay_at_the_top():
    top = sorted(p.name for p in (REPO / "autograder").glob("*.py"))
    assert top == ["__init__.py", "checks.py", "explorer.py", "nbgrader_config.py"]
    assert sorted(p.name for p in (REPO / "autograder").iterdir() if p.is_dir() and p.name != "__pycache__") \
        == sorted(PARTS)


def test_make_help_lists_every_target():
    shown = subprocess.run(["make", "--no-print-directory", "help"], cwd=REPO, capture_output=True, text=True,
                           check=True).stdout
    assert sorted(t for t in phony_targets() if t != "help" and f"make {t} " not in shown) == []
