"""Data flows one way: extract -> patterns -> normalize -> jixiao. No module imports a later stage."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LATER = {
    "extract": {"patterns", "normalize", "jixiao"},
    "patterns": {"extract", "normalize", "jixiao"},  # recognisers work on strings, not documents
    "normalize": {"jixiao"},
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(LATER))
def test_no_module_reaches_downstream(package):
    offenders = {str(p.relative_to(ROOT)): sorted(imported_packages(p) & LATER[package])
                 for p in (ROOT / package).rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}
