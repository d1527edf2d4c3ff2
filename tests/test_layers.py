"""The apps import one way only, down the layering the README writes:
base <- search <- datauses <- feedback <- home <- demo <- portal."""

import ast
from pathlib import Path

LAYERS = ["base", "search", "datauses", "feedback", "home", "demo", "portal"]
ROOT = Path(__file__).resolve().parent.parent


def imports(path):
    """(line, imported app, at module level?) for each import of one of our apps in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top_level = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            app = name.split(".")[0]
            if app in LAYERS:
                yield node.lineno, app, id(node) in top_level


def app_files():
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield app, path


def test_every_import_between_apps_points_down_the_layers():
    upward = [
        f"{path.relative_to(ROOT)}:{line} imports {imported}"
        for app, path in app_files()
        for line, imported, _top in imports(path)
        if LAYERS.index(imported) > LAYERS.index(app)
    ]
    assert upward == []


def test_no_import_of_another_app_hides_inside_a_function():
    hidden = [
        f"{path.relative_to(ROOT)}:{line} imports {imported}"
        for app, path in app_files()
        for line, imported, top in imports(path)
        if not top and imported != app
    ]
    assert hidden == []


def test_the_readme_states_the_same_layering():
    assert " <- ".join(LAYERS) in (ROOT / "README.md").read_text(encoding="utf-8")
