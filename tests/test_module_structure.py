"""The kit's modules import each other in one direction: no module imports one that imports it back, however
indirectly (a function's own import counts too), so that each can be read, tested and changed from the bottom up."""
import ast
from graphlib import CycleError, TopologicalSorter

from autograder.paths import ROOT

PACKAGE = ROOT / "autograder"


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path, modules):
    """The kit's modules that the module at `path` imports, anywhere in it."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            found |= {f"{target}.{alias.name}" if f"{target}.{alias.name}" in modules else target
                      for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return (found & modules) - {name}


def test_no_module_of_the_kit_imports_one_that_imports_it_back():
    paths = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph = {name: imported(path, set(paths)) for name, path in paths.items()}
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as cycle:
        raise AssertionError(f"an import circle: {' -> '.join(cycle.args[1])}") from None


def test_the_code_that_builds_the_generated_files_is_not_named_like_the_output_folder():
    """build/ at the root holds the demo's and the benchmarks' output, which people and tools treat as disposable."""
    assert not (PACKAGE / "build").exists() and (PACKAGE / "generators" / "release.py").is_file()
