"""Throughput, scaling and memory of the pipeline, measured against the libraries underneath.

    .venv/bin/python bench/run.py            # --quick (default): a few minutes on 2 cores
    .venv/bin/python bench/run.py --full     # N = 100 and 1000 for every format (long for PDFs)
    .venv/bin/python bench/run.py --compare bench/out/before.json   # add a column: ratio to an earlier run
    .venv/bin/python bench/run.py --profile pdf   # pyinstrument over process() on the pdf samples
    .venv/bin/python bench/run.py --ocr      # OCR engines on samples/scans/: accuracy and seconds per page
    .venv/bin/python bench/run.py --evidence # the flags' evidence files: CPU seconds and KB per flag
    .venv/bin/python bench/run.py --e2e      # only `jixiao run` end to end (--jobs 1 and 2) beside process()

Builds a corpus from samples/ in a temporary folder (every copy has different bytes, so `jixiao run`
does not treat them as duplicates; extracted values are unchanged), then measures, each in a fresh
process so that memory figures are per measurement:

* pipeline: `normalize.pipeline.process` on every file, one core;
* baseline: the least a reader must do with the bare libraries — python-docx opening the file and
  reading every paragraph and every cell; pdfplumber opening the PDF and calling extract_text() and
  extract_tables() on every page (and, for reference, pypdfium2 reading every page's text);
* scaling with N (files/s at the small and the large N);
* end to end, `jixiao run --force --quiet`: 400 distinct .txt, and 300 .txt + 24 PDFs, each with --jobs 1
  and 2 (the speed-up), with the CPU seconds of the main process and of the workers (robust on a shared
  machine, where wall time is not) and the peak resident memory of each; with --e2e, only these, beside
  process()'s files/s on one core over the same corpus (every E2E_SAMPLE-th file).

Prints a table and writes bench/out/<time>.json and bench/out/latest.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
OUT = ROOT / "bench" / "out"
FORMATS = ("txt", "docx", "pdf")
# (small N, large N) per format: --quick keeps the whole run to a few minutes on a 2-core machine
QUICK_N = {"txt": (100, 1000), "docx": (30, 150), "pdf": (10, 40)}
FULL_N = {"txt": (100, 1000), "docx": (100, 1000), "pdf": (100, 1000)}
# end to end, `jixiao run --force --quiet` on distinct copies (issue 10 item 10): corpus -> files per format, --jobs
E2E = {"txt": ({"txt": 400}, (1, 2)), "mixed": ({"txt": 300, "pdf": 24}, (1, 2))}
E2E_SAMPLE = 4  # --e2e: process() on every 4th file of each corpus (the same mix of formats, a quarter the time)


# ---------------------------------------------------------------- corpus


def samples_of(fmt: str) -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if p.suffix == f".{fmt}")


def copy_txt(src: Path, dst: Path, i: int) -> None:
    # a trailing line of i+1 spaces: different bytes, and a blank line changes no block
    # (a unique closing paragraph would: seed 004 ends in a table dump that would take it in)
    dst.write_bytes(src.read_bytes() + b"\n" + b" " * (i + 1) + b"\n")


def copy_docx(src: Path, dst: Path, i: int) -> None:
    # same parts, different zip timestamps: different bytes, identical document
    stamp = (1990 + i // 4000 % 100, 1 + i // 300 % 12, 1 + i // 10 % 28, i % 10, 0, 0)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            clone = zipfile.ZipInfo(info.filename, date_time=stamp)
            clone.compress_type = info.compress_type
            zout.writestr(clone, zin.read(info.filename))


def copy_pdf(src: Path, dst: Path, i: int) -> None:
    # a comment after %%EOF: readers look for startxref from the end and skip it
    dst.write_bytes(src.read_bytes() + f"%bench copy {i}\n".encode())


COPIERS = {"txt": copy_txt, "docx": copy_docx, "pdf": copy_pdf}


def build_corpus(folder: Path, fmt: str, n: int) -> list[Path]:
    """n files cycling through the format's samples, named after the sample and their number."""
    folder.mkdir(parents=True, exist_ok=True)
    sources = samples_of(fmt)
    paths = []
    for i in range(n):
        src = sources[i % len(sources)]
        dst = folder / f"{i:05d}_{src.name}"
        COPIERS[fmt](src, dst, i)
        paths.append(dst)
    return paths


def page_counts() -> dict[str, int]:
    """Pages per sample: the PDF's own count; a .docx counts the pages of its PDF rendition, else an
    estimate from its length (Word's page count is not in files LibreOffice wrote); a .txt is one page."""
    import pypdfium2
    from jixiao import extract
    pages, chars_per_page = {}, []
    for pdf in samples_of("pdf"):
        n = len(pypdfium2.PdfDocument(str(pdf)))
        pages[pdf.name] = n
        twin = pdf.with_suffix(".docx")
        if twin.exists():
            pages[twin.name] = n
            chars_per_page.append(_chars(extract.read(twin)) / n)
    per_page = sum(chars_per_page) / len(chars_per_page) if chars_per_page else 1500
    for docx in samples_of("docx"):
        pages.setdefault(docx.name, max(1, round(_chars(extract.read(docx)) / per_page)))
    for txt in samples_of("txt"):
        pages[txt.name] = 1
    return pages


def _chars(document) -> int:
    from jixiao.extract.model import Paragraph
    return sum(len(b.text) if isinstance(b, Paragraph) else sum(len(c.text) for row in b.grid for c in row)
               for b in document.blocks)


# ---------------------------------------------------------------- what is measured (in a child process)


def run_pipeline(path: str) -> None:
    from jixiao.normalize.pipeline import process
    data = process(path)
    if data.reports["status"].iloc[0] not in ("ok", "partial"):
        raise SystemExit(f"pipeline failed on {path}: {data.reports['error'].iloc[0]}")


def run_python_docx(path: str) -> None:
    import docx
    document = docx.Document(path)
    for paragraph in document.paragraphs:
        paragraph.text
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                cell.text


def run_pdfplumber(path: str) -> None:
    import pdfplumber
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
            page.close()


def run_pdfium_text(path: str) -> None:
    import pypdfium2
    document = pypdfium2.PdfDocument(path)
    for page in document:
        page.get_textpage().get_text_range()
    document.close()


def run_read_bytes(path: str) -> None:
    data = Path(path).read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        data.decode("gb18030", errors="replace")


KINDS = {"pipeline": run_pipeline, "python-docx": run_python_docx, "pdfplumber": run_pdfplumber,
         "pypdfium2-text": run_pdfium_text, "read+decode": run_read_bytes}
BASELINES = {"txt": ["read+decode"], "docx": ["python-docx"], "pdf": ["pdfplumber", "pypdfium2-text"]}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def child(kind: str, list_file: str) -> None:
    """Warm up on the first file (imports, jieba), then time every file; print one JSON line."""
    paths = Path(list_file).read_text().split("\n")
    run = KINDS[kind]
    started = time.perf_counter()
    run(paths[0])
    warmup = time.perf_counter() - started
    rss_warm = peak_rss_mb()
    started = time.perf_counter()
    for path in paths:
        run(path)
    elapsed = time.perf_counter() - started
    print(json.dumps({"kind": kind, "files": len(paths), "seconds": elapsed, "warmup_seconds": warmup,
                      "rss_after_warmup_mb": rss_warm, "peak_rss_mb": peak_rss_mb()}))


def measure(kind: str, paths: list[Path], scratch: Path) -> dict:
    list_file = scratch / f"list-{kind}-{len(paths)}.txt"
    list_file.write_text("\n".join(map(str, paths)))
    done = subprocess.run([sys.executable, __file__, "--child", kind, str(list_file)], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- jixiao run --jobs


def watch_tree(pid: int, peaks: dict[int, float], stop: threading.Event) -> None:
    """Peak RSS (VmHWM) of a process and its descendants, sampled until `stop`."""
    try:
        import psutil
    except ImportError:
        return
    while not stop.is_set():
        try:
            procs = [psutil.Process(pid)] + psutil.Process(pid).children(recursive=True)
        except psutil.Error:
            return
        for proc in procs:
            hwm = _vm_hwm_mb(proc.pid)
            if hwm:
                peaks[proc.pid] = max(peaks.get(proc.pid, 0.0), hwm)
        stop.wait(0.1)


def _vm_hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def e2e_child(argv: list[str]) -> None:
    """`jixiao run ...` in this process, then its CPU seconds (main, workers, side processes) as JSON on stdout."""
    from jixiao import side_process
    from jixiao.cli import main as jixiao_main
    serve = side_process.serve
    fd, side_cpu = tempfile.mkstemp(prefix="jixiao-side-cpu-")
    os.close(fd)

    def timed_serve(*args) -> None:  # in each side process (forked): its own CPU seconds, one line each
        try:
            serve(*args)
        finally:
            usage = resource.getrusage(resource.RUSAGE_SELF)
            with open(side_cpu, "a") as fh:
                fh.write(f"{usage.ru_utime + usage.ru_stime}\n")

    side_process.serve = timed_serve
    load = os.getloadavg()[0]
    code = jixiao_main(argv)
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    side = sum(map(float, Path(side_cpu).read_text().split()))
    os.unlink(side_cpu)
    print(json.dumps({"exit": code, "main_cpu": me.ru_utime + me.ru_stime, "side_cpu": side,
                      "workers_cpu": children.ru_utime + children.ru_stime - side,
                      "load": [load, os.getloadavg()[0]]}))


def run_jobs(folder: Path, jobs: int, scratch: Path) -> dict:
    out = scratch / f"out-jobs{jobs}"
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, str(Path(__file__).resolve()), "--e2e-child", "run", str(folder), "-o", str(out),
               "--force", "--jobs", str(jobs), "--quiet"]
    peaks: dict[int, float] = {}
    stop = threading.Event()
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watcher = threading.Thread(target=watch_tree, args=(proc.pid, peaks, stop), daemon=True)
    watcher.start()
    stdout, err = proc.communicate()
    elapsed = time.perf_counter() - started
    stop.set()
    watcher.join()
    if proc.returncode not in (0,):
        raise SystemExit(f"jixiao run --jobs {jobs} exited {proc.returncode}:\n{err[-3000:]}")
    main = peaks.pop(proc.pid, None)
    cpu = json.loads(stdout.strip().splitlines()[-1])
    return {"jobs": jobs, "files": sum(1 for p in folder.rglob("*") if p.is_file()), "seconds": elapsed,
            "main_cpu": cpu["main_cpu"], "workers_cpu": cpu["workers_cpu"], "side_cpu": cpu.get("side_cpu"),
            "load": cpu.get("load"),
            "main_peak_rss_mb": main, "worker_peak_rss_mb": sorted(peaks.values(), reverse=True)}


# ---------------------------------------------------------------- the run


def per_format(fmt: str, sizes: tuple[int, int], pages: dict[str, int], scratch: Path) -> dict:
    small, large = sizes
    corpus = build_corpus(scratch / fmt, fmt, large)
    file_pages = [pages[p.name.split("_", 1)[1]] for p in corpus]
    result = {"n_small": small, "n_large": large, "pages_small": sum(file_pages[:small]),
              "pages_large": sum(file_pages)}
    print(f"  {fmt}: pipeline N={small}", file=sys.stderr, flush=True)
    result["pipeline"] = measure("pipeline", corpus[:small], scratch)
    for kind in BASELINES[fmt]:
        print(f"  {fmt}: {kind} N={small}", file=sys.stderr, flush=True)
        result[kind] = measure(kind, corpus[:small], scratch)
    print(f"  {fmt}: pipeline N={large}", file=sys.stderr, flush=True)
    result["pipeline_large"] = measure("pipeline", corpus, scratch)
    shutil.rmtree(scratch / fmt)
    return result


def e2e_corpus(scratch: Path, name: str) -> Path:
    folder = scratch / f"e2e-{name}"
    for fmt, n in E2E[name][0].items():
        build_corpus(folder / fmt, fmt, n)
    return folder


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    if args.e2e_child:
        e2e_child(args.e2e_child)
        return 0
    if args.profile:
        return profile(args.profile)
    if args.evidence:  # what the flags' evidence pictures cost (bench/evidence_bench.py)
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from evidence_bench import main as evidence_main
        return evidence_main([])
    if args.ocr:  # OCR engines on the scanned renditions: accuracy and seconds per page (bench/ocr_bench.py)
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from ocr_bench import main as ocr_main
        return ocr_main([])
    sizes = FULL_N if args.full else QUICK_N
    formats = [] if args.e2e else args.formats or list(FORMATS)
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp:
        scratch = Path(tmp)
        pages = page_counts() if formats else {}
        results = {"when": dt.datetime.now().isoformat(timespec="seconds"), "mode": "full" if args.full else "quick",
                   "git": git_head(), "machine": machine(), "formats": {}}
        for fmt in formats:
            results["formats"][fmt] = per_format(fmt, sizes[fmt], pages, scratch)
        if not args.no_jobs:
            results["jobs"] = []
            for name, (_, job_counts) in E2E.items():
                folder = e2e_corpus(scratch, name)
                if args.e2e:  # process() alone, one core, on the same mix: what the end-to-end figure compares to
                    files = sorted(p for p in folder.rglob("*") if p.is_file())[::E2E_SAMPLE]
                    print(f"  process() on {name} (every {E2E_SAMPLE}th file)", file=sys.stderr, flush=True)
                    results.setdefault("process", {})[name] = measure("pipeline", files, scratch)
                for jobs in job_counts:
                    print(f"  jixiao run {name} --jobs {jobs}", file=sys.stderr, flush=True)
                    results["jobs"].append({"corpus": name, **run_jobs(folder, jobs, scratch)})
                shutil.rmtree(folder)
    earlier = json.loads(Path(args.compare).read_text()) if args.compare else None
    print(render(results, earlier))
    save(results)
    return 0


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="default: small N for docx/pdf")
    mode.add_argument("--full", action="store_true", help="N = 100 and 1000 for every format")
    parser.add_argument("--formats", nargs="+", choices=FORMATS, help="only these formats")
    parser.add_argument("--no-jobs", action="store_true", help="skip the jixiao run --jobs 1/2 measurement")
    parser.add_argument("--e2e", action="store_true",
                        help="only jixiao run end to end (--jobs 1, 2 on both corpora) beside process()'s files/s")
    parser.add_argument("--compare", metavar="JSON", help="an earlier bench/out/*.json: show now/then")
    parser.add_argument("--profile", choices=FORMATS, help="pyinstrument over process() on the samples")
    parser.add_argument("--ocr", action="store_true", help="OCR engines on samples/scans/: accuracy, s/page")
    parser.add_argument("--evidence", action="store_true", help="evidence files: CPU and bytes per flag")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "LIST"), help=argparse.SUPPRESS)
    parser.add_argument("--e2e-child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def git_head() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip()


def machine() -> dict:
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()}


def save(results: dict) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, indent=1, ensure_ascii=False)
    (OUT / f"{results['when'].replace(':', '')}.json").write_text(text)
    (OUT / "latest.json").write_text(text)
    print(f"\nwritten: {OUT.relative_to(ROOT)}/latest.json")


# ---------------------------------------------------------------- the table


def rate(m: dict, n: int | None = None) -> float:
    return (n if n is not None else m["files"]) / m["seconds"]


def rows_of(results: dict) -> list[tuple[str, str, float | None, str]]:
    """(group, what, value, unit): the figures the table shows and --compare compares."""
    rows = []
    for fmt, r in results["formats"].items():
        pipe = r["pipeline"]
        rows.append((fmt, f"pipeline files/s (N={r['n_small']})", rate(pipe), "files/s"))
        rows.append((fmt, "pipeline pages/s", rate(pipe, r["pages_small"]), "pages/s"))
        for kind in BASELINES[fmt]:
            base = r[kind]
            rows.append((fmt, f"{kind} files/s", rate(base), "files/s"))
            rows.append((fmt, f"pipeline time / {kind} time", base["files"] / base["seconds"] / rate(pipe) if
                         rate(pipe) else None, "ratio"))
        large = r["pipeline_large"]
        rows.append((fmt, f"pipeline files/s (N={r['n_large']})", rate(large), "files/s"))
        rows.append((fmt, f"scaling N={r['n_small']}→{r['n_large']}: time per file", rate(pipe) / rate(large), "ratio"))
        rows.append((fmt, "warm-up (imports, first file)", pipe["warmup_seconds"], "s"))
        rows.append((fmt, f"peak RSS N={r['n_small']} / N={r['n_large']}",
                     pipe["peak_rss_mb"], f"MB / {large['peak_rss_mb']:.0f} MB"))
    by_corpus: dict[str, dict[int, dict]] = {}
    for name, m in results.get("process", {}).items():
        rows.append(("run", f"process() {name}, one core ({m['files']} files)", rate(m), "files/s"))
    for j in results.get("jobs", []):
        name = j.get("corpus", "mixed")
        by_corpus.setdefault(name, {})[j["jobs"]] = j
        what = f"e2e {name} --jobs {j['jobs']} ({j['files']} files)"
        rows.append(("run", what, rate(j), "files/s"))
        if j.get("side_cpu") is not None:
            rows.append(("run", f"  CPU s main / workers / side ({name}, --jobs {j['jobs']})", j["main_cpu"],
                         f"s / {j['workers_cpu']:.1f} s / {j['side_cpu']:.1f} s (load {j['load'][0]:.1f}→"
                         f"{j['load'][1]:.1f})"))
            # what --jobs 2 on 2 cores can gain, from CPU alone (wall time is noise on a shared machine): main and side
            # processes run on the spare core under --jobs 1, and take their share of both cores under --jobs 2
            around = j["main_cpu"] + j["side_cpu"]
            rows.append(("run", f"  (main + side) / workers CPU ({name}, --jobs {j['jobs']}); 2-core bound "
                                "2W/(W+M+S)", 100 * around / j["workers_cpu"],
                         f"% ; {2 * j['workers_cpu'] / (j['workers_cpu'] + around):.2f}×"))
        elif "main_cpu" in j:
            rows.append(("run", f"  CPU s main / workers ({name}, --jobs {j['jobs']})", j["main_cpu"],
                         f"s / {j['workers_cpu']:.1f} s"))
        workers = ", ".join(f"{w:.0f}" for w in j["worker_peak_rss_mb"][:4]) or "?"
        rows.append(("run", f"  peak RSS main / workers ({name}, --jobs {j['jobs']})", j["main_peak_rss_mb"],
                     f"MB / {workers} MB"))
    for name, runs in by_corpus.items():
        if 1 in runs and 2 in runs:
            rows.append(("run", f"speed-up {name} --jobs 2 over --jobs 1", rate(runs[2]) / rate(runs[1]), "×"))
    return rows


def render(results: dict, earlier: dict | None) -> str:
    then = {(g, w): v for g, w, v, _ in rows_of(earlier)} if earlier else {}
    head = f"jixiao bench ({results['mode']}, {results['git']}, {results['machine']['cpus']} cpus)"
    lines = [head, ""]
    for group, what, value, unit in rows_of(results):
        text = f"{value:10.2f}" if isinstance(value, (int, float)) else f"{'—':>10}"
        line = f"{group:5} {what:48} {text} {unit}"
        old = then.get((group, what))
        if old and isinstance(value, (int, float)):
            line += f"   (was {old:.2f}: ×{value / old:.2f})"
        lines.append(line)
    return "\n".join(lines)


# ---------------------------------------------------------------- profiling


def profile(fmt: str) -> int:
    """A pyinstrument profile of process() over the samples of one format (after a warm-up)."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("pip install pyinstrument (or: pip install -e '.[bench]')", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    from jixiao.normalize.pipeline import process
    files = samples_of(fmt)
    process(files[0])
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for path in files * 3:
        process(path)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
