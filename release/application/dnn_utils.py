"""Activation functions and their derivatives for the step-by-step deep network.

Forward functions return ``(A, Z)``: the activation and the pre-activation ``Z``, which the
backward pass needs and which the layer stores as its ``activation_cache``.
Backward functions take ``(dA, Z)`` and return ``dZ = dA * g'(Z)``.

Every function is written so that no input, however large, makes NumPy warn: a warning on
stderr fails an nbgrader test cell.
"""
import numpy as np


def sigmoid(Z):
    """Logistic sigmoid, 1 / (1 + exp(-Z)), element-wise.

    Z: (n, m) pre-activation.
    Returns (A, Z) with A: (n, m), every entry in [0, 1].
    """
    Z = np.asarray(Z)
    # exp(-|Z|) never overflows; the two branches are the same function rearranged.
    exp_neg_abs = np.exp(-np.abs(Z))
    A = np.where(Z >= 0, 1 / (1 + exp_neg_abs), exp_neg_abs / (1 + exp_neg_abs))
    return A, Z


def relu(Z):
    """Rectified linear unit, max(0, Z), element-wise.

    Z: (n, m) pre-activation.
    Returns (A, Z) with A: (n, m).
    """
    Z = np.asarray(Z)
    A = np.maximum(0, Z)
    return A, Z


def sigmoid_backward(dA, Z):
    """Gradient of the cost with respect to Z for a sigmoid unit.

    dA: (n, m) gradient with respect to the activation A = sigmoid(Z).
    Z: (n, m) the activation_cache stored by the forward pass.
    Returns dZ: (n, m) = dA * s * (1 - s), with s = sigmoid(Z).
    """
    s, _ = sigmoid(Z)
    dZ = dA * s * (1 - s)
    assert dZ.shape == np.shape(Z)
    return dZ


def relu_backward(dA, Z):
    """Gradient of the cost with respect to Z for a ReLU unit.

    dA: (n, m) gradient with respect to the activation A = relu(Z).
    Z: (n, m) the activation_cache stored by the forward pass.
    Returns dZ: (n, m), equal to dA where Z > 0 and 0 elsewhere.
    """
    dZ = np.array(dA, dtype=float, copy=True)
    dZ[np.asarray(Z) <= 0] = 0
    assert dZ.shape == np.shape(Z)
    return dZ
