"""Bad input never crashes, hangs or goes missing: each file gets its exact status and one-line error,
through normalize.pipeline.process and through `jixiao run` on a folder of all of them."""
from __future__ import annotations

import csv
import io
import os
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from jixiao import extract
from jixiao.extract import safety
from jixiao.normalize.pipeline import process
from bad_corpus import (SECRET, bomb_docx, build_corpus, form_docx, running_as_root, slow_pdf_bytes,
                              with_part_replaced)

JIXIAO = str(Path(sys.executable).with_name("jixiao"))
# Only the corpus needs LibreOffice and poppler; the zip, DOCTYPE and file-type tests run everywhere.
needs_corpus_tools = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
    reason="building the corpus needs LibreOffice and poppler (scripts/setup-system.sh)")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad")
    expected = build_corpus(root / "in", root / "work")
    return root, expected


def outcome(path: Path) -> tuple[str, str | None]:
    """Status and its one-line reason: `error` for failed/needs_* rows, `warnings` for partial ones."""
    row = process(path).reports.iloc[0]
    message = row["error"] if isinstance(row["error"], str) else row["warnings"]
    return row["status"], message if isinstance(message, str) else None


@needs_corpus_tools
def test_every_bad_file_gets_its_status_and_error(corpus):
    root, expected = corpus
    got = [(bad.name, *outcome(root / "in" / bad.name)) for bad in expected]
    assert got == [(bad.name, bad.status, bad.error) for bad in expected]


@needs_corpus_tools
def test_the_xml_entity_is_never_resolved(corpus):
    root, _ = corpus
    data = process(root / "in" / "xxe.docx")
    dumped = "".join(frame.to_csv() for frame in data.tables().values())
    assert SECRET not in dumped
    assert "xxe.docx" in dumped


@needs_corpus_tools
def test_python_docx_parser_leaves_entities_unresolved_too(corpus):
    """Our DOCTYPE refusal comes first; behind it, python-docx's own parser (resolve_entities=False)
    would not read the file either: checked here so a library change is noticed."""
    from docx.oxml.parser import parse_xml
    root, _ = corpus
    xml = zipfile.ZipFile(root / "in" / "xxe.docx").read("word/document.xml")
    element = parse_xml(xml)
    assert SECRET not in "".join(element.itertext())
    assert b"ENTITY xxe SYSTEM" in xml


@needs_corpus_tools
def test_jixiao_run_keeps_one_row_per_file_within_memory(corpus, tmp_path):
    """A folder of all the bad files plus a symlink loop: every file has its row with its status, the
    loop is entered once, and the worker's peak RSS stays under 1 GiB."""
    root, expected = corpus
    folder = root / "in"
    loop_dir = folder / "sub"
    loop_dir.mkdir(exist_ok=True)
    if not (loop_dir / "back").is_symlink():
        (loop_dir / "back").symlink_to("..", target_is_directory=True)  # sub/back -> the folder itself
    out = tmp_path / "out"
    probe = ("import resource, subprocess, sys; "
             "done = subprocess.run(sys.argv[1:], capture_output=True, timeout=600); "
             "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", probe, JIXIAO, "run", str(folder), "-o", str(out), "-q",
                           "-j", "2", "--timeout", "120"], capture_output=True, text=True, timeout=700)
    returncode, peak_kib = map(int, done.stdout.split())
    assert returncode == 1  # some files failed
    assert peak_kib < 1024 * 1024
    with open(out / "reports.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(expected)  # one row per file: none lost, none read twice through the loop
    assert {Path(r["source_path"]).name: (r["status"], r["error"] or r["warnings"] or None) for r in rows} == {
        bad.name: (bad.status, bad.error) for bad in expected}
    assert all(Path(r["source_path"]).parent == folder for r in rows)


def test_a_runaway_file_is_stopped_by_its_time_limit(tmp_path):
    """A PDF that takes about two minutes to read, run with --timeout 15 beside a good file: it is
    reported as timed out, the good file is read, and the run ends long before the slow file would."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "slow.pdf").write_bytes(slow_pdf_bytes(pages=80))
    shutil.copy(Path(__file__).parent.parent / "samples" / "004_35c19541f4036631.txt", folder / "good.txt")
    out = tmp_path / "out"
    done = subprocess.run([JIXIAO, "run", str(folder), "-o", str(out), "-q", "-j", "2", "--timeout", "15"],
                          capture_output=True, text=True, timeout=60)  # unbounded, slow.pdf takes ~110 s
    assert done.returncode == 1
    with open(out / "reports.csv", encoding="utf-8-sig", newline="") as fh:
        rows = {Path(r["source_path"]).name: (r["status"], r["error"]) for r in csv.DictReader(fh)}
    assert rows == {"slow.pdf": ("failed", "timed out after 15 s"), "good.txt": ("ok", "")}


# ---------------------------------------------------------------- not a regular file


def test_fifo_is_refused_without_opening_it(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(extract.ReadError) as err:
        extract.read(fifo)  # opening it would block: the test would hang
    assert str(err.value) == "cannot read: not a regular file (a pipe, socket or device)"
    assert outcome(fifo) == ("failed", "cannot read: not a regular file (a pipe, socket or device)")


def test_directory_named_like_a_report(tmp_path):
    folder = tmp_path / "report.txt"
    folder.mkdir()
    assert outcome(folder) == ("failed", "cannot read: is a directory, not a file")


def test_dangling_symlink(tmp_path):
    link = tmp_path / "gone.docx"
    link.symlink_to(tmp_path / "nowhere.docx")
    assert outcome(link) == ("failed", "cannot read: file not found (a dangling symlink?)")


@pytest.mark.skipif(running_as_root(), reason="running as root: chmod 000 does not stop root reading a file")
def test_unreadable_file(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text("项目名称")
    path.chmod(0)
    try:
        assert outcome(path) == ("failed", "cannot read: permission denied")
    finally:
        path.chmod(0o644)


# ---------------------------------------------------------------- zip checks


def test_zip_bound_is_checked_before_inflating(tmp_path, monkeypatch):
    """The bomb is refused from the central directory alone: no member is ever opened."""
    bomb = bomb_docx(tmp_path / "bomb.docx", gib=0.25)
    opened = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, name, *a, **k: opened.append(name) or
                        real_open(self, name, *a, **k))
    with pytest.raises(extract.ReadError) as err:
        extract.read(bomb)
    assert str(err.value) == ("refused: zip member word/document.xml would inflate to 256.0 MiB "
                              "(limit 128.0 MiB); a zip bomb?")
    assert opened == []


def test_zip_member_lying_about_its_size_inflates_no_further(tmp_path):
    """zipfile stops at the size the central directory declares, so the declared sizes that
    safety.check_zip bounds are what is inflated even when they lie: a 20 MiB member declared (with a
    matching CRC) as 1000 bytes reads as 1000 bytes."""
    content = b"<a/>" + b" " * (20 << 20)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", content)
    data = bytearray(buffer.getvalue())
    central, local = data.rfind(b"PK\x01\x02"), data.find(b"PK\x03\x04")
    for crc_at, size_at in ((central + 16, central + 24), (local + 14, local + 22)):
        struct.pack_into("<I", data, crc_at, zlib.crc32(content[:1000]))
        struct.pack_into("<I", data, size_at, 1000)
    lying = tmp_path / "lying.docx"
    lying.write_bytes(bytes(data))
    with zipfile.ZipFile(lying) as z:
        assert len(z.read("word/document.xml")) == 1000


@pytest.mark.parametrize("head, problem", [
    (b'<?xml version="1.0"?><w:document/>', None),
    (b"\xef\xbb\xbf<?xml version='1.0'?>\r\n<!-- note --><?pi x?><root/>", None),
    (b"", None),
    (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><r>&e;</r>',
     "declares a DOCTYPE (XML entities are not allowed in report files)"),
    (b'<?xml version="1.0"?>\n<!-- a comment first -->\n<!DOCTYPE r><r/>',
     "declares a DOCTYPE (XML entities are not allowed in report files)"),
    ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY e "x">]><r/>'.encode("utf-16"),
     "declares a DOCTYPE (XML entities are not allowed in report files)"),
    ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r><r/>'.encode("utf-16-le"),
     "declares a DOCTYPE (XML entities are not allowed in report files)"),
    (b"<!ENTITY e 'x'><r/>", "declares a DOCTYPE (XML entities are not allowed in report files)"),
    (b"<?xml version='1.0'?><!-- never closed " + b"x" * 70000, "does not start like XML"),
    (b" " * 70000, f"has no root element in its first {safety.PROLOG_BYTES // 1024} KiB"),
    (b"Lo\xa7\x94\x93\x94", "does not start like XML"),  # '<?xml' in EBCDIC
])
def test_xml_prolog_problem(head, problem):
    assert safety.xml_prolog_problem(head[: safety.PROLOG_BYTES]) == problem


def test_doctype_in_any_part_is_refused(tmp_path):
    source = form_docx(tmp_path / "form.docx")
    target = with_part_replaced(source, tmp_path / "rels.docx", "_rels/.rels",
                                lambda xml: xml.replace(b"?>", b"?><!DOCTYPE x>", 1))
    with pytest.raises(extract.ReadError) as err:
        extract.read(target)
    assert str(err.value) == "refused: _rels/.rels declares a DOCTYPE (XML entities are not allowed in report files)"


def test_doctype_in_xlsx_is_refused(tmp_path):
    import openpyxl
    book = openpyxl.Workbook()
    book.active["A1"] = "项目名称"
    book.save(tmp_path / "form.xlsx")
    doctype = b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/hostname'>]>"
    target = with_part_replaced(tmp_path / "form.xlsx", tmp_path / "xxe.xlsx", "xl/workbook.xml",
                                lambda xml: doctype + xml)  # openpyxl writes no XML declaration
    assert outcome(target) == ("failed", "refused: xl/workbook.xml declares a DOCTYPE (XML entities are not "
                                         "allowed in report files)")


def test_reader_bug_becomes_one_line_failed(tmp_path, monkeypatch):
    """An exception escaping a reader is one line with its type and where it was raised, not a traceback."""
    from jixiao.extract import txt as txt_reader

    def broken(path):
        raise KeyError("cell")
    monkeypatch.setattr(txt_reader, "read_txt", broken)
    path = tmp_path / "a.txt"
    path.write_text("项目名称")
    line = __import__("inspect").getsourcelines(broken)[1] + 1
    assert outcome(path) == ("failed", f"could not read txt: KeyError: 'cell' (test_bad_input.py:{line})")
