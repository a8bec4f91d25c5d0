"""Correct styles and typical bugs for the step_by_step assignment.

Every source is the complete text of a solution cell. It runs in the notebook, where `np`,
`sigmoid`, `relu`, `sigmoid_backward`, `relu_backward` and the other graded functions are defined.

CORRECT_STYLES: written differently from the reference, equal to it on every input (rtol 1e-6),
    seeding NumPy's global generator exactly as the API says, never changing an argument.
BUGS: the mistakes students make, as catalogue.Mistake (id, label, description for the student, source);
    each must lose its own function's points and no other, and is named by its description when a
    wrong answer behaves as it does (testCases/mistakes.py).
"""
from . import cell as _cell
from . import mistakes
from .variants import VARIANTS  # noqa: F401 (the diagnosis reads them beside BUGS)

CORRECT_STYLES = {
    "initialize_parameters": [
        ("standard_normal with size", _cell('''
def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(1)
    W1 = np.random.standard_normal(size=(n_h, n_x)) * 0.01
    b1 = np.zeros(shape=(n_h, 1))
    W2 = np.random.standard_normal(size=(n_y, n_h)) * 0.01
    b2 = np.zeros(shape=(n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
''')),
        ("np.random.normal with scale 0.01", _cell('''
def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(1)
    W1 = np.random.normal(0.0, 0.01, size=(n_h, n_x))
    W2 = np.random.normal(0.0, 0.01, size=(n_y, n_h))
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
''')),
        ("loop over the layer sizes", _cell('''
def initialize_parameters(n_x, n_h, n_y):
    """The deep initialisation, written out for a 2-layer network."""
    np.random.seed(1)
    layer_dims = [n_x, n_h, n_y]
    parameters = {}
    for l in (1, 2):
        parameters[f"W{l}"] = np.random.randn(layer_dims[l], layer_dims[l - 1]) / 100
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters
''')),
    ],
    "initialize_parameters_deep": [
        ("zip over consecutive sizes", _cell('''
def initialize_parameters_deep(layer_dims):
    np.random.seed(3)
    parameters = {}
    for l, (n_prev, n) in enumerate(zip(layer_dims[:-1], layer_dims[1:]), start=1):
        parameters[f"W{l}"] = 0.01 * np.random.randn(n, n_prev)
        parameters[f"b{l}"] = np.zeros((n, 1))
    return parameters
''')),
        ("weights drawn in a list first", _cell('''
def initialize_parameters_deep(layer_dims):
    np.random.seed(3)
    L = len(layer_dims)
    weights = [np.random.standard_normal(size=(layer_dims[l], layer_dims[l - 1])) * 0.01 for l in range(1, L)]
    parameters = {}
    for l, W in enumerate(weights, start=1):
        parameters["W" + str(l)] = W
        parameters["b" + str(l)] = np.zeros((W.shape[0], 1))
    return parameters
''')),
        ("while loop with np.random.normal", _cell('''
def initialize_parameters_deep(layer_dims):
    np.random.seed(3)
    parameters = {}
    l = 1
    while l < len(layer_dims):
        parameters["W%d" % l] = np.random.normal(scale=0.01, size=(layer_dims[l], layer_dims[l - 1]))
        parameters["b%d" % l] = np.zeros((layer_dims[l], 1))
        l += 1
    return parameters
''')),
    ],
    "linear_forward": [
        ("@ operator", _cell('''
def linear_forward(A, W, b):
    Z = W @ A + b
    return Z, (A, W, b)
''')),
        ("np.matmul and np.add", _cell('''
def linear_forward(A, W, b):
    Z = np.add(np.matmul(W, A), b)
    cache = (A, W, b)
    return Z, cache
''')),
        ("np.einsum", _cell('''
def linear_forward(A, W, b):
    Z = np.einsum("ij,jk->ik", W, A) + b
    return Z, (A, W, b)
''')),
    ],
    "linear_activation_forward": [
        ("activation looked up in a dict", _cell('''
def linear_activation_forward(A_prev, W, b, activation):
    activations = {"sigmoid": sigmoid, "relu": relu}
    Z, linear_cache = linear_forward(A_prev, W, b)
    A, activation_cache = activations[activation](Z)
    return A, (linear_cache, activation_cache)
''')),
        ("linear step and relu written inline", _cell('''
def linear_activation_forward(A_prev, W, b, activation):
    Z = W @ A_prev + b
    if activation == "relu":
        A = np.maximum(Z, 0)
    else:
        A, _ = sigmoid(Z)
    return A, ((A_prev, W, b), Z)
''')),
        ("match statement", _cell('''
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    match activation:
        case "sigmoid":
            A, activation_cache = sigmoid(Z)
        case "relu":
            A, activation_cache = relu(Z)
    cache = (linear_cache, activation_cache)
    return A, cache
''')),
    ],
    "L_model_forward": [
        ("one loop choosing the activation per layer", _cell('''
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = sum(1 for key in parameters if key.startswith("W"))
    for l in range(1, L + 1):
        activation = "sigmoid" if l == L else "relu"
        A, cache = linear_activation_forward(A, parameters["W%d" % l], parameters["b%d" % l], activation)
        caches.append(cache)
    return A, caches
''')),
        ("layers written inline without helpers", _cell('''
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L + 1):
        A_prev, W, b = A, parameters[f"W{l}"], parameters[f"b{l}"]
        Z = W @ A_prev + b
        A, activation_cache = relu(Z) if l < L else sigmoid(Z)
        caches.append(((A_prev, W, b), activation_cache))
    return A, caches
''')),
        ("the original template's idioms: keys built with str(l), activation = \"relu\" by keyword", _cell('''
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A_prev = A
        A, cache = linear_activation_forward(A_prev, parameters["W" + str(l)], parameters["b" + str(l)], activation = "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], activation = "sigmoid")
    caches.append(cache)
    return AL, caches
''')),
    ],
    "compute_cost": [
        ("np.mean", _cell('''
def compute_cost(AL, Y):
    cost = -np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))
    return np.squeeze(cost)
''')),
        ("np.dot then np.squeeze", _cell('''
def compute_cost(AL, Y):
    m = Y.shape[1]
    cost = -(np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T)) / m
    cost = np.squeeze(cost)  # (1, 1) -> ()
    return cost
''')),
        ("np.multiply and float", _cell('''
def compute_cost(AL, Y):
    m = Y.shape[1]
    logprobs = np.multiply(Y, np.log(AL)) + np.multiply(1 - Y, np.log(1 - AL))
    return float(-np.sum(logprobs) / m)
''')),
        ("log of the probability of the true label", _cell('''
def compute_cost(AL, Y):
    return -np.mean(np.log(np.where(Y == 1, AL, 1 - AL)))
''')),
    ],
    "linear_backward": [
        ("@ and np.mean for db", _cell('''
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = dZ @ A_prev.T / m
    db = np.mean(dZ, axis=1, keepdims=True)
    dA_prev = W.T @ dZ
    return dA_prev, dW, db
''')),
        ("np.einsum and reshape", _cell('''
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = dZ.shape[1]
    dW = np.einsum("ik,jk->ij", dZ, A_prev) / m
    db = dZ.sum(axis=1).reshape(-1, 1) / m
    dA_prev = np.einsum("ji,jk->ik", W, dZ)
    return dA_prev, dW, db
''')),
        ("np.multiply by 1/m", _cell('''
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.multiply(1 / m, np.dot(dZ, A_prev.T))
    db = np.multiply(1 / m, np.sum(dZ, axis=1, keepdims=True))
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db
''')),
    ],
    "linear_activation_backward": [
        ("backward function looked up in a dict", _cell('''
def linear_activation_backward(dA, cache, activation):
    backward = {"relu": relu_backward, "sigmoid": sigmoid_backward}[activation]
    linear_cache, activation_cache = cache
    return linear_backward(backward(dA, activation_cache), linear_cache)
''')),
        ("derivatives and linear step written inline", _cell('''
def linear_activation_backward(dA, cache, activation):
    (A_prev, W, b), Z = cache
    if activation == "relu":
        dZ = dA * (Z > 0)
    else:
        s, _ = sigmoid(Z)
        dZ = dA * s * (1 - s)
    m = A_prev.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, dZ.sum(axis=1, keepdims=True) / m
''')),
    ],
    "L_model_backward": [
        ("while loop counting down", _cell('''
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dA = -(Y / AL - (1 - Y) / (1 - AL))
    activation = "sigmoid"
    l = L
    while l >= 1:
        dA, grads[f"dW{l}"], grads[f"db{l}"] = linear_activation_backward(dA, caches[l - 1], activation)
        grads[f"dA{l - 1}"] = dA
        activation = "relu"
        l -= 1
    return grads
''')),
        ("dAL as (AL - Y) / (AL (1 - AL))", _cell('''
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dA = (AL - Y) / (AL * (1 - AL))
    for l, cache in reversed(list(enumerate(caches, start=1))):
        activation = "sigmoid" if l == L else "relu"
        dA, grads["dW" + str(l)], grads["db" + str(l)] = linear_activation_backward(dA, cache, activation)
        grads["dA" + str(l - 1)] = dA
    return grads
''')),
        ("layers written inline without helpers", _cell('''
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for l in range(L, 0, -1):
        (A_prev, W, b), Z = caches[l - 1]
        dZ = sigmoid_backward(dA, Z) if l == L else relu_backward(dA, Z)
        m = A_prev.shape[1]
        grads[f"dW{l}"] = dZ @ A_prev.T / m
        grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True) / m
        dA = W.T @ dZ
        grads[f"dA{l - 1}"] = dA
    return grads
''')),
        ("the original template's idioms: reversed(range(L - 1)), *_temp names, keyword activation", _cell('''
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    m = AL.shape[1]
    Y = Y.reshape(AL.shape)
    dAL = - (np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    current_cache = caches[L - 1]
    dA_prev_temp, dW_temp, db_temp = linear_activation_backward(dAL, current_cache, activation = "sigmoid")
    grads["dA" + str(L - 1)] = dA_prev_temp
    grads["dW" + str(L)] = dW_temp
    grads["db" + str(L)] = db_temp
    for l in reversed(range(L - 1)):
        current_cache = caches[l]
        dA_prev_temp, dW_temp, db_temp = linear_activation_backward(grads["dA" + str(l + 1)], current_cache, activation = "relu")
        grads["dA" + str(l)] = dA_prev_temp
        grads["dW" + str(l + 1)] = dW_temp
        grads["db" + str(l + 1)] = db_temp
    return grads
''')),
    ],
    "update_parameters": [
        ("dict comprehension", _cell('''
def update_parameters(params, grads, learning_rate):
    return {key: value - learning_rate * grads["d" + key] for key, value in params.items()}
''')),
        ("in-place update of copied arrays", _cell('''
def update_parameters(params, grads, learning_rate):
    parameters = {key: value.copy() for key, value in params.items()}
    for l in range(1, len(parameters) // 2 + 1):
        parameters["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] -= learning_rate * grads["db" + str(l)]
    return parameters
''')),
        ("np.subtract into a new dict", _cell('''
def update_parameters(params, grads, learning_rate):
    parameters = {}
    L = len(params) // 2
    for l in range(1, L + 1):
        for name in ("W", "b"):
            key = f"{name}{l}"
            parameters[key] = np.subtract(params[key], np.multiply(learning_rate, grads["d" + key]))
    return parameters
''')),
        ("the original template's idioms: copy.deepcopy of the parameters, layers counted from 0", _cell('''
def update_parameters(params, grads, learning_rate):
    import copy
    parameters = copy.deepcopy(params)
    L = len(parameters) // 2
    for l in range(L):
        parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * grads["dW" + str(l + 1)]
        parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * grads["db" + str(l + 1)]
    return parameters
''')),
    ],
}


BUGS = mistakes({
    "initialize_parameters": [
        ("n_y ignored: the output layer has one unit",
         "W2 and b2 have one row whatever n_y is: draw W2 with the shape (n_y, n_h) and make b2 of zeros (n_y, 1)",
         _cell('''
def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(1)
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(1, n_h) * 0.01
    b2 = np.zeros((1, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
''')),
        ("hard-coded answer of the visible check",
         'it returns the same numbers whatever n_x, n_h and n_y are: draw the weights for the sizes given instead of copying the expected output',
         _cell('''
def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(1)
    W1 = np.array([[0.01624345363663242, -0.006117564136500754, -0.005281717522634557],
                   [-0.010729686221561705, 0.008654076293246785, -0.02301538696880283]])
    b1 = np.array([[0.0], [0.0]])
    W2 = np.array([[0.0174481176421648, -0.007612069008951028]])
    b2 = np.array([[0.0]])
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
''')),
        ("scale 0.1 instead of 0.01",
         'the weights are 10 times too large: scale the random numbers by 0.01, not 0.1',
         _cell('''
def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(1)
    W1 = np.random.randn(n_h, n_x) * 0.1
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.1
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
''')),
        ("missing seed",
         'the weights change from run to run: call np.random.seed(1) first, as the template does',
         _cell('''
def initialize_parameters(n_x, n_h, n_y):
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
''')),
        ("wrong seed",
         'the weights come from another seed: call np.random.seed(1), as the template says',
         _cell('''
def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(3)
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
''')),
        ("W drawn as randn(n_prev, n)",
         "W1 and W2 are transposed: a layer's W has shape (units of the layer, units of the layer before), so draw randn(n_h, n_x)",
         _cell('''
def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(1)
    W1 = np.random.randn(n_x, n_h) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_h, n_y) * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
''')),
        ("W drawn transposed then turned with .T",
         'W1 has the right shape but its random numbers in the wrong places: draw randn(n_h, n_x) directly rather than transposing randn(n_x, n_h)',
         _cell('''
def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(1)
    W1 = np.random.randn(n_x, n_h).T * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_h, n_y).T * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
''')),
        ("bias initialised randomly",
         'the biases are random: initialise b1 and b2 with zeros',
         _cell('''
def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(1)
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.random.randn(n_h, 1) * 0.01
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.random.randn(n_y, 1) * 0.01
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
''')),
        ("W2 drawn before W1",
         'W1 and W2 are drawn in the wrong order: draw W1 first, then W2, so each gets its share of the seeded numbers',
         _cell('''
def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(1)
    W2 = np.random.randn(n_y, n_h) * 0.01
    W1 = np.random.randn(n_h, n_x) * 0.01
    return {"W1": W1, "b1": np.zeros((n_h, 1)), "W2": W2, "b2": np.zeros((n_y, 1))}
''')),
    ],
    "initialize_parameters_deep": [
        ("the application's scaled initialisation",
         "this is the application's initialize_parameters_deep (seed 1, divided by np.sqrt(n_prev)): this notebook's seeds with 3 and scales by 0.01",
         _cell('''
def initialize_parameters_deep(layer_dims):
    np.random.seed(1)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
''')),
        ("off-by-one loop drops the last layer",
         'the last layer is missing: loop over l = 1 ... L - 1 with L = len(layer_dims)',
         _cell('''
def initialize_parameters_deep(layer_dims):
    np.random.seed(3)
    parameters = {}
    L = len(layer_dims)
    for l in range(1, L - 1):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
''')),
        ("loop from 0 adds a layer W0",
         'there is an extra layer 0 (W0, b0): start the loop at l = 1',
         _cell('''
def initialize_parameters_deep(layer_dims):
    np.random.seed(3)
    parameters = {}
    for l in range(len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
''')),
        ("wrong seed",
         'the weights come from another seed: call np.random.seed(3), as the template says',
         _cell('''
def initialize_parameters_deep(layer_dims):
    np.random.seed(1)
    parameters = {}
    L = len(layer_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
''')),
        ("seed reset inside the loop",
         'every layer starts from the same random numbers: seed once, before the loop, not inside it',
         _cell('''
def initialize_parameters_deep(layer_dims):
    parameters = {}
    L = len(layer_dims)
    for l in range(1, L):
        np.random.seed(3)
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
''')),
        ("scale 0.1 instead of 0.01",
         'the weights are 10 times too large: scale the random numbers by 0.01, not 0.1',
         _cell('''
def initialize_parameters_deep(layer_dims):
    np.random.seed(3)
    parameters = {}
    L = len(layer_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.1
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
''')),
        ("bias initialised randomly",
         'the biases are random: initialise every bl with zeros of shape (layer_dims[l], 1)',
         _cell('''
def initialize_parameters_deep(layer_dims):
    np.random.seed(3)
    parameters = {}
    L = len(layer_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters["b" + str(l)] = np.random.randn(layer_dims[l], 1) * 0.01
    return parameters
''')),
        ("W drawn as randn(n_prev, n)",
         'each Wl is transposed: it has shape (layer_dims[l], layer_dims[l - 1])',
         _cell('''
def initialize_parameters_deep(layer_dims):
    np.random.seed(3)
    parameters = {}
    L = len(layer_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l - 1], layer_dims[l]) * 0.01
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
''')),
    ],
    "linear_forward": [
        ("hard-coded Z of the visible check",
         'Z is the same whatever A, W and b are: compute it from the arguments instead of copying the expected output',
         _cell('''
def linear_forward(A, W, b):
    Z = np.array([[-2.119056720418311, -1.4379263736325036]])
    cache = (A, W, b)
    return Z, cache
''')),
        ("W.T instead of W",
         'W is used transposed: Z = W A + b takes W itself, of shape (n, n_prev)',
         _cell('''
def linear_forward(A, W, b):
    Z = np.dot(W.T, A) + b
    cache = (A, W, b)
    return Z, cache
''')),
        ("missing + b",
         'Z misses the bias: add b, which broadcasts over the examples',
         _cell('''
def linear_forward(A, W, b):
    Z = np.dot(W, A)
    cache = (A, W, b)
    return Z, cache
''')),
        ("cache flattened to (A, W, b, Z)",
         'the linear cache holds Z too: it is (A, W, b) only',
         _cell('''
def linear_forward(A, W, b):
    Z = np.dot(W, A) + b
    cache = (A, W, b, Z)
    return Z, cache
''')),
        ("cache in the order (W, A, b)",
         'the cache holds its items in the wrong order: it is (A, W, b)',
         _cell('''
def linear_forward(A, W, b):
    Z = np.dot(W, A) + b
    cache = (W, A, b)
    return Z, cache
''')),
        ("element-wise W * A instead of the matrix product",
         'W * A multiplies element by element: the linear step needs the matrix product of W and A (np.dot)',
         _cell('''
def linear_forward(A, W, b):
    Z = W * A + b
    cache = (A, W, b)
    return Z, cache
''')),
    ],
    "linear_activation_forward": [
        ("swapped activations",
         "the activations are swapped: 'sigmoid' should apply sigmoid, and 'relu' relu",
         _cell('''
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A, activation_cache = relu(Z)
    elif activation == "relu":
        A, activation_cache = sigmoid(Z)
    cache = (linear_cache, activation_cache)
    return A, cache
''')),
        ("cache swapped to (Z, linear_cache)",
         'the cache is in the wrong order: it is (linear_cache, activation_cache)',
         _cell('''
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A, activation_cache = sigmoid(Z)
    elif activation == "relu":
        A, activation_cache = relu(Z)
    cache = (activation_cache, linear_cache)
    return A, cache
''')),
        ("cache flattened to (A_prev, W, b, Z)",
         'the cache is a flat tuple of four arrays: keep the pair (linear_cache, activation_cache)',
         _cell('''
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A, activation_cache = sigmoid(Z)
    elif activation == "relu":
        A, activation_cache = relu(Z)
    cache = (A_prev, W, b, Z)
    return A, cache
''')),
        ("A cached instead of Z",
         'the activation cache holds the output A: it should hold Z, what the activation was applied to',
         _cell('''
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A, _ = sigmoid(Z)
    elif activation == "relu":
        A, _ = relu(Z)
    cache = (linear_cache, A)
    return A, cache
''')),
        ("relu whatever the activation",
         "relu is applied even when activation is 'sigmoid': choose the function by the activation argument",
         _cell('''
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    A, activation_cache = relu(Z)
    cache = (linear_cache, activation_cache)
    return A, cache
''')),
        ("cache holds only linear_cache",
         'the cache misses the activation cache: return (linear_cache, activation_cache) as the cache',
         _cell('''
def linear_activation_forward(A_prev, W, b, activation):
    Z, linear_cache = linear_forward(A_prev, W, b)
    if activation == "sigmoid":
        A, activation_cache = sigmoid(Z)
    elif activation == "relu":
        A, activation_cache = relu(Z)
    return A, linear_cache
''')),
    ],
    "L_model_forward": [
        ("the last layer's Z returned as AL",
         "AL is the last layer's Z: return its sigmoid, the A that linear_activation_forward(..., 'sigmoid') returns",
         _cell('''
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    Z, linear_cache = linear_forward(A, parameters["W" + str(L)], parameters["b" + str(L)])
    probabilities, activation_cache = sigmoid(Z)
    caches.append((linear_cache, activation_cache))
    return Z, caches
''')),
        ("the layers' outputs appended instead of their caches",
         "caches holds the layers' outputs A: append each layer's cache, the (linear_cache, activation_cache) pair",
         _cell('''
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(A)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    caches.append(AL)
    return AL, caches
''')),
        ("every layer fed X (works for L = 2 only)",
         'every hidden layer is given X: feed each layer the output A of the layer before it',
         _cell('''
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = linear_activation_forward(X, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    caches.append(cache)
    return AL, caches
''')),
        ("two layers written out (L = 2 only)",
         'it works for a network of two layers only: loop over the L = len(parameters) // 2 layers',
         _cell('''
def L_model_forward(X, parameters):
    A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
    AL, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
    return AL, [cache1, cache2]
''')),
        ("off-by-one loop skips the last hidden layer",
         'a hidden layer is skipped: the relu layers are l = 1 ... L - 1, so loop over range(1, L)',
         _cell('''
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L - 1):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    caches.append(cache)
    return AL, caches
''')),
        ("forgets the last layer's sigmoid",
         'the last layer uses relu: after the L - 1 relu layers, the output layer is a sigmoid layer',
         _cell('''
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L + 1):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    return A, caches
''')),
        ("swapped activations",
         'the activations are swapped: relu for the hidden layers, sigmoid for the last one',
         _cell('''
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "sigmoid")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "relu")
    caches.append(cache)
    return AL, caches
''')),
        ("relu and sigmoid called on Z directly",
         "each cache is Z alone: call linear_activation_forward for every layer, whose cache is "
         "(linear_cache, activation_cache)",
         _cell('''
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = relu(np.dot(parameters["W" + str(l)], A) + parameters["b" + str(l)])
        caches.append(cache)
    AL, cache = sigmoid(np.dot(parameters["W" + str(L)], A) + parameters["b" + str(L)])
    caches.append(cache)
    return AL, caches
''')),
        ("last layer's cache not appended",
         "caches misses the last layer's cache: append it too, so that caches has L entries",
         _cell('''
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters["W" + str(L)], parameters["b" + str(L)], "sigmoid")
    return AL, caches
''')),
    ],
    "compute_cost": [
        ("hard-coded cost of the visible check",
         'the cost is the same whatever AL and Y are: compute it from the arguments instead of copying the expected output',
         _cell('''
def compute_cost(AL, Y):
    return 0.2797765635793423
''')),
        ("unsqueezed (1, 1) cost",
         'the cost is a (1, 1) array: turn it into a number with np.squeeze',
         _cell('''
def compute_cost(AL, Y):
    m = Y.shape[1]
    cost = -(np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T)) / m
    return cost
''')),
        ("wrong sign",
         'the cost has the wrong sign: it is minus the average of the log-likelihood terms',
         _cell('''
def compute_cost(AL, Y):
    m = Y.shape[1]
    cost = np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m
    return np.squeeze(cost)
''')),
        ("missing 1/m",
         'the cost is m times too large: divide the sum by m',
         _cell('''
def compute_cost(AL, Y):
    cost = -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL))
    return np.squeeze(cost)
''')),
        ("forgets the (1 - Y) term",
         'the (1 - Y) log(1 - AL) term is missing from the sum',
         _cell('''
def compute_cost(AL, Y):
    m = Y.shape[1]
    cost = -np.sum(Y * np.log(AL)) / m
    return np.squeeze(cost)
''')),
        ("log10 instead of the natural log",
         'np.log10 is the base-10 logarithm: the cross-entropy uses the natural logarithm, np.log',
         _cell('''
def compute_cost(AL, Y):
    m = Y.shape[1]
    cost = -np.sum(Y * np.log10(AL) + (1 - Y) * np.log10(1 - AL)) / m
    return np.squeeze(cost)
''')),
    ],
    "linear_backward": [
        ("db squeezed",
         "db is squeezed: keep the shape (n, 1) of b, np.sum(dZ, axis=1, keepdims=True) / m without np.squeeze",
         _cell('''
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T) / m
    db = np.squeeze(np.sum(dZ, axis=1, keepdims=True)) / m
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db
''')),
        ("missing 1/m in dW",
         'dW is m times too large: divide it by m',
         _cell('''
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T)
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db
''')),
        ("missing 1/m in db",
         'db is m times too large: divide it by m',
         _cell('''
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T) / m
    db = np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db
''')),
        ("db without keepdims",
         'db is a flat array: sum with keepdims=True so that it keeps the shape (n, 1) of b',
         _cell('''
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T) / m
    db = np.sum(dZ, axis=1) / m
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db
''')),
        ("dW transposed",
         'dW is transposed: it is dZ times A_prev transposed, of the shape of W',
         _cell('''
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(A_prev, dZ.T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db
''')),
        ("db summed over the units (axis=0)",
         'db is summed over the units: sum over the examples instead (axis=1)',
         _cell('''
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T) / m
    db = np.sum(dZ, axis=0, keepdims=True) / m
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db
''')),
        ("dA_prev divided by m too",
         'dA_prev is divided by m: only dW and db are averaged over the examples',
         _cell('''
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = np.dot(W.T, dZ) / m
    return dA_prev, dW, db
''')),
        ("W instead of W.T in dA_prev",
         'dA_prev takes the transpose of W: W.T times dZ, of shape (n_prev, m)',
         _cell('''
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = np.dot(W, dZ)
    return dA_prev, dW, db
''')),
    ],
    "linear_activation_backward": [
        ("relu_backward for the sigmoid layer",
         "the sigmoid layer goes back through relu_backward: use sigmoid_backward when activation is 'sigmoid'",
         _cell('''
def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    dZ = relu_backward(dA, activation_cache)
    dA_prev, dW, db = linear_backward(dZ, linear_cache)
    return dA_prev, dW, db
''')),
        ("swapped activations",
         "the activations are swapped: 'relu' needs relu_backward and 'sigmoid' sigmoid_backward",
         _cell('''
def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    if activation == "relu":
        dZ = sigmoid_backward(dA, activation_cache)
    elif activation == "sigmoid":
        dZ = relu_backward(dA, activation_cache)
    dA_prev, dW, db = linear_backward(dZ, linear_cache)
    return dA_prev, dW, db
''')),
        ("skips the activation (dZ = dA)",
         'dA goes to linear_backward as it is: first turn it into dZ with relu_backward or sigmoid_backward',
         _cell('''
def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    dA_prev, dW, db = linear_backward(dA, linear_cache)
    return dA_prev, dW, db
''')),
        ("sigmoid instead of its derivative",
         'dZ uses the sigmoid itself, not its derivative: call sigmoid_backward(dA, activation_cache)',
         _cell('''
def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    if activation == "relu":
        dZ = relu_backward(dA, activation_cache)
    elif activation == "sigmoid":
        s, _ = sigmoid(activation_cache)
        dZ = dA * s
    dA_prev, dW, db = linear_backward(dZ, linear_cache)
    return dA_prev, dW, db
''')),
        ("cache unpacked as (activation_cache, linear_cache)",
         'the cache is unpacked in the wrong order: it is (linear_cache, activation_cache)',
         _cell('''
def linear_activation_backward(dA, cache, activation):
    activation_cache, linear_cache = cache
    if activation == "relu":
        dZ = relu_backward(dA, activation_cache)
    elif activation == "sigmoid":
        dZ = sigmoid_backward(dA, activation_cache)
    dA_prev, dW, db = linear_backward(dZ, linear_cache)
    return dA_prev, dW, db
''')),
        ("gradients returned as (dW, db, dA_prev)",
         'the gradients are returned in the wrong order: return dA_prev, dW, db',
         _cell('''
def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    if activation == "relu":
        dZ = relu_backward(dA, activation_cache)
    elif activation == "sigmoid":
        dZ = sigmoid_backward(dA, activation_cache)
    dA_prev, dW, db = linear_backward(dZ, linear_cache)
    return dW, db, dA_prev
''')),
    ],
    "L_model_backward": [
        ("every layer goes back from dAL through sigmoid",
         "every layer goes back from dAL through sigmoid_backward: only the output layer does; a hidden layer takes the dA of the layer after it, through relu",
         _cell('''
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    for l in range(L, 0, -1):
        linear_cache, activation_cache = caches[l - 1]
        dA_prev, dW, db = linear_backward(sigmoid_backward(dAL, activation_cache), linear_cache)
        grads["dA" + str(l - 1)], grads["dW" + str(l)], grads["db" + str(l)] = dA_prev, dW, db
    return grads
''')),
        ("dAL fed to every hidden relu layer",
         "every hidden layer is given dAL: feed each layer the dA that the layer after it returned, grads['dA' + str(l)]",
         _cell('''
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = \
        linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    for l in reversed(range(L - 1)):
        grads["dA" + str(l)], grads["dW" + str(l + 1)], grads["db" + str(l + 1)] = \
            linear_activation_backward(dAL, caches[l], "relu")
    return grads
''')),
        ("the last cache for every layer",
         "every layer goes back through the last layer's cache: layer l's cache is caches[l - 1]",
         _cell('''
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    current_cache = caches[L - 1]
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = \
        linear_activation_backward(dAL, current_cache, "sigmoid")
    for l in reversed(range(L - 1)):
        grads["dA" + str(l)], grads["dW" + str(l + 1)], grads["db" + str(l + 1)] = \
            linear_activation_backward(grads["dA" + str(l + 1)], current_cache, "relu")
    return grads
''')),
        ("wrong sign in dAL",
         'dAL has the wrong sign: mind the minus sign in front of the derivative of the cost',
         _cell('''
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = np.divide(Y, AL) - np.divide(1 - Y, 1 - AL)
    dA_prev, dW, db = linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = dA_prev, dW, db
    for l in reversed(range(1, L)):
        dA_prev, dW, db = linear_activation_backward(grads["dA" + str(l)], caches[l - 1], "relu")
        grads["dA" + str(l - 1)], grads["dW" + str(l)], grads["db" + str(l)] = dA_prev, dW, db
    return grads
''')),
        ("every layer fed dA{L-1} (works for L = 2 only)",
         'every layer is given dA{L-1}: feed each layer the dA that the layer after it returned',
         _cell('''
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    dA_prev, dW, db = linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = dA_prev, dW, db
    for l in reversed(range(1, L)):
        dA_prev, dW, db = linear_activation_backward(grads["dA" + str(L - 1)], caches[l - 1], "relu")
        grads["dA" + str(l - 1)], grads["dW" + str(l)], grads["db" + str(l)] = dA_prev, dW, db
    return grads
''')),
        ("relu_backward for the sigmoid layer",
         'the output layer goes back through relu: layer L is a sigmoid layer',
         _cell('''
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    dA_prev, dW, db = linear_activation_backward(dAL, caches[L - 1], "relu")
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = dA_prev, dW, db
    for l in reversed(range(1, L)):
        dA_prev, dW, db = linear_activation_backward(grads["dA" + str(l)], caches[l - 1], "relu")
        grads["dA" + str(l - 1)], grads["dW" + str(l)], grads["db" + str(l)] = dA_prev, dW, db
    return grads
''')),
        ("off-by-one loop stops before layer 1",
         'layer 1 gets no gradients: the loop must go all the way down to the first layer',
         _cell('''
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    dA_prev, dW, db = linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = dA_prev, dW, db
    for l in reversed(range(2, L)):
        dA_prev, dW, db = linear_activation_backward(grads["dA" + str(l)], caches[l - 1], "relu")
        grads["dA" + str(l - 1)], grads["dW" + str(l)], grads["db" + str(l)] = dA_prev, dW, db
    return grads
''')),
        ("dA stored under its own layer's index",
         'grads has an extra key dA{L}: it holds dA0 ... dA{L-1}, with dWl and dbl for each layer',
         _cell('''
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    grads["dA" + str(L)] = dA
    for l in reversed(range(1, L + 1)):
        activation = "sigmoid" if l == L else "relu"
        dA_prev, dW, db = linear_activation_backward(grads["dA" + str(l)], caches[l - 1], activation)
        grads["dA" + str(l - 1)], grads["dW" + str(l)], grads["db" + str(l)] = dA_prev, dW, db
    return grads
''')),
        ("sigmoid for every layer",
         'the hidden layers go back through sigmoid: they are relu layers',
         _cell('''
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    dA_prev, dW, db = linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = dA_prev, dW, db
    for l in reversed(range(1, L)):
        dA_prev, dW, db = linear_activation_backward(grads["dA" + str(l)], caches[l - 1], "sigmoid")
        grads["dA" + str(l - 1)], grads["dW" + str(l)], grads["db" + str(l)] = dA_prev, dW, db
    return grads
''')),
    ],
    "update_parameters": [
        ("in-place -= on a shallow copy mutates params",
         "update_parameters changed the dict it was given, which the notebook asks to leave unchanged: update the copy the template makes (copy.deepcopy(params))",
         _cell('''
def update_parameters(params, grads, learning_rate):
    parameters = params.copy()
    L = len(parameters) // 2
    for l in range(1, L + 1):
        parameters["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] -= learning_rate * grads["db" + str(l)]
    return parameters
''')),
        ("+ instead of -",
         'the parameters move up the gradient: subtract learning_rate times the gradient',
         _cell('''
def update_parameters(params, grads, learning_rate):
    parameters = dict(params)
    L = len(parameters) // 2
    for l in range(1, L + 1):
        parameters["W" + str(l)] = parameters["W" + str(l)] + learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] + learning_rate * grads["db" + str(l)]
    return parameters
''')),
        ("off-by-one loop skips the last layer",
         'the last layer is not updated: loop over every layer, l = 1 ... L',
         _cell('''
def update_parameters(params, grads, learning_rate):
    parameters = dict(params)
    L = len(parameters) // 2
    for l in range(1, L):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
    return parameters
''')),
        ("biases not updated",
         'the biases are not updated: update every bl with dbl, as every Wl with dWl',
         _cell('''
def update_parameters(params, grads, learning_rate):
    parameters = dict(params)
    L = len(parameters) // 2
    for l in range(1, L + 1):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
    return parameters
''')),
        ("grads indexed with the parameters' names",
         "grads is indexed with the parameters' names: its keys are 'dW1', 'db1', ...",
         _cell('''
def update_parameters(params, grads, learning_rate):
    parameters = dict(params)
    L = len(parameters) // 2
    for l in range(1, L + 1):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["W" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["b" + str(l)]
    return parameters
''')),
        ("hard-coded answer of the visible check",
         'it returns the same parameters whatever the arguments: compute them from params, grads and learning_rate',
         _cell('''
def update_parameters(params, grads, learning_rate):
    return {
        "W1": np.array([[1.1484469053191786, 0.20413162290810039, -0.5420501614452478, -1.329333953614761],
                        [-1.9053439777839758, -0.09101484702974189, -0.9167093449491858, -0.7814225457952066],
                        [-0.16072032923952945, -0.08616873334326086, -2.2557818006123136, 1.1536380122318717]]),
        "b1": np.array([[-2.2294573594022036], [2.0771218459412273], [0.7987223969743389]]),
        "W2": np.array([[-1.237004684678488, 0.5474610940175672, 1.832698480955673]]),
        "b2": np.array([[-0.24365157505030804]]),
    }
''')),
    ],
})
