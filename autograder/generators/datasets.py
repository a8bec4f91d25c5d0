"""Build the application's data set: `python -m autograder.generators.datasets [--out DIR]` (or `make datasets`).

The pictures are scikit-learn's copy of the UCI "Optical Recognition of Handwritten Digits" data
(`sklearn.datasets.load_digits`: 1797 greyscale digits of 8 x 8 pixels, which ship inside the package, so
nothing is downloaded), posed as a binary task and written in the layout `image_data.load_data` reads:
`train_digits.h5` (train_set_x, train_set_y, list_classes) and `test_digits.h5` (test_set_...).

The task: is the digit 5, 6, 7, 8 or 9 (label 1) rather than 0, 1, 2, 3 or 4 (label 0)?
Why this one:
- balanced: 49.8 % positives in the training set, 50.0 % in the test set;
- not trivial: a label groups five unrelated shapes, so no single template separates them; logistic
  regression (scikit-learn, on the same pixels) reaches 91.1 % test accuracy, and a deep network has room
  to show what its hidden layers add;
- learnable by the course's network: the L-layer model [64, 20, 7, 5, 1] (ReLU, ReLU, ReLU, sigmoid), plain
  batch gradient descent, weights randn * sqrt(2 / n_prev), learning rate 0.05, reaches 95 % test
  accuracy within 200 to 800 iterations and 96.7 % to 98.2 % after 3000 (10 random initialisations),
  in under 2 seconds on one core; with weights randn * sqrt(1 / n_prev), 96.2 % at worst.
- robust: odd against even digits is as balanced and about as accurate, but with that task the network
  fits some training pictures so confidently that the sigmoid output rounds to exactly 1.0 within 3000
  iterations for some initialisations, and the cross-entropy's log(1 - AL) and dAL turn into NaN; with this
  task and the settings above, no initialisation out of 10 got there.
The classic lesson's learning rate, 0.0075, is too small for these 64 inputs: 93.6 % after 3000 iterations.

Pixels: the data set's counts 0..16 (on-pixels in a 4 x 4 block) are scaled to 0..255 by
pixel = (count * 255 + 8) // 16, that is count * 255 / 16 rounded half up, in integer arithmetic:
0 -> 0, 8 -> 128, 16 -> 255; `load_data`'s division by 255 gives back count / 16 to within 1/510.

Split: stratified by digit, so every digit keeps its share on both sides: for each digit, its examples are
shuffled with `np.random.RandomState(SEED)` (whose stream NumPy keeps stable across versions) and the first
round(25 %) go to the test set. Examples keep the data set's order within each set.

The files are byte-for-byte reproducible: no timestamps (`track_times=False`), the earliest HDF5 file
format, contiguous storage, and fixed-length class names; `tests/test_datasets.py` rebuilds and compares.
"""
import argparse
from pathlib import Path

import h5py
import numpy as np
from sklearn.datasets import load_digits

from ..paths import ROOT

DEFAULT_OUT = ROOT / "source" / "application" / "datasets"
SEED = 1
TEST_FRACTION = 0.25
FIRST_POSITIVE_DIGIT = 5
CLASSES = np.array([b"digit 0-4", b"digit 5-9"])  # fixed-length byte strings, dtype S9
FILES = {"train_set_": "train_digits.h5", "test_set_": "test_digits.h5"}


def scale_pixels(counts):
    """counts: (m, 8, 8) integers 0..16. Returns (m, 8, 8) uint8 in 0..255, count * 255 / 16 rounded half up."""
    counts = np.asarray(counts).astype(np.int64)
    return ((counts * 255 + 8) // 16).astype(np.uint8)


def binary_labels(digits):
    """digits: (m,) integers 0..9. Returns (m,) int64: 1 for digits 5..9, 0 for digits 0..4."""
    return (np.asarray(digits) >= FIRST_POSITIVE_DIGIT).astype(np.int64)


def stratified_split(digits, seed=SEED, test_fraction=TEST_FRACTION):
    """digits: (m,) the class of each example.

    Returns (train_index, test_index), sorted index arrays that together cover 0..m-1 once, with
    round(test_fraction * count) of each digit in the test set.
    """
    rng = np.random.RandomState(seed)
    train_index, test_index = [], []
    for digit in np.unique(digits):
        members = np.flatnonzero(digits == digit)
        members = members[rng.permutation(members.size)]
        n_test = int(round(test_fraction * members.size))
        test_index.append(members[:n_test])
        train_index.append(members[n_test:])
    return np.sort(np.concatenate(train_index)), np.sort(np.concatenate(test_index))


def write_set(path, prefix, images, labels):
    """Write one set in the layout of image_data.load_data.

    images: (m, 8, 8) uint8; labels: (m,) int64, 0 or 1; prefix: "train_set_" or "test_set_".
    """
    # libver="earliest" and no timestamps: the same arrays always give the same bytes.
    with h5py.File(path, "w", libver="earliest") as file:
        file.create_dataset(prefix + "x", data=images, track_times=False)
        file.create_dataset(prefix + "y", data=labels, track_times=False)
        file.create_dataset("list_classes", data=CLASSES, track_times=False)


def build(out=DEFAULT_OUT):
    """Write train_digits.h5 and test_digits.h5 into `out`. Returns [(path, m, positives), ...]."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    digits = load_digits()
    images, labels = scale_pixels(digits.images), binary_labels(digits.target)
    written = []
    for (prefix, filename), index in zip(FILES.items(), stratified_split(digits.target)):
        path = out / filename
        write_set(path, prefix, images[index], labels[index])
        written.append((path, index.size, int(labels[index].sum())))
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.generators.datasets",
                                     description="Write the application's data set: handwritten digits, 0-4 against 5-9.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR",
                        help=f"folder to write into (default: {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    written = build(args.out)
    width = max(len(str(path)) for path, _, _ in written)
    print(f"{'wrote':<{width}}  {'examples':>8}  {'label 1':>7}  {'share':>6}")
    for path, m, positives in written:
        print(f"{str(path):<{width}}  {m:>8}  {positives:>7}  {positives / m:>6.1%}")


if __name__ == "__main__":
    main()
