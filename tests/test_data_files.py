"""Every TOML data file is checked against its schema on load: an unknown key or a wrong type is a clear error
naming the file and the key; which profile wins does not depend on file names."""
import shutil
from pathlib import Path

import pytest

from jixiao.normalize import flags, flat_forms, label_grammar, profiles, table_view, unread
from jixiao.patterns import datafile, grades, headers, numbers, operators, prose, units
from jixiao.patterns.datafile import DataFileError, Either, Optional, Table

ROOT = Path(__file__).resolve().parent.parent
LOADERS = [  # (file, schema) of every data file the code reads
    (ROOT / "patterns/data/units.toml", units.SCHEMA),
    (ROOT / "patterns/data/numbers.toml", numbers.SCHEMA),
    (ROOT / "patterns/data/operators.toml", operators.SCHEMA),
    (ROOT / "patterns/data/grades.toml", grades.SCHEMA),
    (ROOT / "patterns/data/prose.toml", prose.SCHEMA),
    (ROOT / "patterns/data/headers.toml", headers.HEADERS_SCHEMA),
    (ROOT / "patterns/data/categories.toml", headers.CATEGORIES_SCHEMA),
    (ROOT / "normalize/data/flags.toml", flags.SCHEMA),
    (ROOT / "normalize/data/form_labels.toml", {key: [str] for key in table_view.LABEL_KEYS}),
    (ROOT / "normalize/data/flat_forms.toml", flat_forms.SCHEMA),
    (ROOT / "normalize/data/label_grammar.toml", label_grammar.SCHEMA),
    (ROOT / "normalize/data/scorecard_vocabulary.toml", unread.SCHEMA),
] + [(path, profiles.SCHEMA) for path in sorted((ROOT / "normalize/profiles").glob("*.toml"))]


def test_every_data_file_has_a_schema():
    on_disk = {p for p in ROOT.glob("*/data/*.toml")} | set((ROOT / "normalize/profiles").glob("*.toml"))
    assert on_disk == {path for path, _ in LOADERS}


@pytest.mark.parametrize("path,schema", LOADERS, ids=lambda v: v.name if isinstance(v, Path) else "")
def test_data_file_matches_its_schema(path, schema):
    assert datafile.load(path, schema)


@pytest.mark.parametrize("path,schema", LOADERS, ids=lambda v: v.name if isinstance(v, Path) else "")
def test_an_unknown_top_level_key_is_refused(tmp_path, path, schema):
    if isinstance(schema, Table):
        pytest.skip("keys are the author's choice here (unit classes)")
    bad = tmp_path / path.name
    bad.write_text(path.read_text(encoding="utf-8") + '\n[no_such_section]\nx = 1\n', encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        datafile.load(bad, schema)
    assert str(err.value).startswith(f"{bad}: unknown key 'no_such_section'")


def test_a_misspelt_key_names_file_and_key(tmp_path):
    bad = tmp_path / "hubei-2021.toml"
    text = (ROOT / "normalize/profiles/hubei-2021.toml").read_text(encoding="utf-8")
    bad.write_text(text.replace("budget_weight =", "budget_wieght ="), encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        datafile.load(bad, profiles.SCHEMA)
    assert str(err.value).startswith(f"{bad}: unknown key 'budget_wieght'")


@pytest.mark.parametrize("text,schema,message", [
    ('budget_weight = "20"', {"budget_weight": float}, "key 'budget_weight': expected a number, got '20'"),
    ("flag = true", {"flag": float}, "key 'flag': expected a number, got True"),
    ('[money]\nunits = { "元" = "1" }', units.SCHEMA, "key 'money.units.元': expected a number, got '1'"),
    ('[blank]\nwords = ["无", 1]', {"blank": {"words": [str]}}, "key 'blank.words[1]': expected text, got 1"),
    ("[tiers]\nachieved = [0.8]", {"tiers": {"achieved": (float, float)}},
     "key 'tiers.achieved': expected a list of 2 items, got [0.8]"),
    ("a = 1", {"a": int, "b": str}, "missing key 'b'"),
    ("a = 1", {"a": int, "b": Optional(str)}, None),
    ("a = 'x'", {"a": Either(int, str)}, None),
    ("a = [1]", {"a": Either(int, str)}, "key 'a': expected an integer, got [1]"),
    ("a = 1", {"a": str}, "key 'a': expected text, got 1"),
    ("a = [", {}, "not valid TOML"),
])
def test_wrong_types_are_named(tmp_path, text, schema, message):
    path = tmp_path / "x.toml"
    path.write_text(text, encoding="utf-8")
    if message is None:
        assert datafile.load(path, schema) is not None
        return
    with pytest.raises(DataFileError) as err:
        datafile.load(path, schema)
    assert str(err.value).startswith(f"{path}: ") and message in str(err.value)


def test_which_profile_wins_does_not_depend_on_file_names(tmp_path):
    for prefix in ("a", "z"):
        folder = tmp_path / prefix
        folder.mkdir()
        shutil.copy(ROOT / "normalize/profiles/mof-2020.toml", folder / f"{prefix}-mof.toml")
        shutil.copy(ROOT / "normalize/profiles/hubei-2021.toml", folder / f"{'z' if prefix == 'a' else 'a'}-hubei.toml")
        assert list(profiles.load_profiles(folder)) == ["hubei-2021", "mof-2020"]
    both = "年初预算数 全年预算数 预算执行情况（20分）"  # markers of both profiles: Hubei's priority wins
    assert profiles.choose_profile(both).name == "hubei-2021"
    assert profiles.choose_profile("年初预算数 全年执行数").name == "mof-2020"


def test_two_profiles_with_one_priority_are_refused(tmp_path):
    shutil.copy(ROOT / "normalize/profiles/mof-2020.toml", tmp_path / "mof.toml")
    text = (ROOT / "normalize/profiles/hubei-2021.toml").read_text(encoding="utf-8")
    (tmp_path / "hubei.toml").write_text(text.replace("priority = 20", "priority = 10"), encoding="utf-8")
    with pytest.raises(DataFileError, match="share the priority 10"):
        profiles.load_profiles(tmp_path)


@pytest.mark.parametrize("phrase", operators._vocab()["qualitative"]["phrases"])
def test_documented_qualitative_targets_read_as_qualitative(phrase):
    assert operators.parse_target(phrase).op == "qual"
