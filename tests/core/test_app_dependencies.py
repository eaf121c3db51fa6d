"""Dependencies between apps point one way (STYLE.md, Layout): core ← commissions ← polling ←
voterlists; commissions ← observers, debates. Checked on every import statement of every module
of each app, including those inside functions, so a demo loader or a lazy import cannot reach
back up (the commissions' demo once imported the observers' and the polling stations')."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

MAY_IMPORT = {
    "core": set(),
    "commissions": {"core"},
    "polling": {"core", "commissions"},
    "voterlists": {"core", "commissions", "polling"},
    "observers": {"core", "commissions"},
    "debates": {"core", "commissions"},
}


def imported_apps(path: Path) -> set[str]:
    """The project's apps that a module imports (absolute imports only: relative ones stay in)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names)
    return found & set(MAY_IMPORT)


@pytest.mark.parametrize("app", sorted(MAY_IMPORT))
def test_an_app_imports_only_the_apps_below_it(app):
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path) - MAY_IMPORT[app] - {app})
        for path in sorted((ROOT / app).rglob("*.py"))
    }

    assert {module: apps for module, apps in wrong.items() if apps} == {}


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "lazy.py"
    module.write_text("def f():\n    from observers.models import Observer\n    import polling\n")

    assert imported_apps(module) == {"observers", "polling"}
