"""Draw the diagrams of the step-by-step notebook: `python -m autograder.generators.figures [--out DIR]`.

The PNGs are committed beside the instructor notebook, and `tests/test_figures.py` checks that
they are exactly what this script draws, so the script must stay deterministic: no randomness,
a fixed canvas (no tight bounding box) and no "Software" stamp in the PNG metadata.

The pixels are the same on every machine, but their compressed bytes are not: Pillow's zlib-ng picks its
code for the processor, and other zlib builds compress differently. So a PNG that already holds exactly
the pixels and metadata drawn is left as it is, and `make figures` (hence `make release`) changes no
committed byte on another machine.
"""
import argparse
import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # before pyplot: a maintainer may run this on a machine with no display

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch  # noqa: E402
from PIL import Image  # noqa: E402

from ..paths import ROOT  # noqa: E402

DEFAULT_OUT = ROOT / "source" / "step_by_step" / "images"
DPI = 100

# One calm palette for the three figures, so a colour means the same thing everywhere.
INK = "#2f3640"
MUTED = "#7f8c8d"
EDGE = "#b8c2cc"
FORWARD, FORWARD_FILL = "#3b6ea8", "#e3edf8"
BACKWARD, BACKWARD_FILL = "#c0603f", "#fbe9e2"
CACHE, CACHE_FILL = "#2a8c7e", "#e0f3ef"
NOTE_FILL = "#f4f5f7"


def _canvas(width, height):
    """A figure whose data units are inches, so positions and font sizes share one scale."""
    fig = plt.figure(figsize=(width, height), facecolor="white")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    return fig, ax


def same_picture(png, other_png):
    """Whether two PNGs (bytes or paths) hold the same pixels and the same metadata, however compressed."""
    with Image.open(io.BytesIO(png) if isinstance(png, bytes) else png) as one, \
            Image.open(io.BytesIO(other_png) if isinstance(other_png, bytes) else other_png) as other:
        return (one.mode, one.size, one.info) == (other.mode, other.size, other.info) \
            and np.array_equal(np.asarray(one), np.asarray(other))


def _save(fig, path):
    """Write `fig` to `path`, unless `path` already holds the same picture (see the module's docstring)."""
    drawn = io.BytesIO()
    fig.savefig(drawn, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    plt.close(fig)
    path = Path(path)
    if not (path.exists() and same_picture(drawn.getvalue(), path)):
        path.write_bytes(drawn.getvalue())


def _box(ax, x, y, w, h, text="", color=INK, fill="white", size=12, lw=1.6, **text_kw):
    """A rounded box centred on (x, y), with its text centred inside."""
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0,rounding_size=0.1",
                                facecolor=fill, edgecolor=color, linewidth=lw))
    if text:
        ax.text(x, y, text, ha="center", va="center", fontsize=size, color=INK, linespacing=1.5, **text_kw)


def _arrow(ax, start, end, color=INK, lw=1.6, linestyle="-", shrink=2):
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=16, color=color, linewidth=lw,
                                 linestyle=linestyle, shrinkA=shrink, shrinkB=shrink))


def _label(ax, x, y, text, size=13, **kw):
    """Text centred on (x, y) in the ink colour, unless told otherwise."""
    ax.text(x, y, text, **{"ha": "center", "va": "center", "fontsize": size, "color": INK, **kw})


def _vdots(ax, x, y, color=MUTED, gap=0.12):
    # Three markers rather than a glyph: the dots then match the circles' spacing exactly.
    ax.plot([x] * 3, [y - gap, y, y + gap], linestyle="none", marker="o", markersize=3.5, color=color)


def _hdots(ax, x, y, color=MUTED, gap=0.14):
    ax.plot([x - gap, x, x + gap], [y] * 3, linestyle="none", marker="o", markersize=4, color=color)


def draw_network_outline(path):
    """An L-layer network for binary classification: RELU hidden layers, one SIGMOID output unit."""
    fig, ax = _canvas(11, 6)
    radius, dots_y = 0.24, 2.15
    column = [4.1, 3.45, 2.8, 1.5]  # the last unit sits below the vertical dots
    # (x, unit heights, colour, fill, l, label under the column); layers 3 .. L-2 are left out.
    layers = [
        (1.0, column, MUTED, "white", "0", r"$X = A^{[0]}$"),
        (3.0, column, FORWARD, FORWARD_FILL, "1", "LINEAR → RELU"),
        (4.9, column, FORWARD, FORWARD_FILL, "2", "LINEAR → RELU"),
        (7.3, column, FORWARD, FORWARD_FILL, "L-1", "LINEAR → RELU"),
        (9.2, [2.8], BACKWARD, BACKWARD_FILL, "L", "LINEAR → SIGMOID"),
    ]
    skipped_after = 2  # no edges from layer 2 to layer L-1: the horizontal dots stand for them

    for i, ((x0, ys0, *_), (x1, ys1, *_)) in enumerate(zip(layers, layers[1:])):
        if i == skipped_after:
            continue
        for y0 in ys0:
            for y1 in ys1:
                ax.plot([x0 + radius, x1 - radius], [y0, y1], color=EDGE, linewidth=0.8, zorder=1)
    _hdots(ax, 6.1, 2.8, gap=0.2)

    for x, ys, color, fill, l, label in layers:
        for y in ys:
            ax.add_patch(Circle((x, y), radius, facecolor=fill, edgecolor=color, linewidth=1.6, zorder=2))
        if len(ys) > 1:
            _vdots(ax, x, dots_y)
        _label(ax, x, 5.5, rf"$l = {l}$", size=14)
        _label(ax, x, 5.0, rf"$n^{{[{l}]}}$ units", size=12, color=MUTED)
        if l == "0":
            _label(ax, x, 0.95, label, size=13)
        else:
            _label(ax, x, 0.95, label, size=12, color=color, fontweight="bold")
    for y, sub in zip(column, ["1", "2", "3", "n^{[0]}"]):
        _label(ax, 1.0, y, rf"$x_{{{sub}}}$", size=11, zorder=3)

    # Thin rules group the columns, so "hidden" clearly covers layers 1 to L-1 and nothing else.
    for x0, x1, text in [(0.4, 1.6, "input layer"), (2.4, 7.9, "hidden layers 1 … L−1"),
                         (8.5, 9.9, "output layer")]:
        ax.plot([x0, x1], [0.62, 0.62], color=EDGE, linewidth=1.2)
        _label(ax, (x0 + x1) / 2, 0.32, text, size=12, color=MUTED)

    _arrow(ax, (9.2 + radius, 2.8), (9.85, 2.8), color=BACKWARD)
    _label(ax, 9.9, 2.8, r"$\hat{y} = A^{[L]}$", size=15, ha="left")
    _save(fig, path)


def _tag(ax, x, y, text, color, fill, size=11):
    """A small label in a rounded frame, drawn over whatever line it sits on."""
    frame = dict(boxstyle="round,pad=0.25,rounding_size=0.2", facecolor=fill, edgecolor=color, linewidth=1)
    _label(ax, x, y, text, size=size, color=color, zorder=4, bbox=frame)


def draw_forward_backward_flow(path):
    """One training iteration: forward pass, cost, backward pass, then the parameter update."""
    fig, ax = _canvas(12, 7)
    fwd_y, bwd_y, grad_y, w, h = 5.2, 2.9, 1.75, 1.7, 0.95
    # Layers drawn in both rows: (x, l, activation); layers 2 .. L-2 are the dots.
    layers = [(2.3, "1", "RELU"), (5.6, "L-1", "RELU"), (8.15, "L", "SIGMOID")]
    (x1, _, _), (x_prev, _, _), (x_last, _, _) = layers
    dots_x, x0, cost_x, cost_w = 3.9, 0.6, 10.85, 1.7

    for x, l, act in layers:
        _box(ax, x, fwd_y, w, h, f"layer ${l}$\nLINEAR → {act}", color=FORWARD, fill=FORWARD_FILL,
             size=11)
        _box(ax, x, bwd_y, w, h, f"{act} backward\n→ LINEAR backward", color=BACKWARD, fill=BACKWARD_FILL,
             size=11)
        # The cache is the only thing the backward step gets from the forward step of its layer.
        _arrow(ax, (x, fwd_y - h / 2), (x, bwd_y + h / 2), color=CACHE, linestyle=(0, (4, 3)))
        _tag(ax, x, (fwd_y + bwd_y) / 2, f"cache ${l}$", CACHE, CACHE_FILL)
        _arrow(ax, (x, bwd_y - h / 2), (x, grad_y + 0.2), color=BACKWARD)
        _label(ax, x, grad_y, rf"$dW^{{[{l}]}},\ db^{{[{l}]}}$")
        _arrow(ax, (x, grad_y - 0.22), (x, 0.95), color=MUTED, lw=1.2)
    for y in (fwd_y, bwd_y):
        _hdots(ax, dots_x, y)

    _box(ax, x0, fwd_y, 0.9, 0.7, r"$X = A^{[0]}$", color=MUTED, size=12)
    _label(ax, x0, bwd_y, r"$dA^{[0]}$")
    _box(ax, cost_x, fwd_y, cost_w, h, "cost\n$J(A^{[L]}, Y)$", color=INK, fill=NOTE_FILL, size=12)

    # The gaps between columns, left to right, with what crosses each one forward and backward.
    gaps = [(x0 + 0.45, x1 - w / 2, "", ""),
            (x1 + w / 2, dots_x - 0.25, "$A^{[1]}$", "$dA^{[1]}$"),
            (dots_x + 0.25, x_prev - w / 2, "$A^{[L-2]}$", "$dA^{[L-2]}$"),
            (x_prev + w / 2, x_last - w / 2, "$A^{[L-1]}$", "$dA^{[L-1]}$"),
            (x_last + w / 2, cost_x - cost_w / 2, "$A^{[L]}$", None)]  # dA^[L] comes down from the cost
    for left, right, forward, backward in gaps:
        _arrow(ax, (left, fwd_y), (right, fwd_y), color=FORWARD)
        _label(ax, (left + right) / 2, fwd_y + 0.1, forward, size=11.5, va="bottom")
        if backward is not None:
            _arrow(ax, (right, bwd_y), (left, bwd_y), color=BACKWARD)
            _label(ax, (left + right) / 2, bwd_y + 0.1, backward, size=11.5, va="bottom")
    # The backward pass starts from the cost: down from its box, then left into layer L.
    ax.plot([cost_x, cost_x], [fwd_y - h / 2, bwd_y], color=BACKWARD, linewidth=1.6)
    _arrow(ax, (cost_x, bwd_y), (x_last + w / 2, bwd_y), color=BACKWARD, shrink=0)
    _label(ax, cost_x - 0.1, bwd_y + 0.1, r"$dA^{[L]}$", size=11.5, ha="right", va="bottom")

    # ":=" stays outside mathtext, which would space it as ": =".
    _box(ax, 6.0, 0.55, 11.4, 0.75, r"update parameters, for $l = 1, \ldots, L$:   "
         r"$W^{[l]}$ := $W^{[l]} - \alpha\, dW^{[l]}$,   $b^{[l]}$ := $b^{[l]} - \alpha\, db^{[l]}$",
         color=MUTED, fill=NOTE_FILL, size=13)
    for i, (label, color) in enumerate([("forward pass", FORWARD), ("backward pass", BACKWARD),
                                        ("cache", CACHE)]):
        x = 0.3 + 2.2 * i
        ax.plot([x, x + 0.5], [6.6, 6.6], color=color, linewidth=2.5,
                linestyle=(0, (4, 3)) if label == "cache" else "-")
        _label(ax, x + 0.65, 6.6, label, size=12, ha="left")
    _save(fig, path)


def _card(ax, x, y, name, shape):
    """A stored array: its name, and its shape underneath in a quieter colour."""
    _box(ax, x, y, 1.85, 0.95, color=CACHE, fill="white", lw=1.2)
    _label(ax, x, y + 0.17, name, size=14)
    _label(ax, x, y - 0.22, shape, size=11.5, color=MUTED)


def draw_cache_contents(path):
    """What the forward pass stores for layer l, and which backward step reads each part."""
    fig, ax = _canvas(11, 6.4)
    lin_x, act_x, top, bwd_y = 3.55, 8.35, 4.3, 1.55
    code = dict(family="monospace")

    _box(ax, 5.1, 4.75, 9.8, 2.95, color=CACHE, fill=CACHE_FILL)
    _label(ax, 0.45, 5.95, "cache = (linear_cache, activation_cache)", ha="left", **code)
    _label(ax, 9.8, 5.95, r"saved by the forward step of layer $l$", size=12, ha="right", color=MUTED)
    _box(ax, lin_x, 4.55, 6.2, 2.0, color=CACHE, fill="white", lw=1.2)
    _label(ax, 0.7, 5.25, "linear_cache = (A_prev, W, b)", size=12, ha="left", **code)
    for dx, name, shape in [(-2.05, r"$A^{[l-1]}$", r"$(n^{[l-1]}, m)$"),
                            (0, r"$W^{[l]}$", r"$(n^{[l]}, n^{[l-1]})$"),
                            (2.05, r"$b^{[l]}$", r"$(n^{[l]}, 1)$")]:
        _card(ax, lin_x + dx, top, name, shape)
    _box(ax, act_x, 4.55, 2.8, 2.0, color=CACHE, fill="white", lw=1.2)
    _label(ax, act_x, 5.25, "activation_cache = Z", size=12, **code)
    _card(ax, act_x, top, r"$Z^{[l]}$", r"$(n^{[l]}, m)$")

    # Backward runs right to left: the activation step first, then the linear step.
    _box(ax, act_x, bwd_y, 2.9, 0.95, "relu_backward  or\nsigmoid_backward", color=BACKWARD,
         fill=BACKWARD_FILL, size=12, family="monospace")
    _box(ax, lin_x, bwd_y, 2.6, 0.95, "linear_backward", color=BACKWARD, fill=BACKWARD_FILL, size=12,
         family="monospace")
    for x, what in [(lin_x, "reads linear_cache"), (act_x, "reads activation_cache")]:
        _arrow(ax, (x, 3.55), (x, bwd_y + 0.5), color=CACHE, linestyle=(0, (4, 3)))
        _label(ax, x + 0.12, 2.65, what, size=11, ha="left", color=CACHE)

    _arrow(ax, (10.85, bwd_y), (act_x + 1.45, bwd_y), color=BACKWARD, shrink=0)
    _label(ax, 10.3, bwd_y + 0.12, r"$dA^{[l]}$", va="bottom")
    _arrow(ax, (act_x - 1.45, bwd_y), (lin_x + 1.3, bwd_y), color=BACKWARD, shrink=0)
    _label(ax, (act_x + lin_x) / 2 + 0.07, bwd_y + 0.12, r"$dZ^{[l]}$", va="bottom")
    _arrow(ax, (lin_x - 1.3, bwd_y), (1.3, bwd_y), color=BACKWARD, shrink=0)
    _label(ax, 0.75, bwd_y, r"$dA^{[l-1]}$")
    _arrow(ax, (lin_x, bwd_y - 0.5), (lin_x, 0.6), color=BACKWARD, shrink=0)
    _label(ax, lin_x, 0.35, r"$dW^{[l]},\ db^{[l]}$")
    _save(fig, path)


FIGURES = {
    "network_outline.png": draw_network_outline,
    "forward_backward_flow.png": draw_forward_backward_flow,
    "cache_contents.png": draw_cache_contents,
}


def draw_all(out_dir=DEFAULT_OUT):
    """Draw every figure into `out_dir` and return the paths written, in FIGURES order."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, draw in FIGURES.items():
        path = out_dir / name
        draw(path)
        paths.append(path)
    return paths


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.generators.figures",
                                     description="Draw the diagrams of the step-by-step notebook as PNGs.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="folder for the PNGs (default: source/step_by_step/images)")
    args = parser.parse_args(argv)
    for path in draw_all(args.out):
        print(path)


if __name__ == "__main__":
    main()
