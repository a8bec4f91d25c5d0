"""autograder.generators.datasets: the committed digit files are exactly what the builder writes, and the README
tells the truth about them."""
import contextlib
import io

import numpy as np
import pytest
from sklearn.datasets import load_digits

from autograder.generators.datasets import DEFAULT_OUT, FILES, main, scale_pixels, stratified_split
from image_data import load_data

README = DEFAULT_OUT / "README.md"


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    """The data set built afresh into a temporary folder, and what the command printed."""
    out = tmp_path_factory.mktemp("datasets")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        main(["--out", str(out)])
    return out, printed.getvalue()


@pytest.mark.parametrize("filename", FILES.values())
def test_rebuilding_gives_byte_identical_files(rebuilt, filename):
    out, _ = rebuilt
    assert (out / filename).read_bytes() == (DEFAULT_OUT / filename).read_bytes(), (
        f"{DEFAULT_OUT / filename} is out of date: run `make datasets` and commit it")


def test_the_command_prints_every_file_it_wrote(rebuilt):
    out, printed = rebuilt
    for filename in FILES.values():
        assert str(out / filename) in printed


def readme_row(filename):
    """The cells of the README's table row for `filename`."""
    for line in README.read_text().splitlines():
        if line.startswith(f"| `{filename}` |"):
            return [cell.strip() for cell in line.strip("|").split("|")]
    raise AssertionError(f"{README} has no table row for {filename}")


@pytest.mark.parametrize("prefix, filename", FILES.items())
def test_the_readme_gives_the_true_sizes_and_class_balance(prefix, filename):
    data = load_data(DEFAULT_OUT / filename)
    m, positives = data.Y.size, int(data.Y.sum())
    expected = [f"`{filename}`", "training" if prefix == "train_set_" else "test", str(m), str(m - positives),
                str(positives), f"{100 * positives / m:.1f} %"]
    assert readme_row(filename) == expected


@pytest.mark.parametrize("filename", FILES.values())
def test_the_task_is_balanced(filename):
    share = load_data(DEFAULT_OUT / filename).Y.mean()
    assert 0.35 <= share <= 0.65


def test_the_split_is_three_to_one_within_every_digit_and_uses_every_example_once():
    digits = load_digits().target
    train_index, test_index = stratified_split(digits)
    assert np.array_equal(np.sort(np.concatenate([train_index, test_index])), np.arange(digits.size))
    for digit in range(10):
        count = np.sum(digits == digit)
        assert np.sum(digits[test_index] == digit) == round(count / 4)


def test_the_bundled_pictures_are_the_scikit_learn_digits_rescaled():
    digits = load_digits()
    train_index, test_index = stratified_split(digits.target)
    for filename, index in zip(FILES.values(), (train_index, test_index)):
        data = load_data(DEFAULT_OUT / filename)
        np.testing.assert_array_equal(data.images, scale_pixels(digits.images[index]))
        np.testing.assert_array_equal(data.Y[0], digits.target[index] >= 5)
        assert np.abs(data.X - digits.images[index].reshape(index.size, -1).T / 16).max() <= 1 / 510


def test_pixel_counts_0_to_16_map_to_0_to_255_rounding_half_up():
    pixels = scale_pixels(np.arange(17))
    assert pixels.dtype == np.uint8
    assert (pixels[0], pixels[8], pixels[16]) == (0, 128, 255)
    assert np.all(np.diff(pixels.astype(int)) > 0)
    np.testing.assert_array_equal(pixels, np.floor(np.arange(17) * 255 / 16 + 0.5))
