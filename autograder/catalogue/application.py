"""Correct styles and typical bugs for the application assignment.

Every source is the complete text of a solution cell. It runs in the notebook, where `np`, the
step-by-step functions of dnn_app_utils, the given `initialize_parameters_deep_scaled` and the other
graded functions are defined.

CORRECT_STYLES: written differently from the reference, equal to it on every input (rtol 1e-6),
    recording the costs at the documented iterations, never changing an argument.
BUGS: the mistakes students make, as catalogue.Mistake (id, label, description for the student, source);
    each must lose its own function's points and no other, and is named by its description when a
    wrong answer behaves as it does (testCases/mistakes.py).
"""
from . import cell as _cell
from . import mistakes

CORRECT_STYLES = {
    "two_layer_model": [
        ("whole-network functions on the 2-layer parameters", _cell('''
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    np.random.seed(1)
    costs = []
    (n_x, n_h, n_y) = layers_dims
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        A2, caches = L_model_forward(X, parameters)
        cost = compute_cost(A2, Y)
        grads = L_model_backward(A2, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0 or i == num_iterations - 1:
            costs.append(cost)
    return parameters, costs
''')),
        ("dA2 rearranged, costs recorded at a precomputed set of iterations", _cell('''
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    np.random.seed(1)
    costs = []
    (n_x, n_h, n_y) = layers_dims
    recorded = set(range(0, num_iterations, 100)) | {num_iterations - 1}
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        W1, b1, W2, b2 = parameters["W1"], parameters["b1"], parameters["W2"], parameters["b2"]
        A1, cache1 = linear_activation_forward(X, W1, b1, activation="relu")
        A2, cache2 = linear_activation_forward(A1, W2, b2, activation="sigmoid")
        if i in recorded:
            costs.append(float(compute_cost(A2, Y)))
            if print_cost:
                print("Cost after iteration", i, costs[-1])
        dA2 = (A2 - Y) / (A2 * (1 - A2))
        _, dW2, db2 = linear_activation_backward(dA2, cache2, activation="sigmoid")
        dA1 = np.dot(W2.T, dA2 * A2 * (1 - A2))
        _, dW1, db1 = linear_activation_backward(dA1, cache1, activation="relu")
        parameters = update_parameters(parameters, dict(dW1=dW1, db1=db1, dW2=dW2, db2=db2), learning_rate)
    return parameters, costs
''')),
        ("while loop with the update written out", _cell('''
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    np.random.seed(1)
    costs = []
    (n_x, n_h, n_y) = layers_dims
    parameters = initialize_parameters(n_x, n_h, n_y)
    i = 0
    while i < num_iterations:
        A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        cost = compute_cost(A2, Y)
        dA2 = -(Y / A2 - (1 - Y) / (1 - A2))
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        _, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
        gradients = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
        parameters = {key: value - learning_rate * gradients[key] for key, value in parameters.items()}
        if i % 100 == 0 or i + 1 == num_iterations:
            costs.append(np.squeeze(cost))
        i += 1
    return parameters, costs
''')),
    ],
    "L_layer_model": [
        ("dictionary comprehension for the update", _cell('''
def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    np.random.seed(1)
    costs = []
    parameters = initialize_parameters_deep_scaled(layers_dims)
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches)
        parameters = {key: value - learning_rate * grads["d" + key] for key, value in parameters.items()}
        if i % 100 == 0 or i == num_iterations - 1:
            costs.append(cost)
            if print_cost:
                print(f"Cost after iteration {i}: {cost}")
    return parameters, costs
''')),
        ("cost recorded by a nested helper", _cell('''
def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    np.random.seed(1)
    costs = []

    def record(i, cost):
        if i % 100 and i != num_iterations - 1:
            return
        costs.append(float(cost))
        if print_cost:
            print("iteration %d: cost %.4f" % (i, cost))

    parameters = initialize_parameters_deep_scaled(list(layers_dims))
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        record(i, compute_cost(AL, Y))
        parameters = update_parameters(parameters, L_model_backward(AL, Y, caches), learning_rate)
    return parameters, costs
''')),
    ],
    "predict": [
        ("np.where", _cell('''
def predict(X, y, parameters):
    probas, _ = L_model_forward(X, parameters)
    p = np.where(probas > 0.5, 1, 0)
    if y is not None:
        print(f"Accuracy: {np.mean(p == y):.3f}")
    return p
''')),
        ("loop over the examples into a float array", _cell('''
def predict(X, y, parameters):
    m = X.shape[1]
    p = np.zeros((1, m))
    probas, caches = L_model_forward(X, parameters)
    for i in range(m):
        if probas[0, i] > 0.5:
            p[0, i] = 1
        else:
            p[0, i] = 0
    if y is not None:
        print("Accuracy: " + str(np.sum(p == y) / m))
    return p
''')),
        ("np.round, whose ties go to the even number 0", _cell('''
def predict(X, y, parameters):
    AL = L_model_forward(X, parameters)[0]
    p = np.round(AL)
    if y is not None:
        print(f"Accuracy: {np.mean(p == y):.3f}")
    return p
''')),
        ("booleans", _cell('''
def predict(X, y, parameters):
    probas, caches = L_model_forward(X, parameters)
    p = probas > 0.5
    if y is not None:
        print(f"Accuracy: {np.mean(p == y):.3f}")
    return p
''')),
    ],
}

BUGS = mistakes({
    "two_layer_model": [
        ("never updates: the result of update_parameters is dropped",
         'the parameters never change: keep what update_parameters returns (parameters = update_parameters(...))',
         _cell('''
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    np.random.seed(1)
    costs = []
    (n_x, n_h, n_y) = layers_dims
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        cost = compute_cost(A2, Y)
        dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        dA0, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
        grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
        update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0 or i == num_iterations - 1:
            costs.append(float(cost))
    return parameters, costs
''')),
        ("dA2 with the wrong sign: gradient ascent",
         'the cost rises: dA2 has the wrong sign',
         _cell('''
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    np.random.seed(1)
    costs = []
    (n_x, n_h, n_y) = layers_dims
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        cost = compute_cost(A2, Y)
        dA2 = np.divide(Y, A2) - np.divide(1 - Y, 1 - A2)
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        dA0, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
        grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0 or i == num_iterations - 1:
            costs.append(float(cost))
    return parameters, costs
''')),
        ("parameters initialised again in every iteration",
         'the parameters are initialised again at every iteration: initialise them once, before the loop',
         _cell('''
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    np.random.seed(1)
    costs = []
    (n_x, n_h, n_y) = layers_dims
    for i in range(num_iterations):
        parameters = initialize_parameters(n_x, n_h, n_y)
        A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        cost = compute_cost(A2, Y)
        dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        dA0, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
        grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0 or i == num_iterations - 1:
            costs.append(float(cost))
    return parameters, costs
''')),
        ("cost recorded only when i % 100 == 0, never at the last iteration",
         "the last iteration's cost is missing: record the cost when i % 100 == 0 or i == num_iterations - 1",
         _cell('''
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    np.random.seed(1)
    costs = []
    (n_x, n_h, n_y) = layers_dims
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        cost = compute_cost(A2, Y)
        dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        dA0, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
        grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0:
            costs.append(float(cost))
    return parameters, costs
''')),
        ("cost recorded after the update, at i % 100 == 99",
         'the costs are recorded at the wrong iterations: record them when i % 100 == 0 and at the last iteration',
         _cell('''
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    np.random.seed(1)
    costs = []
    (n_x, n_h, n_y) = layers_dims
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        cost = compute_cost(A2, Y)
        dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        dA0, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
        grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
        parameters = update_parameters(parameters, grads, learning_rate)
        if (i + 1) % 100 == 0 or i == 0:
            costs.append(float(cost))
    return parameters, costs
''')),
        ("learning_rate ignored: the default 0.0075 hard-coded",
         'the learning rate is always 0.0075: pass the learning_rate argument to update_parameters',
         _cell('''
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    np.random.seed(1)
    costs = []
    (n_x, n_h, n_y) = layers_dims
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "relu")
        A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        cost = compute_cost(A2, Y)
        dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        dA0, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")
        grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
        parameters = update_parameters(parameters, grads, 0.0075)
        if i % 100 == 0 or i == num_iterations - 1:
            costs.append(float(cost))
    return parameters, costs
''')),
        ("relu and sigmoid swapped",
         'the hidden layer uses sigmoid: it is a relu layer, forward and backward',
         _cell('''
def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    np.random.seed(1)
    costs = []
    (n_x, n_h, n_y) = layers_dims
    parameters = initialize_parameters(n_x, n_h, n_y)
    for i in range(num_iterations):
        A1, cache1 = linear_activation_forward(X, parameters["W1"], parameters["b1"], "sigmoid")
        A2, cache2 = linear_activation_forward(A1, parameters["W2"], parameters["b2"], "sigmoid")
        cost = compute_cost(A2, Y)
        dA2 = -(np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))
        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")
        dA0, dW1, db1 = linear_activation_backward(dA1, cache1, "sigmoid")
        grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0 or i == num_iterations - 1:
            costs.append(float(cost))
    return parameters, costs
''')),
    ],
    "L_layer_model": [
        ("never updates: the result of update_parameters is dropped",
         'the parameters never change: keep what update_parameters returns (parameters = update_parameters(...))',
         _cell('''
def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    np.random.seed(1)
    costs = []
    parameters = initialize_parameters_deep_scaled(layers_dims)
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches)
        update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0 or i == num_iterations - 1:
            costs.append(float(cost))
    return parameters, costs
''')),
        ("update with the wrong sign: -learning_rate",
         'the cost rises: pass learning_rate itself to update_parameters, not -learning_rate',
         _cell('''
def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    np.random.seed(1)
    costs = []
    parameters = initialize_parameters_deep_scaled(layers_dims)
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, -learning_rate)
        if i % 100 == 0 or i == num_iterations - 1:
            costs.append(float(cost))
    return parameters, costs
''')),
        ("parameters initialised again in every iteration",
         'the parameters are initialised again at every iteration: initialise them once, before the loop',
         _cell('''
def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    np.random.seed(1)
    costs = []
    for i in range(num_iterations):
        parameters = initialize_parameters_deep_scaled(layers_dims)
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0 or i == num_iterations - 1:
            costs.append(float(cost))
    return parameters, costs
''')),
        ("cost recorded at every iteration",
         'a cost is recorded at every iteration: record it only when i % 100 == 0 or i == num_iterations - 1',
         _cell('''
def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    np.random.seed(1)
    costs = []
    parameters = initialize_parameters_deep_scaled(layers_dims)
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        costs.append(float(cost))
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
    return parameters, costs
''')),
        ("the 0.01 initialisation of initialize_parameters_deep",
         'the parameters start from initialize_parameters_deep: use initialize_parameters_deep_scaled, as the docstring says',
         _cell('''
def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    np.random.seed(1)
    costs = []
    parameters = initialize_parameters_deep(layers_dims)
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0 or i == num_iterations - 1:
            costs.append(float(cost))
    return parameters, costs
''')),
        ("the last iteration's cost recorded twice when it is a multiple of 100",
         "the last cost is recorded twice when the last iteration is a multiple of 100: record each iteration's cost once",
         _cell('''
def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):
    np.random.seed(1)
    costs = []
    parameters = initialize_parameters_deep_scaled(layers_dims)
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches)
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % 100 == 0:
            costs.append(float(cost))
        if i == num_iterations - 1:
            costs.append(float(cost))
    return parameters, costs
''')),
    ],
    "predict": [
        ("returns the probabilities",
         'p holds the probabilities: turn each into 0 or 1 (1 when it is greater than 0.5)',
         _cell('''
def predict(X, y, parameters):
    probas, caches = L_model_forward(X, parameters)
    p = probas
    if y is not None:
        print(f"Accuracy: {np.mean(p == y):.3f}")
    return p
''')),
        ("threshold >= 0.5: a probability of exactly 0.5 predicts 1",
         'a probability of exactly 0.5 predicts 1: compare with > 0.5, not >= 0.5',
         _cell('''
def predict(X, y, parameters):
    probas, caches = L_model_forward(X, parameters)
    p = (probas >= 0.5).astype(int)
    if y is not None:
        print(f"Accuracy: {np.mean(p == y):.3f}")
    return p
''')),
        ("a flat array of shape (m,)",
         'p is a flat array: keep it a row of shape (1, m)',
         _cell('''
def predict(X, y, parameters):
    probas, caches = L_model_forward(X, parameters)
    p = (probas[0] > 0.5).astype(int)
    if y is not None:
        print(f"Accuracy: {np.mean(p == y):.3f}")
    return p
''')),
        ("a column of shape (m, 1)",
         'p is a column: keep it a row of shape (1, m), one prediction per example',
         _cell('''
def predict(X, y, parameters):
    probas, caches = L_model_forward(X, parameters)
    p = (probas.T > 0.5).astype(int)
    if y is not None:
        print(f"Accuracy: {np.mean(p.T == y):.3f}")
    return p
''')),
        ("the comparison the wrong way round",
         'the predictions are flipped: predict 1 when the probability is greater than 0.5',
         _cell('''
def predict(X, y, parameters):
    probas, caches = L_model_forward(X, parameters)
    p = (probas < 0.5).astype(int)
    if y is not None:
        print(f"Accuracy: {np.mean(p == y):.3f}")
    return p
''')),
        ("threshold 0 instead of 0.5",
         'every positive probability predicts 1: compare the probabilities with 0.5, not 0',
         _cell('''
def predict(X, y, parameters):
    probas, caches = L_model_forward(X, parameters)
    p = (probas > 0).astype(int)
    if y is not None:
        print(f"Accuracy: {np.mean(p == y):.3f}")
    return p
''')),
    ],
})
