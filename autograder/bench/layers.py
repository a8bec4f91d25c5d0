"""Benchmark: the kit's NumPy layer functions against an equivalent PyTorch CPU model, side by side.

`make bench` trains the original course's network, layers [12288, 20, 7, 5, 1] on 209 examples of
64x64x3 pixels, for one gradient-descent iteration at a time: once with the kit's reference
functions (L_model_forward, compute_cost, L_model_backward, update_parameters) and once with
PyTorch autograd computing exactly the same thing (float64, the same initial weights, the same
cost, the gradients of every W and b and of the input X, the same update), on the same number of
BLAS threads. It first checks that both sides give the same updated parameters, then times both
in alternating rounds and prints the median time per iteration, their ratio, and the NumPy
iteration's FLOP rate against this machine's float64 matrix-multiply rate. Layer 1's three products,
timed alone in the same rounds, show how much of that rate NumPy's BLAS leaves within reach.

A benchmark, not a test: it prints MISSED when a target is missed and never fails on speed.
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np
import threadpoolctl

from autograder.reference.step_by_step import L_model_backward, L_model_forward, compute_cost, update_parameters

LAYER_DIMS = [12288, 20, 7, 5, 1]  # the original course's 4-layer model on 64x64x3 images
EXAMPLES = 209  # the original course's training set
LEARNING_RATE = 0.0075
DATA_SEED, PARAMETER_SEED = 0, 1
AGREEMENT_TOLERANCE = 1e-9
MIN_MATMUL_FRACTION = 0.40
IDLE_SECONDS = 0.3
MAX_OTHERS_SHARE = 0.05  # above this, the machine was too busy for the times to mean much


def make_data(n_x, m, seed=DATA_SEED):
    """Pixel-like inputs in [0, 1) and 0/1 labels.

    Returns (X, Y) with X: (n_x, m) float64 and Y: (1, m) float64.
    """
    rng = np.random.default_rng(seed)
    X = rng.random((n_x, m))
    Y = rng.integers(0, 2, size=(1, m)).astype(np.float64)
    return X, Y


def make_parameters(layer_dims, seed=PARAMETER_SEED):
    """Initial weights randn * sqrt(1 / n_prev) and zero biases, drawn once for both sides.

    Returns parameters, a dict with Wl: (n_l, n_{l-1}) and bl: (n_l, 1) for l = 1..L, float64.
    """
    rng = np.random.default_rng(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = rng.standard_normal((layer_dims[l], layer_dims[l - 1])) * np.sqrt(1 / layer_dims[l - 1])
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters


def numpy_iteration(X, Y, parameters, learning_rate=LEARNING_RATE):
    """One gradient-descent iteration with the kit's reference functions.

    X: (n_0, m); Y: (1, m); parameters: Wl: (n_l, n_{l-1}), bl: (n_l, 1).
    Returns (updated_parameters, cost, grads); grads holds dA0: (n_0, m) among the others.
    """
    AL, caches = L_model_forward(X, parameters)
    cost = compute_cost(AL, Y)
    grads = L_model_backward(AL, Y, caches)
    return update_parameters(parameters, grads, learning_rate), cost, grads


def torch_iteration(torch, X, Y, weights, biases, learning_rate=LEARNING_RATE):
    """The same iteration with PyTorch autograd: same layout (features x examples), same cost, same update.

    X: (n_0, m) tensor with requires_grad, so that autograd computes dX as the kit computes dA0.
    weights[l-1]: (n_l, n_{l-1}) and biases[l-1]: (n_l, 1), leaf tensors with requires_grad.
    Returns (updated_weights, updated_biases, cost, dX); the inputs are left unchanged.
    """
    A = X
    for W, b in zip(weights[:-1], biases[:-1]):
        A = torch.relu(W @ A + b)
    AL = torch.sigmoid(weights[-1] @ A + biases[-1])
    cost = -torch.mean(Y * torch.log(AL) + (1 - Y) * torch.log(1 - AL))
    # autograd.grad returns the gradients without accumulating them into .grad between iterations.
    dX, *parameter_grads = torch.autograd.grad(cost, [X, *weights, *biases])
    dWs, dbs = parameter_grads[:len(weights)], parameter_grads[len(weights):]
    with torch.no_grad():
        updated_weights = [W - learning_rate * dW for W, dW in zip(weights, dWs)]
        updated_biases = [b - learning_rate * db for b, db in zip(biases, dbs)]
    return updated_weights, updated_biases, cost, dX


def to_torch(torch, X, Y, parameters):
    """Copies of the NumPy arrays as float64 tensors; X and the parameters require gradients."""
    L = len(parameters) // 2
    X_t = torch.from_numpy(X).clone().requires_grad_(True)
    Y_t = torch.from_numpy(Y).clone()
    weights = [torch.from_numpy(parameters[f"W{l}"]).clone().requires_grad_(True) for l in range(1, L + 1)]
    biases = [torch.from_numpy(parameters[f"b{l}"]).clone().requires_grad_(True) for l in range(1, L + 1)]
    return X_t, Y_t, weights, biases


def iteration_flops(layer_dims, m):
    """FLOPs of the matrix products of one iteration, 2*n*k*m each.

    Per layer l (n = n_l, k = n_{l-1}): forward W @ A_prev, backward dW = dZ @ A_prev.T and
    dA_prev = W.T @ dZ, the last for layer 1 too, since L_model_backward returns dA0.
    Element-wise operations (activations, cost, biases, update) are not counted: about
    m * sum(n_l) + 2 * (number of parameters) operations, under 0.5% here.
    """
    return sum(3 * 2 * layer_dims[l] * layer_dims[l - 1] * m for l in range(1, len(layer_dims)))


def matmul(n, k, m, seed=2):
    """An (n x k) @ (k x m) float64 NumPy product of C-contiguous operands, as a call, and its FLOPs."""
    rng = np.random.default_rng(seed)
    A, B = rng.standard_normal((n, k)), rng.standard_normal((k, m))
    return (lambda: A @ B), 2 * n * k * m


def layer_one_products(layer_dims, m, seed=3):
    """Layer 1's three products of one iteration, back to back, as a call, and their FLOPs.

    Forward W1 @ X, then dW1's dZ1 @ X.T and dA0's W1.T @ dZ1, on C-contiguous operands of the
    benchmark's shapes. Every implementation of the canonical API makes them, and they are nearly
    all of an iteration's FLOPs, so their rate bounds any NumPy code that makes them as BLAS calls.
    """
    rng = np.random.default_rng(seed)
    n1, n0 = layer_dims[1], layer_dims[0]
    X, W1, dZ1 = rng.random((n0, m)), rng.standard_normal((n1, n0)), rng.standard_normal((n1, m))
    return (lambda: (W1 @ X, dZ1 @ X.T, W1.T @ dZ1)), 3 * 2 * n1 * n0 * m


def numpy_blas():
    """threadpoolctl's record of the BLAS that NumPy calls (read before torch loads its own)."""
    numpy_dir = os.path.dirname(os.path.dirname(np.__file__))
    blas = [info for info in threadpoolctl.threadpool_info() if info["user_api"] == "blas"]
    own = [info for info in blas if info["filepath"].startswith(numpy_dir)]
    return (own or blas or [None])[0]


def timed_rounds(measured, rounds):
    """Time each entry of measured, {name: (function, calls)}, `calls` times in a row per round, the
    entries alternating within each round so that all see the same machine.
    Returns {name: [seconds per call in each round]}."""
    seconds = {name: [] for name in measured}
    for _ in range(rounds):
        for name, (function, calls) in measured.items():
            function()  # untimed: wakes the BLAS threads after the idle pause, as in a training loop
            start = time.perf_counter()
            for _ in range(calls):
                function()
            seconds[name].append((time.perf_counter() - start) / calls)
            # OpenBLAS's and PyTorch's worker threads spin for a while after their last call: let them go idle
            # rather than compete with the next entry for the cores.
            time.sleep(IDLE_SECONDS)
    return seconds


def cpu_seconds():
    """(CPU seconds the whole machine has been busy, CPU seconds of this process), or None off Linux."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(value) for value in stat.readline().split()[1:]]
    except OSError:
        return None
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    own = os.times()
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK"), own.user + own.system


def others_share(before, after, wall_seconds):
    """The share of all cores that other processes used between two cpu_seconds() readings, or None."""
    if before is None or after is None:
        return None
    others = (after[0] - before[0]) - (after[1] - before[1])
    return max(0.0, others / (wall_seconds * (os.cpu_count() or 1)))


def verdict(met):
    return "met" if met else "MISSED"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder.bench.layers", description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=20, help="iterations per side per round (default 20)")
    parser.add_argument("--rounds", type=int, default=7, help="alternating rounds; the median is reported (default 7)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed iterations per side first (default 3)")
    args = parser.parse_args(argv)

    blas = numpy_blas()
    threads = blas["num_threads"] if blas else 1
    try:
        import torch
    except ImportError:
        sys.exit("autograder.bench.layers: PyTorch is not installed in this environment; run `make bench`, "
                 "which installs it from requirements-bench.txt")
    torch.set_num_threads(threads)

    m = EXAMPLES
    print(f"network: layers {LAYER_DIMS}, m = {m} examples, float64, learning rate {LEARNING_RATE}")
    if blas:
        print(f"NumPy {np.__version__} BLAS: {blas['internal_api']} {blas.get('version')} "
              f"(kernel {blas.get('architecture')}, {blas['num_threads']} threads), {blas['filepath']}")
    else:
        print(f"NumPy {np.__version__} BLAS: threadpoolctl finds none; assuming 1 thread")
    coretype = {name: os.environ.get(name) for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    if any(coretype.values()):
        print(f"OPENBLAS_CORETYPE is set: {coretype} (it can slow a current OpenBLAS; "
              "the kernel above is the one used)")
    else:
        print("OPENBLAS_CORETYPE is not set")
    print(f"PyTorch {torch.__version__} (CUDA build: {torch.version.cuda}), torch.set_num_threads({threads}): "
          f"{torch.get_num_threads()} threads, MKL {'available' if torch.backends.mkl.is_available() else 'absent'}")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start")
    print("PyTorch side: X has requires_grad=True, so autograd also computes dX, as the kit's "
          "L_model_backward computes dA0")
    print()

    X, Y = make_data(LAYER_DIMS[0], m)
    parameters = make_parameters(LAYER_DIMS)
    X_t, Y_t, weights, biases = to_torch(torch, X, Y, parameters)

    # Equivalence first: a benchmark of two different computations means nothing.
    updated, cost, grads = numpy_iteration(X, Y, parameters)
    updated_weights, updated_biases, cost_t, dX = torch_iteration(torch, X_t, Y_t, weights, biases)
    L = len(LAYER_DIMS) - 1
    parameter_difference = max(
        max(np.max(np.abs(updated[f"W{l}"] - updated_weights[l - 1].numpy())),
            np.max(np.abs(updated[f"b{l}"] - updated_biases[l - 1].numpy())))
        for l in range(1, L + 1))
    cost_difference = abs(float(cost) - cost_t.item())
    # The course's dA are gradients of the summed loss: the 1/m enters in dW and db only, so dA0 = m * dcost/dX.
    input_gradient_difference = np.max(np.abs(grads["dA0"] - m * dX.numpy()))
    agree = max(parameter_difference, cost_difference, input_gradient_difference) < AGREEMENT_TOLERANCE
    print(f"one iteration, NumPy against PyTorch (cost {float(cost):.6f}):")
    print(f"  max |difference| of the updated W and b: {parameter_difference:.2e}")
    print(f"  |difference| of the cost:                {cost_difference:.2e}")
    print(f"  max |difference| of dA0 and m * X.grad:  {input_gradient_difference:.2e}  "
          f"(the course's dA carry no 1/m; max |dA0| = {np.max(np.abs(grads['dA0'])):.2e})")
    print(f"  {'agree' if agree else 'DISAGREE'} (tolerance {AGREEMENT_TOLERANCE:g})")
    if not agree:
        sys.exit("autograder.bench.layers: the two sides compute different things; not timing them")
    print()

    n1, n0, square = LAYER_DIMS[1], LAYER_DIMS[0], 1024
    skinny, skinny_flops = matmul(n1, n0, m)
    cube, cube_flops = matmul(square, square, square)
    sides = {
        "NumPy (kit reference)": (lambda: numpy_iteration(X, Y, parameters), args.iterations),
        "PyTorch (autograd)": (lambda: torch_iteration(torch, X_t, Y_t, weights, biases), args.iterations),
    }
    # The machine's matmul rate is measured in the same rounds, so that it sees the same load as the iterations.
    references = {
        f"({n1} x {n0}) @ ({n0} x {m})": (skinny, args.iterations, skinny_flops),
        f"({square} x {square}) @ ({square} x {square})": (cube, max(1, args.iterations // 4), cube_flops),
    }
    for function, _ in sides.values():
        for _ in range(args.warmup):
            function()
    products, products_flops = layer_one_products(LAYER_DIMS, m)
    ceiling_name = "layer 1's three products, back to back"
    for function, _, _ in references.values():
        function()
    products()
    print(f"timing: {args.warmup} warm-up iterations per side, then {args.rounds} alternating rounds "
          f"of {args.iterations} iterations per side and of the reference matmuls ...", flush=True)
    cpu_before, wall_start = cpu_seconds(), time.perf_counter()
    seconds = timed_rounds({**sides, **{name: entry[:2] for name, entry in references.items()},
                            ceiling_name: (products, args.iterations)}, args.rounds)
    busy = others_share(cpu_before, cpu_seconds(), time.perf_counter() - wall_start)
    numpy_ms, torch_ms = (statistics.median(seconds[name]) * 1e3 for name in sides)

    flops = iteration_flops(LAYER_DIMS, m)
    rates = {name: flop_count / statistics.median(seconds[name]) / 1e9
             for name, (_, _, flop_count) in references.items()}
    best_shape, best_rate = max(rates.items(), key=lambda item: item[1])
    achieved = flops / (numpy_ms / 1e3) / 1e9
    fraction = achieved / best_rate
    ratio = torch_ms / numpy_ms

    print()
    print(f"{'':32}{'ms / iteration (median)':>24}{'min':>9}{'max':>9}")
    for name in sides:
        values = seconds[name]
        print(f"{name:32}{statistics.median(values) * 1e3:24.2f}{min(values) * 1e3:9.2f}{max(values) * 1e3:9.2f}")
    print()
    print(f"FLOPs of one iteration (matrix products only, counted analytically): {flops / 1e6:.1f} MFLOP")
    for shape, rate in rates.items():
        print(f"NumPy float64 matmul {shape:>30}: {rate:6.1f} GFLOP/s (median of the rounds)")
    print(f"NumPy iteration: {achieved:.1f} GFLOP/s = {fraction:.0%} of the better matmul rate "
          f"({best_rate:.1f} GFLOP/s, {best_shape})")
    skinny_name = next(iter(references))
    print(f"                 = {achieved / rates[skinny_name]:.0%} of the rate of {skinny_name}, "
          "the shape of layer 1's forward product (for information)")
    ceiling_seconds = statistics.median(seconds[ceiling_name])
    ceiling = products_flops / ceiling_seconds / 1e9 / best_rate
    print(f"{ceiling_name}: {ceiling_seconds * 1e3:.2f} ms "
          f"({products_flops / flops:.1%} of the iteration's FLOPs) = {ceiling:.0%} of the better matmul rate:")
    print(f"                 a bound for any NumPy code that makes them as these three BLAS calls; "
          f"the kit's iteration takes {numpy_ms / 1e3 / ceiling_seconds:.2f}x their time")
    print()
    print(f"{'target':44}{'measured':>12}  verdict")
    print(f"{'NumPy no slower than PyTorch (PyTorch/NumPy >= 1)':44}{ratio:11.2f}x  {verdict(ratio >= 1)}")
    print(f"{'NumPy at least 40% of the matmul rate':44}{fraction:11.0%}   {verdict(fraction >= MIN_MATMUL_FRACTION)}")
    if busy is None:
        print("the share of the cores other processes used while timing is unknown (no /proc/stat)")
    elif busy > MAX_OTHERS_SHARE:
        print(f"warning: other processes used {busy:.0%} of the {os.cpu_count()} cores while timing: "
              "these times are not reliable; rerun `make bench` on a quiet machine")
    else:
        print(f"other processes used {busy:.0%} of the {os.cpu_count()} cores while timing")

if __name__ == "__main__":
    main()
