"""Nothing in a submission leads outside it: links, hard links, pipes and devices are refused."""

import hashlib
import os
import stat

import pytest

from autograder.grading import submission_files as files


@pytest.fixture
def outside(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the solutions")
    return secret


def _course(tmp_path):
    folder = tmp_path / "course" / "submitted" / "mallory" / "A1"
    folder.mkdir(parents=True)
    (folder / "A1.ipynb").write_text("{}")
    (folder / "data").mkdir()
    (folder / "data" / "table.csv").write_text("1,2\n")
    return folder


def _plant(folder, outside, kind):
    if kind == "absolute-link":
        os.symlink(outside, folder / "answers.txt")
    elif kind == "relative-link":
        os.symlink(os.path.relpath(outside, folder / "data"), folder / "data" / "answers.txt")
    elif kind == "link-inside":
        os.symlink("A1.ipynb", folder / "copy.ipynb")
    elif kind == "folder-link":
        os.symlink(outside.parent, folder / "everything")
    elif kind == "dangling-link":
        os.symlink("/nonexistent/file", folder / "gone")
    elif kind == "hard-link":
        os.link(outside, folder / "answers.txt")
    elif kind == "fifo":
        os.mkfifo(folder / "pipe")
    elif kind == "notebook-link":
        (folder / "A1.ipynb").unlink()
        os.symlink(outside, folder / "A1.ipynb")


KINDS = ["absolute-link", "relative-link", "link-inside", "folder-link", "dangling-link", "hard-link",
         "fifo", "notebook-link"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_entry_that_is_not_a_plain_file_or_folder_is_refused_by_name(tmp_path, outside, kind):
    folder = _course(tmp_path)
    _plant(folder, outside, kind)
    refused = files.refused_entries(folder)
    assert len(refused) == 1
    assert refused[0].why.startswith(("a symbolic link", "a hard link", "a named pipe"))


@pytest.mark.parametrize("kind", KINDS)
def test_quarantine_moves_the_entry_unread_and_keeps_the_students_work(tmp_path, outside, kind):
    folder = _course(tmp_path)
    _plant(folder, outside, kind)
    moved = files.quarantine_submission(folder)
    assert len(moved) == 1 and files.refused_entries(folder) == []
    assert (folder / "data" / "table.csv").read_text() == "1,2\n"
    assert outside.read_text() == "the solutions"  # what a link points to is never touched
    quarantined = tmp_path / "course" / "quarantine" / "mallory" / "A1"
    assert any(os.path.lexists(p) for p in quarantined.rglob("*"))


def test_a_link_in_place_of_the_students_folder_is_moved_whole(tmp_path, outside):
    folder = _course(tmp_path)
    other = tmp_path / "course" / "submitted" / "eve"
    os.symlink(folder.parent, other)
    refused = files.quarantine_submission(other / "A1")
    assert refused and "symbolic link" in refused[0].why and not os.path.lexists(other)


def test_a_copy_leaves_refused_entries_out_and_says_which(tmp_path, outside):
    folder = _course(tmp_path)
    for kind in ("absolute-link", "folder-link", "fifo", "hard-link"):
        _plant(folder, outside, kind) if kind != "hard-link" else os.link(outside, folder / "hard.txt")
    target = tmp_path / "copy"
    refused = files.copy_tree(folder, target)
    assert sorted(e.path for e in refused) == ["answers.txt", "everything", "hard.txt", "pipe"]
    copied = sorted(str(p.relative_to(target)) for p in target.rglob("*"))
    assert copied == ["A1.ipynb", "data", "data/table.csv"]
    assert all(stat.S_ISREG(os.lstat(p).st_mode) for p in target.rglob("*") if not p.is_dir())


def test_a_file_swapped_for_a_link_after_the_check_is_not_followed(tmp_path, outside):
    link = tmp_path / "swapped"
    os.symlink(outside, link)
    with pytest.raises(OSError):
        files.copy_file(str(link), str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()


def test_the_fingerprint_never_reads_through_a_link(tmp_path, outside):
    folder = _course(tmp_path)
    os.symlink(outside, folder / "answers.txt")
    os.mkfifo(folder / "pipe")  # reading it would block the fingerprint forever

    def digest():
        h = hashlib.sha256()
        files.digest_folder(folder, h)
        return h.hexdigest()

    before = digest()
    outside.write_text("changed")  # what the link points to plays no part
    assert digest() == before
    (folder / "data" / "table.csv").write_text("3,4\n")  # the student's own files do
    assert digest() != before


def test_nbgraders_hook_leaves_the_instructors_source_alone(tmp_path, outside):
    source = tmp_path / "course" / "source" / "A1"
    source.mkdir(parents=True)
    os.symlink(outside, source / "data.csv")  # an instructor may link a shared data file
    files.pre_convert_hook(assignment="A1", student=".", notebooks=[str(source / "A1.ipynb")])
    assert os.path.islink(source / "data.csv")


def test_nbgraders_hook_quarantines_a_submission(tmp_path, outside):
    folder = _course(tmp_path)
    os.symlink(outside, folder / "answers.txt")
    files.pre_convert_hook(assignment="A1", student="*", notebooks=[str(folder / "A1.ipynb")])
    assert not os.path.lexists(folder / "answers.txt")
