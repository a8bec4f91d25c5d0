"""Load a set of labelled pictures from an HDF5 file, ready for a binary classifier.

A file holds one set, training or test, under one of two prefixes:

    train_set_x   (m, height, width) or (m, height, width, channels)   integer pixels 0..255
    train_set_y   (m,)                                                  labels, 0 or 1
    list_classes  (2,)                                                  byte strings: the names of labels 0 and 1

and the same with `test_set_` in place of `train_set_`. This is the layout of the classic version of this
lesson, so its files (64 x 64 colour pictures) load unchanged, as do the digits bundled with this course.
"""
import os
from collections import namedtuple

import h5py
import numpy as np

PREFIXES = ("train_set_", "test_set_")

Dataset = namedtuple("Dataset", "X Y classes images")
Dataset.__doc__ = """One set of labelled pictures.

X: (height * width * channels, m) float64 pixels scaled to [0, 1], one example per column.
Y: (1, m) int64 labels, 0 or 1.
classes: (name of label 0, name of label 1), as str.
images: (m, height, width) or (m, height, width, channels) the pixels as stored, for plotting.
"""


class DataError(ValueError):
    """A data file that cannot be loaded; the message names the file and the problem."""


def load_data(path):
    """Read one training or test set from the HDF5 file at `path`.

    Returns a Dataset (X, Y, classes, images) with
        X: (n_x, m) float64 in [0, 1], n_x = height * width * channels, column i being example i flattened;
        Y: (1, m) int64, 0 or 1;
        classes: tuple of 2 str;
        images: (m, height, width[, channels]) the pixels as stored.
    Raises DataError, naming the file and the problem, when the file is missing or not in this layout.
    """
    name = os.fspath(path)
    with _open(name) as file:
        prefix = _prefix(file, name)
        images = _read(file, prefix + "x", name)
        labels = _read(file, prefix + "y", name)
        classes = _read(file, "list_classes", name)
    _check_images(images, prefix + "x", name)
    labels = _check_labels(labels, prefix + "y", name)
    _check_lengths(images, labels, prefix, name)
    return Dataset(X=flatten(images), Y=labels.reshape(1, -1), classes=_class_names(classes, name), images=images)


def flatten(images):
    """Pictures to the network's input.

    images: (m, height, width[, channels]) integer pixels 0..255.
    Returns X: (height * width * channels, m) float64 in [0, 1], one example per column.
    """
    m = images.shape[0]
    return images.reshape(m, -1).T.astype(np.float64) / 255


def _open(name):
    if not os.path.exists(name):
        raise DataError(f"{name}: no such file")
    if os.path.isdir(name):
        raise DataError(f"{name}: is a folder, not an HDF5 file")
    try:
        return h5py.File(name, "r")
    except OSError as error:
        raise DataError(f"{name}: not an HDF5 file ({error})") from None


def _prefix(file, name):
    """The prefix of the x key the file holds: train_set_ or test_set_."""
    found = [prefix for prefix in PREFIXES if prefix + "x" in file]
    if len(found) == 1:
        return found[0]
    if found:
        raise DataError(f"{name}: holds both train_set_x and test_set_x; expected one set per file")
    keys = ", ".join(sorted(file.keys())) or "nothing"
    raise DataError(f"{name}: no train_set_x or test_set_x; the file holds {keys}")


def _read(file, key, name):
    """The whole array stored under `key`."""
    if key not in file:
        what = "the names of the two classes" if key == "list_classes" else "the labels"
        raise DataError(f"{name}: no {key} ({what})")
    if not isinstance(file[key], h5py.Dataset):
        raise DataError(f"{name}: {key} is a group, not an array")
    return np.asarray(file[key][()])


def _check_images(images, key, name):
    """images: (m, height, width[, channels]) or (m, n) whole numbers in 0..255."""
    if not 2 <= images.ndim <= 4:
        raise DataError(f"{name}: {key} has {images.ndim} dimension(s), shape {images.shape}; "
                        "expected (m, height, width) or (m, height, width, channels)")
    if images.dtype.kind not in "biuf":
        raise DataError(f"{name}: {key} holds {images.dtype} values, not pixels 0..255")
    fractional = images.dtype.kind == "f" and np.any(images != np.round(images))
    if images.size and (images.min() < 0 or images.max() > 255 or fractional):
        raise DataError(f"{name}: {key} pixel values must be whole numbers in 0..255, "
                        f"found values from {images.min()} to {images.max()}")


def _check_labels(labels, key, name):
    """labels: (m,), or (1, m) or (m, 1), holding only 0 and 1. Returns them as (m,) int64."""
    if labels.ndim > 2 or (labels.ndim == 2 and 1 not in labels.shape):
        raise DataError(f"{name}: {key} has shape {labels.shape}; expected one label per example, (m,)")
    labels = labels.reshape(-1)
    if labels.dtype.kind not in "biuf":
        raise DataError(f"{name}: {key} holds {labels.dtype} values; labels must be 0 or 1")
    others = np.setdiff1d(labels, [0, 1])
    if others.size:
        shown = ", ".join(str(value) for value in others[:5]) + (", ..." if others.size > 5 else "")
        raise DataError(f"{name}: {key} labels must be 0 or 1, found {shown}")
    return labels.astype(np.int64)


def _check_lengths(images, labels, prefix, name):
    m_images, m_labels = images.shape[0], labels.shape[0]
    if m_images != m_labels:
        raise DataError(f"{name}: {prefix}x holds {m_images} examples but {prefix}y holds {m_labels} labels")
    if m_images == 0:
        raise DataError(f"{name}: {prefix}x holds no examples")


def _class_names(classes, name):
    """classes: (2,) byte strings (or str). Returns a tuple of 2 str."""
    names = tuple(c.decode("utf-8") if isinstance(c, bytes) else str(c) for c in classes.reshape(-1))
    if len(names) != 2:
        raise DataError(f"{name}: list_classes must name 2 classes, found {len(names)}")
    return names
