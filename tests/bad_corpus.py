"""Bad input built by the tests (nothing binary committed): each builder writes one file into a folder and
says which reports.status and error it must get."""
from __future__ import annotations

import io
import os
import random
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx

from jixiao.extract.ocr import how_to_enable
from jixiao.extract.ocr_engines import resolve

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
SECRET = "TOP-SECRET-7f3a9c"  # the XXE test's secret: must appear in no output
NEEDS_OCR = f"no text layer on any of 1 pages; {how_to_enable()}"
OCR_ENGINE = resolve("auto")  # scans are OCR'd by default when an engine is installed


@dataclass(frozen=True)
class Bad:
    name: str
    status: str
    error: str | None  # the exact one-line reports.error (None where status is ok/partial)


# ---------------------------------------------------------------- small builders


def random_bytes(n: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(n)


def form_docx(path: Path, extra_rows: int = 0) -> Path:
    """A small 项目支出绩效自评表 with a merged cell, written by python-docx."""
    d = docx.Document()
    d.add_paragraph("2021年度两会新媒体宣传项目自评表")
    d.add_paragraph("单位名称：东西湖区融媒体中心    填报日期：2022.2.7")
    rows = [["项目名称", "2021年度两会新媒体宣传", "", "", "", ""],
            ["预算执行情况（万元）（20分）", "", "预算数（A）", "执行数（B）", "执行率（B/A）", "得分"],
            ["", "年度财政资金总额", "55", "32.37", "58.85%", "11.77"],
            ["年度绩效目标", "一级指标", "三级指标", "年初目标值", "实际完成值", "得分"],
            ["", "产出指标", "新媒体产品", "5个", "5个", "8"]]
    rows += [["", "产出指标", f"指标{i}", "≥90%", "95%", "8"] for i in range(extra_rows)]
    table = d.add_table(rows=len(rows), cols=6)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    table.cell(0, 1).merge(table.cell(0, 5))
    table.cell(1, 0).merge(table.cell(2, 0))
    d.add_paragraph("总分 99.75。")
    d.save(path)
    return path


def soffice_convert(source: Path, target: str, outdir: Path) -> Path:
    """LibreOffice headless conversion with a private profile (parallel test workers)."""
    profile = (outdir / ".lo-profile").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", target,
                    "--outdir", str(outdir), str(source)], check=True, capture_output=True, timeout=180)
    return outdir / f"{source.stem}.{target.split(':')[0]}"


def tiny_pdf(page_streams: list[bytes], fonts: list[bytes]) -> bytes:
    """A minimal PDF: fonts are /F1, /F2 … for every page; identical page streams share one object."""
    objects: list[bytes] = [b"", b""]  # 1: catalog, 2: pages, filled in below
    font_refs = []
    for font in fonts:
        objects.append(font)
        font_refs.append(len(objects))
    resources = b"<< /Font << " + b" ".join(b"/F%d %d 0 R" % (i + 1, n) for i, n in enumerate(font_refs)) + b" >> >>"
    streams: dict[bytes, int] = {}
    kids = []
    for stream in page_streams:
        if stream not in streams:
            objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
            streams[stream] = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents %d 0 R >>"
                       % (resources, streams[stream]))
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
# A CID font with no ToUnicode map and no embedded program: its text extracts as (cid:NN).
NO_UNICODE_CID_FONT = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /NoMap /Encoding /Identity-H /DescendantFonts [<< /Type /Font"
    b" /Subtype /CIDFontType2 /BaseFont /NoMap /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity)"
    b" /Supplement 0 >> /FontDescriptor << /Type /FontDescriptor /FontName /NoMap /Flags 4"
    b" /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"
    b" /DW 1000 >>] >>")


def slow_pdf_bytes(pages: int) -> bytes:
    """Pages of thousands of random strokes: minutes of table finding for pdfplumber."""
    rnd = random.Random(1)
    ops = [b"BT /F1 8 Tf 72 800 Td (slow page) Tj ET"]
    for _ in range(4000):
        x, y = rnd.uniform(20, 575), rnd.uniform(20, 820)
        ops.append(b"%.1f %.1f m %.1f %.1f l S" % (x, y, x + rnd.uniform(-50, 50), y + rnd.uniform(-50, 50)))
        ops.append(b"%.1f %.1f %.1f %.1f re S" % (x, y, rnd.uniform(1, 30), rnd.uniform(1, 30)))
    return tiny_pdf([b"\n".join(ops)] * pages, [HELVETICA])


def bomb_docx(path: Path, gib: float) -> Path:
    """A .docx whose document.xml inflates to `gib` GiB: streamed through zipfile from a generator of
    1 MiB chunks, deflated fast (a few MiB on disk)."""
    chunk = b" " * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with z.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0"?><w:document xmlns:w="x"><w:body>')
            for _ in range(int(gib * 1024)):
                part.write(chunk)
    return path


def ratio_bomb_docx(path: Path) -> Path:
    """Under the size bound (100 MiB) but compressed ~1000:1: refused by the ratio bound."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", b" " * (100 << 20))
    return path


def with_part_replaced(source: Path, target: Path, part: str, edit) -> Path:
    """A copy of an Office package with one part's bytes passed through `edit`."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, edit(data) if info.filename == part else data)
    return target


def xxe_docx(source: Path, target: Path, secret_file: Path) -> Path:
    """document.xml declares an external entity pointing at a local file and uses it in the text."""
    def edit(xml: bytes) -> bytes:
        decl_end = xml.index(b"?>") + 2
        doctype = b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "%s">]>' % secret_file.as_uri().encode()
        return xml[:decl_end] + doctype + xml[decl_end:].replace("项目名称".encode(), b"&xxe;", 1)
    return with_part_replaced(source, target, "word/document.xml", edit)


def scanned_pdf(source_pdf: Path, page: int, target: Path, dpi: int = 200) -> Path:
    """An image-only PDF: one page of `source_pdf` rasterised by pdftoppm, put back into a PDF by Pillow."""
    from PIL import Image
    prefix = target.with_suffix("")
    subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(dpi), "-gray", "-png",
                    "-singlefile", str(source_pdf), str(prefix)], check=True, timeout=120)
    png = prefix.with_suffix(".png")
    with Image.open(png) as image:
        image.save(target, resolution=dpi)
    png.unlink()
    return target


# ---------------------------------------------------------------- the corpus


def build_corpus(folder: Path, work: Path) -> list[Bad]:
    """Every bad input in `folder` (scratch files in `work`), with what it must come out as."""
    folder.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    expected: list[Bad] = []

    def put(name: str, data: bytes, status: str, error: str | None) -> None:
        (folder / name).write_bytes(data)
        expected.append(Bad(name, status, error))

    binary = "not a report file: unrecognised binary content"
    put("empty.txt", b"", "failed", "empty file (0 bytes)")
    put("random.docx", random_bytes(4096, 1), "failed", binary)
    put("random.pdf", random_bytes(4096, 2), "failed", binary)
    put("random.txt", random_bytes(4096, 3), "failed", binary)

    good_docx = form_docx(work / "form.docx").read_bytes()
    put("truncated.docx", good_docx[: len(good_docx) // 2], "failed",
        "damaged Office file: not a readable zip package (BadZipFile: File is not a zip file)")
    good_pdf = (SAMPLES / "004_35c19541f4036631.pdf").read_bytes()
    put("truncated.pdf", good_pdf[: len(good_pdf) // 3], *TRUNCATED_PDF)

    bomb_docx(folder / "bomb.docx", gib=2)
    expected.append(Bad("bomb.docx", "failed", "refused: zip member word/document.xml would inflate to 2.0 GiB "
                                               "(limit 128.0 MiB); a zip bomb?"))
    ratio_bomb_docx(folder / "ratio-bomb.docx")
    info = zipfile.ZipFile(folder / "ratio-bomb.docx").getinfo("word/document.xml")
    expected.append(Bad("ratio-bomb.docx", "failed",
                        f"refused: zip member word/document.xml compresses {info.file_size / info.compress_size:.0f}:1 "
                        f"(100.0 MiB from {info.compress_size / 1024:.1f} KiB); a zip bomb?"))

    secret = work / "secret.txt"
    secret.write_text(SECRET)
    xxe_docx(work / "form.docx", folder / "xxe.docx", secret)
    expected.append(Bad("xxe.docx", "failed", "refused: word/document.xml declares a DOCTYPE "
                                              "(XML entities are not allowed in report files)"))

    encrypted = soffice_convert(work / "form.docx", ENCRYPTED_PDF_FILTER, work)
    shutil.move(encrypted, folder / "encrypted.pdf")
    expected.append(Bad("encrypted.pdf", "failed", "password-protected PDF: remove the password and rerun"))

    scanned_pdf(SAMPLES / "004_35c19541f4036631.pdf", 4, folder / "scanned.pdf")
    expected.append(Bad("scanned.pdf", "ok", None) if OCR_ENGINE else Bad("scanned.pdf", "needs_ocr", NEEDS_OCR))
    cid_text = b"BT /F1 12 Tf 72 700 Td <0011002200330044005500660077008800990100> Tj ET"
    if OCR_ENGINE:  # OCR reads its rendered glyphs ("3DUf wS3"): no Chinese read, said, never a silent ok
        put("cid.pdf", tiny_pdf([cid_text], [NO_UNICODE_CID_FONT]), "partial",
            "almost no Chinese text read: OCR of page(s) 1 read 0 Chinese characters (“\" 3DUf wS3”)")
    else:
        put("cid.pdf", tiny_pdf([cid_text], [NO_UNICODE_CID_FONT]), "needs_ocr", NEEDS_OCR)

    pages = [b"BT /F1 11 Tf 72 760 Td (Page %d: budget 55 32.37 58.85%% 11.77) Tj ET" % i for i in range(300)]
    put("300-pages.pdf", tiny_pdf(pages, [HELVETICA]), "not_report",  # English text: read, and said to be no report
        "not a report: mostly non-Chinese text (0 of 3000 letters Chinese)")

    seed = (SAMPLES / "004_35c19541f4036631.txt").read_text(encoding="utf-8")[:6000]
    gbk_bytes = seed.encode("gbk", errors="replace")  # ☑ and NBSP have no GBK code: "?"
    cut = "form 5 cut off: the document ends inside it (no 总分 row read); its sums cover the rows read"
    put("gbk.txt", gbk_bytes, "partial", cut)  # decoded whole; the 6000 characters end inside form 5, said
    put("utf16.txt", seed.encode("utf-16"), "partial", cut)
    gbk = bytearray(gbk_bytes)
    gbk[1000:1000] = b"\xff\xfe\x01\x02\x80\x81\xfe"  # stray binary in the middle of GBK text
    put("stray-binary.txt", bytes(gbk), "partial", "3 undecodable byte sequence(s) in gb18030 replaced with U+FFFD; "
        + cut)

    put("not-a-report.zip", _zip_of({"notes.txt": b"hello"}), "failed",
        "not a report file: a zip archive with no Word or Excel document in it")
    put("pdf-junk.pdf", b"%PDF-1.7\n" + random_bytes(3000, 4), "failed", DAMAGED_PDF_JUNK)
    (folder / "folder-named.txt").mkdir()  # a directory where a file is expected: walked, holds nothing
    return expected


def _zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


ENCRYPTED_PDF_FILTER = ('pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
                        '"DocumentOpenPassword":{"type":"string","value":"secret"}}')
# Messages from extract/pdf.py (another engineer's reader), asserted as they stand.
TRUNCATED_PDF = ("failed", "damaged PDF: PSEOF Unexpected EOF")
DAMAGED_PDF_JUNK = "damaged PDF: PDFSyntaxError No /Root object! - Is this really a PDF?"


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0
