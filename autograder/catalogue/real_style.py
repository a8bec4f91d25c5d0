"""Solutions written the ways published solutions of this assignment are written: our own variants of each class
of code found there (read to learn what students do; none of their code is here), kept apart from the catalogue
so that they measure the diagnosis on code it was not built from (make bench-diagnosis, tests/test_real_style.py).

CORRECT: right under this notebook's API, in the idioms of earlier versions of the course and their solutions.
BUGS: {function: [(label, the causes that are right, source)]}: a verdict must name one of those causes (a
    catalogue id, a relationship or convention of testCases/diagnosis/, or "<function>.error_in_own_code" for an
    exception shown with the student's line), or none where the entry lists none; naming any other is a wrong cause.
"""
from . import cell as _cell

CORRECT = {
    "compute_cost": [
        ("two products with transposes, -1/m in front", _cell('''
def compute_cost(AL, Y):
    m = Y.shape[1]
    cost = (-1 / m) * (np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T))
    cost = np.squeeze(cost)
    assert(cost.shape == ())
    return cost
''')),
        ("np.mean of the log-likelihood terms", _cell('''
def compute_cost(AL, Y):
    logprobs = np.multiply(Y, np.log(AL)) + np.multiply(1 - Y, np.log(1 - AL))
    return float(-np.mean(logprobs))
''')),
    ],
    "linear_backward": [
        ("cache indexed rather than unpacked, / m at the end", _cell('''
def linear_backward(dZ, cache):
    m = cache[0].shape[1]
    dW = np.dot(dZ, cache[0].T) / m
    db = np.sum(dZ, axis=1, keepdims=True) / m
    dA_prev = np.dot(cache[1].T, dZ)
    assert (dA_prev.shape == cache[0].shape)
    return dA_prev, dW, db
''')),
    ],
    "L_model_backward": [
        ("the last layer through sigmoid_backward and linear_backward, caches[-1]", _cell('''
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = - (np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    current_cache = caches[-1]
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = \\
        linear_backward(sigmoid_backward(dAL, current_cache[1]), current_cache[0])
    for l in reversed(range(L - 1)):
        current_cache = caches[l]
        dA_prev_temp, dW_temp, db_temp = linear_activation_backward(grads["dA" + str(l + 1)], current_cache,
                                                                    activation="relu")
        grads["dA" + str(l)] = dA_prev_temp
        grads["dW" + str(l + 1)] = dW_temp
        grads["db" + str(l + 1)] = db_temp
    return grads
''')),
    ],
    "update_parameters": [
        ("a shallow copy, each array replaced rather than changed", _cell('''
def update_parameters(params, grads, learning_rate):
    parameters = params.copy()
    L = len(parameters) // 2
    for l in range(L):
        parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * grads["dW" + str(l + 1)]
        parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * grads["db" + str(l + 1)]
    return parameters
''')),
    ],
    "linear_forward": [
        ("the @ operator and the template's assert", _cell('''
def linear_forward(A, W, b):
    Z = W @ A + b
    assert(Z.shape == (W.shape[0], A.shape[1]))
    cache = (A, W, b)
    return Z, cache
''')),
    ],
    "initialize_parameters_deep": [
        ("*.01 and np.zeros(shape=...)", _cell('''
def initialize_parameters_deep(layer_dims):
    np.random.seed(3)
    parameters = {}
    L = len(layer_dims)
    for l in range(1, L):
        parameters['W' + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * .01
        parameters['b' + str(l)] = np.zeros(shape=(layer_dims[l], 1))
        assert(parameters['W' + str(l)].shape == (layer_dims[l], layer_dims[l - 1]))
    return parameters
''')),
    ],
}

OWN_CODE = "error_in_own_code"


def _own(function):
    return (f"{function}.{OWN_CODE}",)


BUGS = {
    "initialize_parameters": [
        ("the output layer drawn with one row, the template's asserts kept",
         _own("initialize_parameters") + ("initialize_parameters.n_y_ignored_the_output_layer_has_one_unit",), _cell('''
def initialize_parameters(n_x, n_h, n_y):
    np.random.seed(1)
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(1, n_h) * 0.01
    b2 = np.zeros((1, 1))
    assert(W2.shape == (n_y, n_h))
    assert(b2.shape == (n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
''')),
    ],
    "initialize_parameters_deep": [
        ("no 0.01 factor", ("initialize_parameters_deep.weights_without_the_0_01_factor",), _cell('''
def initialize_parameters_deep(layer_dims):
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W%d" % l] = np.random.randn(layer_dims[l], layer_dims[l - 1])
        parameters["b%d" % l] = np.zeros((layer_dims[l], 1))
    return parameters
''')),
        ("the 2-layer function's seed", ("initialize_parameters_deep.wrong_seed",), _cell('''
def initialize_parameters_deep(layer_dims):
    np.random.seed(1)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
''')),
        ("seed 0", ("initialize_parameters_deep.seed_0_instead_of_3",), _cell('''
def initialize_parameters_deep(layer_dims):
    np.random.seed(0)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
''')),
        ("He scaling", ("initialize_parameters_deep.he_scaling_instead_of_0_01",), _cell('''
def initialize_parameters_deep(layer_dims):
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layer_dims)):
        scale = np.sqrt(2. / layer_dims[l - 1])
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * scale
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
''')),
        ("a uniform draw", ("initialize_parameters_deep.uniform_draw_instead_of_the_normal",), _cell('''
def initialize_parameters_deep(layer_dims):
    np.random.seed(3)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.rand(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
''')),
        ("the application's helper pasted in", ("initialize_parameters_deep.the_application_s_scaled_initialisation",),
         _cell('''
def initialize_parameters_deep(layer_dims):
    np.random.seed(1)
    parameters = {}
    L = len(layer_dims)
    for l in range(1, L):
        parameters['W' + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])
        parameters['b' + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters
''')),
    ],
    "linear_activation_forward": [
        ("the relu branch calls linear_forward without W and b", _own("linear_activation_forward"), _cell('''
def linear_activation_forward(A_prev, W, b, activation):
    if activation == "sigmoid":
        Z, linear_cache = linear_forward(A_prev, W, b)
        A, activation_cache = sigmoid(Z)
    elif activation == "relu":
        Z, linear_cache = linear_forward(A_prev)
        A, activation_cache = relu(Z)
    return A, (linear_cache, activation_cache)
''')),
    ],
    "L_model_forward": [
        ("the output layer's keys written as W3 and b3", _own("L_model_forward"), _cell('''
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = linear_activation_forward(A, parameters['W' + str(l)], parameters['b' + str(l)], activation="relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(A, parameters['W3'], parameters['b3'], activation="sigmoid")
    caches.append(cache)
    return AL, caches
''')),
        ("relu and sigmoid called on Z directly: each cache is Z alone",
         ("L_model_forward.relu_and_sigmoid_called_on_z_directly",), _cell('''
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        Z = np.dot(parameters["W" + str(l)], A) + parameters["b" + str(l)]
        A, cache = relu(Z)
        caches.append(cache)
    ZL = np.dot(parameters["W" + str(L)], A) + parameters["b" + str(L)]
    AL, cache = sigmoid(ZL)
    caches.append(cache)
    return AL, caches
''')),
        ("the output layer's Z returned", ("L_model_forward.the_last_layer_s_z_returned_as_al",), _cell('''
def L_model_forward(X, parameters):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A_prev = A
        A, cache = linear_activation_forward(A_prev, parameters["W" + str(l)], parameters["b" + str(l)], "relu")
        caches.append(cache)
    ZL, linear_cache = linear_forward(A, parameters["W" + str(L)], parameters["b" + str(L)])
    AL_sigmoid, activation_cache = sigmoid(ZL)
    caches.append((linear_cache, activation_cache))
    AL = ZL
    return AL, caches
''')),
    ],
    "compute_cost": [
        ("log(AL) in both terms", ("compute_cost.log_al_in_the_1_y_term",), _cell('''
def compute_cost(AL, Y):
    m = Y.shape[1]
    logprobs = np.multiply(np.log(AL), Y) + np.multiply(np.log(AL), 1 - Y)
    cost = - 1 / m * np.sum(logprobs)
    return np.squeeze(cost)
''')),
        ("no return", ("compute_cost.returns_nothing",), _cell('''
def compute_cost(AL, Y):
    m = Y.shape[1]
    cost = -np.sum(np.multiply(Y, np.log(AL)) + np.multiply(1 - Y, np.log(1 - AL))) / m
    cost = np.squeeze(cost)
''')),
    ],
    "linear_backward": [
        ("db squeezed, the earlier template's float assert", _own("linear_backward") +
         ("linear_backward.db_squeezed",), _cell('''
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = 1. / m * np.dot(dZ, A_prev.T)
    db = 1. / m * np.squeeze(np.sum(dZ, axis=1, keepdims=True))
    dA_prev = np.dot(W.T, dZ)
    assert (isinstance(db, float))
    return dA_prev, dW, db
''')),
        ("db squeezed", ("linear_backward.db_squeezed",), _cell('''
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = np.dot(dZ, A_prev.T) / m
    db = np.squeeze(np.sum(dZ, axis=1, keepdims=True)) / m
    return np.dot(W.T, dZ), dW, db
''')),
        ("neither dW nor db averaged", ("linear_backward.m_times_too_large",), _cell('''
def linear_backward(dZ, cache):
    A_prev, W, b = cache
    dW = np.dot(dZ, A_prev.T)
    db = np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db
''')),
    ],
    "linear_activation_backward": [
        ("the linear step left out, earlier names returned", _own("linear_activation_backward"), _cell('''
def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    if activation == "relu":
        dZ = relu_backward(dA, activation_cache)
    elif activation == "sigmoid":
        dZ = sigmoid_backward(dA, activation_cache)
    return dA_prev, dW, db
''')),
    ],
    "L_model_backward": [
        ("every hidden layer through sigmoid_backward of dAL", (
            "L_model_backward.every_layer_goes_back_from_dal_through_sigmoid",), _cell('''
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = - (np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    current_cache = caches[L - 1]
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = \\
        linear_backward(sigmoid_backward(dAL, current_cache[1]), current_cache[0])
    for l in reversed(range(L - 1)):
        current_cache = caches[l]
        dA_prev_temp, dW_temp, db_temp = linear_backward(sigmoid_backward(dAL, current_cache[1]), current_cache[0])
        grads["dA" + str(l)] = dA_prev_temp
        grads["dW" + str(l + 1)] = dW_temp
        grads["db" + str(l + 1)] = db_temp
    return grads
''')),
        ("the gradients keyed dA1 ... dAL", ("L_model_backward.earlier_version_keys_da1_to_dal",), _cell('''
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = - (np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    current_cache = caches[L - 1]
    grads["dA" + str(L)], grads["dW" + str(L)], grads["db" + str(L)] = \\
        linear_activation_backward(dAL, current_cache, "sigmoid")
    for l in reversed(range(L - 1)):
        current_cache = caches[l]
        dA_prev_temp, dW_temp, db_temp = linear_activation_backward(grads["dA" + str(l + 2)], current_cache, "relu")
        grads["dA" + str(l + 1)] = dA_prev_temp
        grads["dW" + str(l + 1)] = dW_temp
        grads["db" + str(l + 1)] = db_temp
    return grads
''')),
        ("a name left over from an earlier cell stored", _own("L_model_backward"), _cell('''
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = - (np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = \\
        linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    for l in reversed(range(L - 1)):
        dA_prev_temp, dW_temp, db_temp = linear_activation_backward(grads["dA" + str(l + 1)], caches[l], "relu")
        grads["dA" + str(l)] = dA_prev
        grads["dW" + str(l + 1)] = dW_temp
        grads["db" + str(l + 1)] = db_temp
    return grads
''')),
        ("dAL for every hidden relu layer", ("L_model_backward.dal_fed_to_every_hidden_relu_layer",), _cell('''
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = -(Y / AL - (1 - Y) / (1 - AL))
    current_cache = caches[-1]
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = \\
        linear_activation_backward(dAL, current_cache, activation="sigmoid")
    for l in reversed(range(L - 1)):
        dA_prev_temp, dW_temp, db_temp = linear_activation_backward(dAL, caches[l], activation="relu")
        grads["dA" + str(l)], grads["dW" + str(l + 1)], grads["db" + str(l + 1)] = dA_prev_temp, dW_temp, db_temp
    return grads
''')),
        ("a gradient never updated in the loop", ("L_model_backward.every_layer_fed_da_l_1_works_for_l_2_only",), _cell('''
def L_model_backward(AL, Y, caches):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = - (np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    dA_prev_temp, dW_temp, db_temp = linear_activation_backward(dAL, caches[L - 1], "sigmoid")
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = dA_prev_temp, dW_temp, db_temp
    for l in reversed(range(L - 1)):
        dA, dW, db = linear_activation_backward(dA_prev_temp, caches[l], "relu")
        grads["dA" + str(l)], grads["dW" + str(l + 1)], grads["db" + str(l + 1)] = dA, dW, db
    return grads
''')),
    ],
    "update_parameters": [
        ("the earlier version's update of the dict it is given",
         ("update_parameters.earlier_version_updates_the_dict_it_is_given",), _cell('''
def update_parameters(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(L):
        parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * grads["dW" + str(l + 1)]
        parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * grads["db" + str(l + 1)]
    return parameters
''')),
        ("the earlier version's update with -=",
         ("update_parameters.earlier_version_updates_the_dict_it_is_given",), _cell('''
def update_parameters(parameters, grads, learning_rate):
    for l in range(1, len(parameters) // 2 + 1):
        parameters["W" + str(l)] -= learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] -= learning_rate * grads["db" + str(l)]
    return parameters
''')),
        ("grads looked up with the parameters' names",
         ("update_parameters.grads_indexed_with_the_parameters_names",), _cell('''
def update_parameters(params, grads, learning_rate):
    parameters = copy.deepcopy(params)
    for key in parameters:
        parameters[key] = parameters[key] - learning_rate * grads[key]
    return parameters
''')),
    ],
}
