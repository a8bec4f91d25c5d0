"""The application notebook's picture grids leave every title clear of the pictures and of the other titles."""
import matplotlib
import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest

from autograder.paths import source_notebook

MISCLASSIFIED = ["true digit 5-9\npredicted digit 0-4", "true digit 0-4\npredicted digit 5-9"] * 6
TRAINING = ["y = 1 (digit 5-9)", "y = 0 (digit 0-4)"] * 8


def show_images_from_the_notebook(monkeypatch):
    """The notebook's show_images, drawing on the Agg canvas and leaving its figure open for the test."""
    matplotlib.use("Agg")
    monkeypatch.setattr(plt, "show", lambda: None)
    cells = nbformat.read(source_notebook("application"), as_version=4).cells
    source = next(cell.source for cell in cells if cell.cell_type == "code" and "def show_images" in cell.source)
    namespace = {"plt": plt, "np": np}
    exec(source.split("\nshow_images(")[0], namespace)  # the definition, without the call that follows it
    return namespace["show_images"]


@pytest.mark.parametrize("titles, columns", [(MISCLASSIFIED, 6), (MISCLASSIFIED, 8), (TRAINING, 8)],
                         ids=["misclassified, 6 columns", "misclassified, 8 columns", "training images"])
def test_no_title_overlaps_a_picture_or_another_title(monkeypatch, titles, columns):
    show_images = show_images_from_the_notebook(monkeypatch)
    show_images(np.zeros((len(titles), 8, 8), dtype=np.uint8), titles, columns=columns)
    figure = plt.gcf()
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    shown = [axis for axis in figure.axes if axis.images]
    pictures = [axis.images[0].get_window_extent(renderer) for axis in shown]
    labels = [axis.title.get_window_extent(renderer) for axis in shown]
    plt.close(figure)
    assert len(labels) == len(titles)
    for i, label in enumerate(labels):
        assert not any(label.overlaps(picture) for picture in pictures), f"the title of picture {i} overlaps a picture"
        assert not any(label.overlaps(other) for j, other in enumerate(labels) if j != i), \
            f"the title of picture {i} overlaps another title"
