"""Installing jixiao puts only the `jixiao` package into site-packages, with its data files, and no warnings."""
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import jixiao
from jixiao.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_version_option(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"jixiao {jixiao.__version__}"


@pytest.mark.slow
def test_wheel_holds_only_the_jixiao_namespace_and_builds_without_warnings(tmp_path):
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w",
                           str(tmp_path), str(ROOT)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stdout + done.stderr
    wheel = next(tmp_path.glob("jixiao-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"jixiao"}
    for data in ("jixiao/patterns/data/units.toml", "jixiao/patterns/data/jieba_userdict.txt",
                 "jixiao/normalize/data/flags.toml", "jixiao/normalize/profiles/mof-2020.toml",
                 "jixiao/normalize/profiles.py", "jixiao/extract/model.py"):
        assert data in names
