"""Pyflakes-class defects (undefined names, unused imports, redefinitions) fail the suite, not a user's run."""
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_undefined_names_or_unused_imports():
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    done = subprocess.run([ruff, "check", "--select", "F", "--no-cache", "extract", "patterns", "normalize",
                           "jixiao", "tests", "bench", "scripts"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
