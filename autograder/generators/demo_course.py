"""A scratch course for the demo: `python -m autograder.generators.demo_course FOLDER`.

The demo grades its sample class in a course of its own, FOLDER: the repository's nbgrader_config.py, and links to
its source/ and release/. Its gradebook, autograded/ and feedback/ are FOLDER's, so the demo never writes into the
course's own gradebook or folders, and `nbgrader export` of the course lists no demo student.
"""
import argparse
import os
import shutil
from pathlib import Path

from ..course import CONFIG_FILE, Course
from ..paths import ROOT


def make(folder) -> Course:
    """The scratch course at `folder` (made, or brought up to date); its gradebook and graded folders start empty."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("gradebook.db", "autograded", "feedback"):
        path = folder / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif os.path.lexists(path):
            path.unlink()
    shutil.copyfile(ROOT / CONFIG_FILE, folder / CONFIG_FILE)
    for name in ("source", "release"):
        link = folder / name
        if os.path.lexists(link):
            link.unlink()
        link.symlink_to(os.path.relpath(ROOT / name, folder.resolve()))
    return Course.at(folder)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.generators.demo_course", description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="the scratch course's folder")
    print(f"made the demo's scratch course in {make(parser.parse_args(argv).folder).root}/")


if __name__ == "__main__":
    main()
