"""The flag catalogue (normalize/data/flags.toml) and the rules agree: every code the catalogue lists is raised by
the minimal forms of tests/test_flag_rules.py, every code raised is in the catalogue, and no module builds a Flag
record except through raise_flag."""
import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jixiao.normalize import flags
from jixiao.normalize.flags import known_codes, raise_flag

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"


def test_every_catalogue_code_is_raised_by_the_minimal_forms(tmp_path):
    """Runs tests/test_flag_rules.py in a pytest of its own, with a plugin collecting what raise_flag raised."""
    out = tmp_path / "raised.txt"
    env = dict(os.environ, JIXIAO_RAISED_CODES=str(out), PYTHONPATH=os.pathsep.join(
        [str(TESTS)] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
    done = subprocess.run([sys.executable, "-m", "pytest", str(TESTS / "test_flag_rules.py"), "-q", "-x",
                           "-p", "raised_codes", "-p", "no:cacheprovider", "-p", "no:xdist"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    raised = set(out.read_text(encoding="utf-8").split())
    assert sorted(known_codes() - raised) == [], "catalogue codes no minimal form raises"
    assert sorted(raised - known_codes()) == []


def test_collecting_sees_a_raised_code(monkeypatch):
    monkeypatch.setattr(flags, "RAISED", set())
    raise_flag("TEMPLATE_PLACEHOLDER", variant="text", location="p1", text="XX分")
    assert flags.RAISED == {"TEMPLATE_PLACEHOLDER"}


def test_raise_flag_fills_the_catalogue_template():
    flag = raise_flag("SCORE_OVER_WEIGHT", location="p1 t0 r5", claimed=6.0, recomputed=5.0, name="合格率",
                      score_raw="6", weight="5")
    assert (flag.code, flag.severity, flag.message, flag.location, flag.claimed, flag.recomputed) == \
        ("SCORE_OVER_WEIGHT", "error", "合格率: 得分 6 超过分值 5", "p1 t0 r5", 6.0, 5.0)


@pytest.mark.parametrize("call,error", [
    (lambda: raise_flag("NO_SUCH_CODE"), KeyError),
    (lambda: raise_flag("TOTAL_MISMATCH", total_raw="90", parts="99"), ValueError),  # the rule must choose a level
    (lambda: raise_flag("SCORE_OVER_WEIGHT", level="info", name="x", score_raw="6", weight="5"), ValueError),
    (lambda: raise_flag("UNIT_MIXED", name="x", target="1", actual="2"), KeyError),  # which of its messages?
    (lambda: raise_flag("SCORE_OVER_WEIGHT", name="x"), KeyError),  # a template field left out
])
def test_raise_flag_refuses_what_the_catalogue_does_not_declare(call, error):
    with pytest.raises(error):
        call()


def _flag_constructions(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name) and node.func.id == "Flag"]


def test_flags_are_built_only_by_raise_flag():
    found = {str(path.relative_to(ROOT)): lines
             for folder in ("extract", "patterns", "normalize", "jixiao")
             for path in sorted((ROOT / folder).rglob("*.py"))
             if path != ROOT / "normalize" / "flags.py" and (lines := _flag_constructions(path))}
    assert found == {}, "build flags with normalize.flags.raise_flag (the catalogue declares code, level, message)"
