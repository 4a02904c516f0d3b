"""What the kernel says changed under the preview's folders (watch.py), and when it cannot say."""

import os
import sys

import pytest

from site_builder.watch import Changes

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "articles" / "2020").mkdir(parents=True)
    (tmp_path / "articles" / "2020" / "a.md").write_text("a")
    (tmp_path / "site.yaml").write_text("title: T\n")
    (tmp_path / ".hidden").mkdir()
    return tmp_path


def test_written_created_deleted_and_moved_files_are_told(tree):
    changes = Changes([str(tree)])
    assert changes.watching and changes.take() == set()
    (tree / "articles" / "2020" / "a.md").write_text("b")
    (tree / "articles" / "2020" / "new.md").write_text("n")
    (tree / "site.yaml").unlink()
    assert changes.take() == {str(tree / "articles/2020/a.md"), str(tree / "articles/2020/new.md"),
                              str(tree / "site.yaml")}
    os.replace(tree / "articles/2020/new.md", tree / "articles/moved.md")  # as editors save: write, rename
    assert changes.take() == {str(tree / "articles/2020/new.md"), str(tree / "articles/moved.md")}
    assert changes.take() == set()
    (tree / ".hidden" / "x").write_text("x")  # hidden folders are not inputs
    assert changes.take() == set()
    changes.close()


def test_a_new_folder_makes_it_unsure_once_then_its_files_are_told_too(tree):
    changes = Changes([str(tree)])
    (tree / "people").mkdir()
    assert changes.take() is None  # the caller looks at every file
    (tree / "people" / "ana.md").write_text("a")
    assert changes.take() == {str(tree / "people/ana.md")}
    changes.close()


def test_a_link_anywhere_means_every_file_is_looked_at(tree, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "notes.md"
    outside.write_text("x")
    (tree / "articles" / "linked.md").symlink_to(outside)
    changes = Changes([str(tree)])
    assert not changes.watching and changes.take() is None
    (tree / "articles" / "linked.md").unlink()
    changes = Changes([str(tree)])
    assert changes.watching
    (tree / "articles" / "later.md").symlink_to(outside)  # made while watching
    assert changes.take() is None
    assert not changes.watching  # and stays so: the link is still there
    changes.close()


def test_a_missing_folder_means_every_file_is_looked_at(tree):
    changes = Changes([str(tree), str(tree / "no-such-folder")])
    assert not changes.watching and changes.take() is None
