"""Correct styles generated from the reference solutions: the same code, calling the functions it is given
(and the graded functions before it) with other calling conventions.

Students call `linear_activation_forward(A_prev, W, b, activation="relu")` as often as with four
positional arguments; both are correct and must get full marks. Rewriting each reference solution's
syntax tree gives, for every solution that calls such a function, one variant that passes every
argument by keyword and one that passes only the last argument by keyword, so a new callee or a new
assignment gets these styles without anyone writing them.
"""
import ast
import inspect

from testCases.notebook import solution_sources

VARIANTS = {
    "every argument by keyword": lambda count: range(count),
    "the last argument by keyword": lambda count: range(count - 1, count),
}


def calling_conventions(notebook, callees):
    """{function name: [(label, source)]} of the variants of each solution cell of `notebook` that calls
    one of `callees` ({function name: callee, e.g. a graded function's callees as the hidden tests know them})."""
    styles = {}
    for function_name, source in solution_sources(notebook):
        for label, keyword_positions in VARIANTS.items():
            variant = _rewritten(source, callees(function_name), keyword_positions)
            if variant is not None and variant not in {text for _, text in styles.get(function_name, [])}:
                styles.setdefault(function_name, []).append((f"calls with {label}", variant))
    return styles


def _rewritten(source, callees, keyword_positions):
    """`source` with each call of a function in `callees` passing the positional arguments at
    `keyword_positions(count)` by keyword; None if no call changes."""
    tree = ast.parse(source)
    changed = False
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in callees):
            continue
        names = list(inspect.signature(callees[node.func.id]).parameters)
        if any(isinstance(argument, ast.Starred) for argument in node.args) or len(node.args) > len(names):
            continue  # the parameter an argument binds to is not known from the call alone
        by_keyword = list(keyword_positions(len(node.args)))
        if not by_keyword:
            continue
        node.keywords[:0] = [ast.keyword(arg=names[index], value=node.args[index]) for index in by_keyword]
        node.args = node.args[:by_keyword[0]]
        changed = True
    return ast.unparse(tree) + "\n" if changed else None
