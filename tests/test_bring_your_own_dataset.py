"""The bring-your-own-dataset notebook trains on any HDF5 file pair in the course's layout, colour pictures included."""
import h5py
import pytest
import nbclient
import nbformat
import numpy as np

from autograder.paths import ROOT

pytestmark = pytest.mark.kernels  # real Jupyter kernels: left out of make test-fast

NOTEBOOK = ROOT / "notebooks" / "bring_your_own_dataset.ipynb"
INSTRUCTOR_NOTEBOOKS = {
    "STEP_BY_STEP_NOTEBOOK": ROOT / "source" / "step_by_step" / "Building_your_Deep_Neural_Network_Step_by_Step.ipynb",
    "APPLICATION_NOTEBOOK": ROOT / "source" / "application" / "Deep_Neural_Network_Application.ipynb",
}


def write_colour_set(path, prefix, m, rng):
    """m colour pictures of 6 x 5 pixels, labelled 1 when their red channel is bright, in the course's layout."""
    pictures = rng.integers(0, 256, size=(m, 6, 5, 3), dtype=np.uint8)
    labels = (rng.random(m) < 0.5).astype(np.int64)
    pictures[..., 0] = np.where(labels[:, None, None] == 1, rng.integers(180, 256, size=(m, 6, 5)),
                                rng.integers(0, 76, size=(m, 6, 5)))
    with h5py.File(path, "w") as file:
        file.create_dataset(prefix + "x", data=pictures)
        file.create_dataset(prefix + "y", data=labels)
        file.create_dataset("list_classes", data=np.array([b"dim red", b"bright red"]))


def outputs(notebook, output_type):
    return [output for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.get("outputs", []) if output.output_type == output_type]


def test_notebook_trains_on_a_small_colour_dataset_of_the_students_choice(tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    write_colour_set(tmp_path / "train_red.h5", "train_set_", 40, rng)
    write_colour_set(tmp_path / "test_red.h5", "test_set_", 16, rng)
    monkeypatch.setenv("BYOD_TRAIN_FILE", str(tmp_path / "train_red.h5"))
    monkeypatch.setenv("BYOD_TEST_FILE", str(tmp_path / "test_red.h5"))
    for name, path in INSTRUCTOR_NOTEBOOKS.items():
        monkeypatch.setenv(name, str(path))
    monkeypatch.setenv("MPLBACKEND", "Agg")

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()

    assert not outputs(notebook, "error")
    stderr = [output.text for output in outputs(notebook, "stream") if output.name == "stderr"]
    assert not stderr, f"the notebook wrote to stderr: {stderr}"
    printed = "".join(output.text for output in outputs(notebook, "stream") if output.name == "stdout")
    assert "training set: X (90, 40)" in printed
    assert "classes: 0 = 'dim red', 1 = 'bright red'" in printed
    assert "training set: Accuracy: " in printed
    assert "test set: Accuracy: " in printed
