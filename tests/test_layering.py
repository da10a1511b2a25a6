"""Data flows one way: extract -> patterns -> normalize -> jixiao. No module imports a later stage."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STAGES = {"extract", "patterns", "normalize"}
LATER = {
    "extract": {"patterns", "normalize", "jixiao"},
    "patterns": {"extract", "normalize", "jixiao"},  # recognisers work on strings, not documents
    "normalize": {"jixiao"},
}


def stage_of(module: str) -> str:
    """jixiao.extract.model -> extract; jixiao.batch -> jixiao (the stages are installed under jixiao)."""
    parts = module.split(".")
    if parts[0] == "jixiao" and len(parts) > 1 and parts[1] in STAGES:
        return parts[1]
    return parts[0]


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {stage_of(alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "jixiao":  # from jixiao import extract
                names |= {stage_of("jixiao." + alias.name) for alias in node.names}
            else:
                names.add(stage_of(node.module))
    return names


@pytest.mark.parametrize("package", sorted(LATER))
def test_no_module_reaches_downstream(package):
    offenders = {str(p.relative_to(ROOT)): sorted(imported_packages(p) & LATER[package])
                 for p in (ROOT / package).rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_stages_are_imported_under_the_jixiao_namespace():
    """`import extract` would only work from the repo root; installed, the stages are jixiao.extract etc."""
    bare = {}
    for path in ROOT.rglob("*.py"):
        if ".venv" in path.parts or "build" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            mods = ([a.name for a in node.names] if isinstance(node, ast.Import)
                    else [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
                    else [])
            hits = [m for m in mods if m.split(".")[0] in STAGES]
            if hits:
                bare[str(path.relative_to(ROOT))] = hits
    assert bare == {}
