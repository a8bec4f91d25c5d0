"""The diagrams committed beside the instructor notebook are the ones `autograder/generators/figures.py` draws."""
from pathlib import Path

import pytest
from PIL import Image

from autograder.generators import figures

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
    assert figures.same_picture(drawn / name, committed), (
        f"{committed} differs from what autograder/generators/figures.py draws: run `make figures` and commit the result")


@pytest.mark.parametrize("name", sorted(figures.FIGURES))
def test_redrawing_keeps_the_bytes_of_a_png_holding_the_same_picture(tmp_path, name):
    # Another zlib (or zlib-ng on another processor) compresses the same pixels into other bytes: simulated here
    # by recompressing the committed PNG at another level. Redrawing must leave such a file byte for byte.
    with Image.open(COMMITTED / name) as picture:
        picture.save(tmp_path / name, format="png", compress_level=1, dpi=picture.info["dpi"])
    recompressed = (tmp_path / name).read_bytes()
    assert recompressed != (COMMITTED / name).read_bytes()
    figures.draw_all(tmp_path)
    assert (tmp_path / name).read_bytes() == recompressed


def test_redrawing_replaces_a_png_holding_another_picture(tmp_path):
    name = sorted(figures.FIGURES)[0]
    Image.new("RGBA", (8, 8), "white").save(tmp_path / name)
    figures.draw_all(tmp_path)
    assert figures.same_picture(tmp_path / name, COMMITTED / name)
