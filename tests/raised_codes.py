"""A pytest plugin for tests/test_flag_catalogue.py: collects every flag code raise_flag raised during a run and
writes them, one per line, to the file named by $JIXIAO_RAISED_CODES."""
import os
from pathlib import Path

from jixiao.normalize import flags


def pytest_configure(config):
    flags.RAISED = set()


def pytest_unconfigure(config):
    Path(os.environ["JIXIAO_RAISED_CODES"]).write_text("\n".join(sorted(flags.RAISED or ())), encoding="utf-8")
