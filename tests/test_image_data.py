"""image_data.load_data: the bundled digits and files in the classic layout load as documented;
every broken file raises one DataError that names the file and the problem."""
from pathlib import Path

import h5py
import numpy as np
import pytest

from image_data import DataError, Dataset, load_data

DATASETS = Path(__file__).resolve().parent.parent / "source" / "application" / "datasets"
CAT_CLASSES = np.array([b"non-cat", b"cat"])


def write_h5(path, **arrays):
    """An HDF5 file holding each keyword as a dataset; a value of None makes an empty group instead."""
    with h5py.File(path, "w") as file:
        for key, value in arrays.items():
            if value is None:
                file.create_group(key)
            else:
                file.create_dataset(key, data=value)
    return path


def colour_pictures(m=6, height=5, width=4):
    """(m, height, width, 3) uint8 pixels covering 0..255, all different, like the classic cat pictures."""
    return (np.arange(m * height * width * 3) * 7 % 256).astype(np.uint8).reshape(m, height, width, 3)


def train_set(m=6, **changes):
    """The keys of a valid colour training file of m examples, with `changes` applied (None removes a key)."""
    keys = {"train_set_x": colour_pictures(m), "train_set_y": np.array([0, 1] * (m // 2), dtype=np.int64),
            "list_classes": CAT_CLASSES}
    keys.update(changes)
    return {key: value for key, value in keys.items() if value is not None}


# ---------------------------------------------------------------- the bundled digits

@pytest.mark.parametrize("filename, m", [("train_digits.h5", 1347), ("test_digits.h5", 450)])
def test_bundled_digits_load_with_the_documented_shapes_types_and_scaling(filename, m):
    data = load_data(DATASETS / filename)
    assert isinstance(data, Dataset)
    assert data.images.shape == (m, 8, 8) and data.images.dtype == np.uint8
    assert data.X.shape == (64, m) and data.X.dtype == np.float64
    assert data.Y.shape == (1, m) and data.Y.dtype == np.int64
    assert set(np.unique(data.Y)) == {0, 1}
    assert data.classes == ("digit 0-4", "digit 5-9")
    assert data.X.min() == 0.0 and data.X.max() == 1.0
    np.testing.assert_array_equal(data.X, data.images.reshape(m, -1).T / 255)


def test_each_column_of_x_is_one_picture_read_row_by_row():
    data = load_data(DATASETS / "train_digits.h5")
    np.testing.assert_array_equal(data.X[:, 10], data.images[10].ravel() / 255)
    np.testing.assert_array_equal(data.X[8:16, 10], data.images[10, 1] / 255)


# ---------------------------------------------------------------- files from elsewhere in the classic layout

def test_a_colour_file_in_the_classic_layout_loads_unchanged(tmp_path):
    keys = train_set()
    data = load_data(write_h5(tmp_path / "cats.h5", **keys))
    np.testing.assert_array_equal(data.images, keys["train_set_x"])
    assert data.images.dtype == np.uint8
    assert data.X.shape == (5 * 4 * 3, 6)
    for i in range(6):
        np.testing.assert_array_equal(data.X[:, i], keys["train_set_x"][i].ravel() / 255)
    np.testing.assert_array_equal(data.Y, [[0, 1, 0, 1, 0, 1]])
    assert data.classes == ("non-cat", "cat")


ACCEPTED = {
    "test set": dict(test_set_x=colour_pictures(), test_set_y=np.array([1, 0, 0, 1, 1, 0]), list_classes=CAT_CLASSES),
    "greyscale (m, h, w)": train_set(train_set_x=colour_pictures()[..., 0]),
    "already flat (m, n)": train_set(train_set_x=colour_pictures().reshape(6, -1)),
    "labels stored as a row (1, m)": train_set(train_set_y=np.array([[0, 1, 1, 0, 0, 1]])),
    "uint8 labels": train_set(train_set_y=np.array([0, 1, 1, 0, 0, 1], dtype=np.uint8)),
    "whole-number float pixels": train_set(train_set_x=colour_pictures().astype(np.float32)),
    "variable-length class names": train_set(list_classes=np.array(["non-cat", "cat"], dtype=h5py.string_dtype())),
}


@pytest.mark.parametrize("keys", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_variants_of_the_layout_load(tmp_path, keys):
    data = load_data(write_h5(tmp_path / "variant.h5", **keys))
    x_key = next(key for key in keys if key.endswith("_x"))
    m = keys[x_key].shape[0]
    assert data.X.shape == (keys[x_key][0].size, m) and data.X.dtype == np.float64
    np.testing.assert_array_equal(data.X, keys[x_key].reshape(m, -1).T.astype(np.float64) / 255)
    assert data.Y.shape == (1, m) and data.Y.dtype == np.int64
    assert data.classes == ("non-cat", "cat")


def test_a_path_may_be_a_string(tmp_path):
    path = write_h5(tmp_path / "cats.h5", **train_set())
    assert load_data(str(path)).X.shape == (60, 6)


# ---------------------------------------------------------------- broken files

def not_hdf5(path):
    path.write_text("train_set_x,train_set_y\n1,0\n")


def truncated_hdf5(path):
    write_h5(path, **train_set())
    path.write_bytes(path.read_bytes()[:100])


def folder(path):
    path.mkdir()


def missing(path):
    pass


def h5(**keys):
    return lambda path: write_h5(path, **keys)


# name: (how to make the file, what the message must say)
BROKEN = {
    "missing file": (missing, "no such file"),
    "a folder": (folder, "is a folder, not an HDF5 file"),
    "a text file": (not_hdf5, "not an HDF5 file"),
    "a truncated HDF5 file": (truncated_hdf5, "not an HDF5 file"),
    "an empty HDF5 file": (h5(), "no train_set_x or test_set_x; the file holds nothing"),
    "other key names": (h5(images=colour_pictures(), labels=np.zeros(6)),
                        "no train_set_x or test_set_x; the file holds images, labels"),
    "both sets in one file": (h5(**train_set(), test_set_x=colour_pictures()), "both train_set_x and test_set_x"),
    "no train_set_y": (h5(**train_set(train_set_y=None)), "no train_set_y (the labels)"),
    "no test_set_y": (h5(test_set_x=colour_pictures(), list_classes=CAT_CLASSES), "no test_set_y (the labels)"),
    "no list_classes": (h5(**train_set(list_classes=None)), "no list_classes (the names of the two classes)"),
    "x is a group": (h5(**train_set(train_set_x=None), train_set_x=None), "train_set_x is a group, not an array"),
    "fewer labels than pictures": (h5(**train_set(train_set_y=np.array([0, 1, 0, 1, 0]))),
                                   "train_set_x holds 6 examples but train_set_y holds 5 labels"),
    "more labels than pictures": (h5(**train_set(train_set_y=np.zeros(7, dtype=np.int64))),
                                  "train_set_x holds 6 examples but train_set_y holds 7 labels"),
    "no examples": (h5(**train_set(train_set_x=np.zeros((0, 5, 4, 3), np.uint8),
                                   train_set_y=np.zeros(0, np.int64))), "train_set_x holds no examples"),
    "digit labels 0..9": (h5(**train_set(train_set_y=np.array([0, 1, 2, 3, 9, 1]))),
                          "train_set_y labels must be 0 or 1, found 2, 3, 9"),
    "labels -1 and 1": (h5(**train_set(train_set_y=np.array([-1, 1, -1, 1, 1, -1]))),
                        "train_set_y labels must be 0 or 1, found -1"),
    "text labels": (h5(**train_set(train_set_y=np.array([b"cat"] * 6))), "train_set_y holds |S3 values"),
    "a matrix of labels": (h5(**train_set(train_set_y=np.zeros((2, 3), np.int64))),
                           "train_set_y has shape (2, 3); expected one label per example"),
    "pixels above 255": (h5(**train_set(train_set_x=colour_pictures().astype(np.int64) + 1)),
                         "train_set_x pixel values must be whole numbers in 0..255, found values from 1 to 256"),
    "negative pixels": (h5(**train_set(train_set_x=colour_pictures().astype(np.int16) - 3)),
                        "pixel values must be whole numbers in 0..255, found values from -3"),
    "pixels already scaled to [0, 1]": (h5(**train_set(train_set_x=colour_pictures() / 255)),
                                        "pixel values must be whole numbers in 0..255"),
    "text pixels": (h5(**train_set(train_set_x=np.full((6, 2, 2), b"a"))), "train_set_x holds |S1 values"),
    "x with 1 dimension": (h5(**train_set(train_set_x=np.arange(6, dtype=np.uint8))),
                           "train_set_x has 1 dimension(s), shape (6,)"),
    "x with 5 dimensions": (h5(**train_set(train_set_x=np.zeros((6, 2, 2, 2, 3), np.uint8))),
                            "train_set_x has 5 dimension(s), shape (6, 2, 2, 2, 3)"),
    "three class names": (h5(**train_set(list_classes=np.array([b"cat", b"dog", b"bird"]))),
                          "list_classes must name 2 classes, found 3"),
}


@pytest.mark.parametrize("make, problem", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_file_raises_one_data_error_naming_the_file_and_the_problem(tmp_path, make, problem):
    path = tmp_path / "broken.h5"
    make(path)
    with pytest.raises(DataError) as raised:
        load_data(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ")
    assert problem in message
    assert "\n" not in message


def test_data_error_is_a_value_error():
    assert issubclass(DataError, ValueError)
