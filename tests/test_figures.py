"""The diagrams committed beside the instructor notebook are the ones `autograder/figures.py` draws."""
from pathlib import Path

import pytest

from autograder import figures

COMMITTED = Path(__file__).resolve().parent.parent / "source" / "step_by_step" / "images"


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    # Drawing all three takes about a second; do it once for every parametrised case.
    out_dir = tmp_path_factory.mktemp("figures")
    figures.draw_all(out_dir)
    return out_dir


@pytest.mark.parametrize("name", sorted(figures.FIGURES))
def test_committed_figures_are_what_the_script_draws(drawn, name):
    committed = COMMITTED / name
    assert committed.exists(), f"{committed} is missing: run `make figures` and commit the result"
    assert (drawn / name).read_bytes() == committed.read_bytes(), (
        f"{committed} differs from what autograder/figures.py draws: run `make figures` and commit the result")
