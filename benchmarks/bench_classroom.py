"""What a class feels: each workbook page in Chromium, against a one-slider reference app. Not a test.

    make bench          # or: .venv/bin/python -m benchmarks.bench_classroom [--repeats 3] [--changes 10]
    .venv/bin/python -m benchmarks.bench_classroom --repeats 1 --only 00 04   # the reference always runs

Serves a temporary folder holding copies of notebooks/*.ipynb and benchmarks/reference_app.ipynb
(one slider, one plotly FigureWidget) with two Voila servers on 127.0.0.1 and the workbook's
template and config: one cold (a kernel starts and runs the notebook on each request), one
preheated (--preheat_kernel=True --pool_size=1 as `make app`, fill_delay 8 s so the pool refills
after a load, not during it). In each of R rounds every page is loaded once per server, in an
order rotated by one page per round, each time in a fresh browser context (empty cache,
non-loopback requests aborted); before every measured load the script waits until the cold
server has no kernel and the preheated pool is full and idle. Measures:

  tti cold / preheated  navigation start -> every cell output rendered, every figure on screen
                        drawn by plotly (_fullData present), the first control enabled, and no
                        widget view or plot added for 1 s (not counted), in s (in-page clock).
                        A page showing "Error displaying widget" is an error, never reloaded
  html                  navigation start -> the last byte of the page (cold: Voila has started a
                        kernel and executed every cell): the server's share of tti, in s
  latency               keydown/change of one control -> the target plot holding new plotly
                        data, in ms (in-page clock; cold pages, after tti)
  kernel RSS / USS      of the page's kernel process once the cold page is interactive, MiB
  model update          bench_dose_app.py's update of notebook 04's apps, headless, in ms

Targets: tti within 1.25x the reference's (cold vs cold, preheated vs preheated); median latency
under 150 ms; kernel memory within 1.15x the reference's. Prints a table with PASS/OVER, writes
artifacts/bench/classroom.csv, and exits 0 whatever the verdicts (2 without Chromium).
"""
from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks import classroom_pages as cp

REPO = cp.REPO
OUT_CSV = REPO / "artifacts" / "bench" / "classroom.csv"
TTI_RATIO = 1.25
LATENCY_MS = 150.0
MEMORY_RATIO = 1.15
FILL_DELAY_S = 8.0  # > a preheated page's tti here, so the pool refills after a load, not during
WARM_UP = "04_dose_and_cost.ipynb"

from tests.support.servers import use_workbook_config  # noqa: E402

use_workbook_config()


def code_state() -> str:
    """The commit measured, and whether ivigkit/ or notebooks/ differ from it."""
    def git(*args) -> str:
        return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True).stdout.strip()

    changed = git("status", "--porcelain", "--", "ivigkit", "notebooks").splitlines()
    return f"commit {git('rev-parse', '--short', 'HEAD') or '?'}" + (
        f" + uncommitted changes to {', '.join(c[3:] for c in changed)}" if changed else "")


def p95(values: list[float]) -> float:
    """95th percentile (inclusive method; the value itself for one sample)."""
    v = sorted(values)
    return statistics.quantiles(v, n=20, method="inclusive")[18] if len(v) > 1 else v[0]


def stem(notebook: str) -> str:
    return notebook.removesuffix(".ipynb")


# ---------------------------------------------------------------- model update (bench_dose_app)


def model_headline(n: int) -> list[tuple[str, str, list[float]]]:
    """bench_dose_app's app layer for each scenario: (app, change, times in ms)."""
    from benchmarks import bench_dose_app as dose

    rows = []
    for scenario in dose.scenarios():
        for row in dose.run(scenario, n):
            if row.layer == "app":
                rows.append((row.app, row.change, row.times_ms))
    return rows


# ---------------------------------------------------------------- the run


class Run:
    """Samples per page and measure, plus notes on anything that bent a measurement."""

    def __init__(self) -> None:
        self.samples: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
        self.notes: dict[str, list[str]] = defaultdict(list)
        self.pool_wait_s: list[float] = []

    def add(self, notebook: str, measure: str, value: float | None) -> None:
        if value is not None:
            self.samples[stem(notebook)][measure].append(value)

    def note(self, notebook: str, text: str) -> None:
        self.notes[stem(notebook)].append(text)


def _record(load: cp.Load, run: Run, mode: str) -> str:
    """Add a load's times to the run; return its progress text."""
    if load.blocked:
        run.note(load.notebook, f"{mode}: {len(load.blocked)} non-loopback request(s) aborted, "
                                f"e.g. {load.blocked[0][:80]}")
    if load.error:
        run.note(load.notebook, f"{mode}: {load.error}")
        return load.error
    run.add(load.notebook, f"tti_{mode}_s", load.tti_s)
    run.add(load.notebook, f"html_{mode}_s", load.html_s)
    text = f"tti {load.tti_s:.2f} s (html {load.html_s:.2f} s)"
    return text


def measure_cold(browser, url, server, spec: cp.PageSpec, run: Run, changes: int) -> str:
    load = cp.open_page(browser, url, spec.notebook)
    try:
        text = _record(load, run, "cold")
        if load.error:
            return text
        usage = cp.kernel_usage(server, load.kernel_ids[-1])
        if usage:
            run.add(spec.notebook, "rss_mib", usage[0])
            run.add(spec.notebook, "uss_mib", usage[1])
            run.add(spec.notebook, "cpu_s", usage[2])
            text += f", kernel {usage[0]:.0f} MiB RSS, {usage[2]:.2f} CPU s"
        if spec.control and changes:
            times, missed = cp.latencies_ms(load.page, spec.control, changes)
            for t in times:
                run.add(spec.notebook, "latency_ms", t)
            if missed:
                run.note(spec.notebook, f"{missed} change(s) without a redrawn figure within "
                                        f"{cp.UPDATE_TIMEOUT_S:.0f} s")
            if times:
                text += f", latency {len(times)}x median {statistics.median(times):.0f} ms"
        return text
    finally:
        cp.close(load, url)


def measure_preheated(browser, url, server, spec: cp.PageSpec, run: Run,
                      fill_delay_s: float) -> tuple[str, set]:
    pool = set(cp.kernels(server))
    load = cp.open_page(browser, url, spec.notebook)
    try:
        text = _record(load, run, "preheated")
        if not load.error and load.kernel_ids[0] not in pool:
            run.note(spec.notebook, "preheated: a page did not get a pooled kernel")
        if not load.error and load.tti_s > fill_delay_s:
            run.note(spec.notebook, f"preheated: tti {load.tti_s:.1f} s > fill_delay "
                                    f"{fill_delay_s:g} s, the pool refill overlapped the load")
        return text, set(load.kernel_ids)
    finally:
        cp.close(load, url)


def port_of(url: str) -> int:
    return urlsplit(url).port


def serve(folder: Path, name: str, *extra: str):
    """servers.voila_server (127.0.0.1, the workbook's template and config) for `folder`, with
    tracebacks off as students have them and two differences:
    - kernels talk to the server over Unix sockets: with TCP, nine kernels starting at once on
      a shared machine sometimes lose jupyter_client's port race ("Address already in use")
      and leave a pool empty for good;
    - no culling: a pooled kernel that waited longer than the cull timeout is culled as soon as
      a page takes it, before the page connects (seen with servers.py's 60 s); this script
      shuts every kernel down itself."""
    from tests.support.servers import voila_server

    return voila_server(folder, extra_args=["--KernelManager.transport=ipc", *extra],
                        show_tracebacks=False, cull_idle_s=0,
                        log_name=f"bench-classroom-{name}.log")


def run_benchmark(args) -> Run:
    from playwright.sync_api import sync_playwright

    pages = [p for p in cp.PAGES if p.notebook == cp.REFERENCE
             or not args.only or any(p.notebook.startswith(o) for o in args.only)]
    run = Run()
    with ExitStack() as stack:
        folder = Path(tempfile.mkdtemp(prefix="ivigkit-bench-"))
        stack.callback(shutil.rmtree, folder, ignore_errors=True)
        for nb in sorted((REPO / "notebooks").glob("*.ipynb")):
            shutil.copy(nb, folder / nb.name)
        shutil.copy(REPO / "benchmarks" / cp.REFERENCE, folder / cp.REFERENCE)
        served = len(list(folder.glob("*.ipynb")))

        print(f"starting Voila twice on 127.0.0.1 (cold; preheated, pool 1 per notebook, fill_delay "
              f"{args.fill_delay:g} s) for {served} notebooks ...", flush=True)
        cold_url = stack.enter_context(serve(folder, "cold"))
        hot_url = stack.enter_context(serve(folder, "preheated", "--preheat_kernel=True", "--pool_size=1",
                                            f"--VoilaKernelManager.fill_delay={args.fill_delay}"))
        cold, hot = cp.server_process(port_of(cold_url)), cp.server_process(port_of(hot_url))
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=args.chromium, args=cp.CHROMIUM_ARGS)
        stack.callback(browser.close)

        waited = cp.wait_quiet(cold, hot, served, set(), timeout_s=600)
        print(f"preheated pool full and idle after {waited:.0f} s; warming up (untimed) ...", flush=True)
        cp.close(cp.open_page(browser, cold_url, WARM_UP), cold_url)
        cp.wait_quiet(cold, hot, served, set())
        warm = cp.open_page(browser, hot_url, cp.REFERENCE)
        used = set(warm.kernel_ids)
        cp.close(warm, hot_url)

        total = args.repeats * len(pages)
        done = 0
        for r in range(args.repeats):
            changes = args.changes // args.repeats + (r < args.changes % args.repeats)
            order = pages[r % len(pages):] + pages[:r % len(pages)]
            for spec in order:
                done += 1
                tag = f"[{done:2d}/{total}] {stem(spec.notebook):<24}"
                run.pool_wait_s.append(cp.wait_quiet(cold, hot, served, used))
                text = measure_cold(browser, cold_url, cold, spec, run, changes)
                print(f"{tag} cold      {text} (after {run.pool_wait_s[-1]:.0f} s waiting for the pool)",
                      flush=True)
                cp.wait_quiet(cold, hot, served, used)
                text, used = measure_preheated(browser, hot_url, hot, spec, run, args.fill_delay)
                print(f"{tag} preheated {text}", flush=True)
    return run


# ---------------------------------------------------------------- report


# measure key -> (label, unit, kind of target, target value); kind "ratio" compares the median
# with the reference's median, "below" the median with an absolute limit, None reports only.
MEASURES = {
    "tti_cold_s": ("time to interactive, cold", "s", "ratio", TTI_RATIO),
    "tti_preheated_s": ("time to interactive, preheated", "s", "ratio", TTI_RATIO),
    "html_cold_s": ("page sent by Voila, cold (all cells executed)", "s", None, None),
    "html_preheated_s": ("page sent by Voila, preheated", "s", None, None),
    "latency_ms": ("control-to-figure latency", "ms", "below", LATENCY_MS),
    "cpu_s": ("kernel CPU seconds until interactive", "s", "ratio", None),
    "rss_mib": ("kernel RSS when interactive", "MiB", "ratio", MEMORY_RATIO),
    "uss_mib": ("kernel USS when interactive", "MiB", "ratio", MEMORY_RATIO),
}


def rows_of(run: Run) -> list[dict]:
    ref = run.samples[stem(cp.REFERENCE)]
    rows = []
    for spec in cp.PAGES:
        page = stem(spec.notebook)
        if page not in run.samples and page not in run.notes:
            continue
        for key, (label, unit, kind, target) in MEASURES.items():
            values = run.samples[page].get(key, [])
            if not values:
                continue
            median = statistics.fmean(values) if kind == "share" else statistics.median(values)
            ref_median = statistics.median(ref[key]) if ref.get(key) and kind != "share" else None
            ratio = median / ref_median if ref_median else None
            if kind == "ratio" and target is None:
                target_text, verdict = "reported against the reference", "-"
            elif kind == "ratio":
                target_text = f"<= {target:g}x reference"
                verdict = "-" if page == stem(cp.REFERENCE) else (
                    "PASS" if ratio is not None and ratio <= target else "OVER")
            elif kind == "below":
                target_text = f"median < {target:g} {unit}"
                verdict = "PASS" if median < target else "OVER"
            else:
                target_text, verdict = "-", "-"
            rows.append(dict(notebook=page, measure=label, key=key, unit=unit, n=len(values),
                             median=median, p95=None if kind == "share" else p95(values),
                             reference_median=ref_median, ratio=ratio,
                             target=target_text, verdict=verdict,
                             note="; ".join(dict.fromkeys(run.notes[page]))))
    return rows


def model_rows(headline) -> list[dict]:
    from benchmarks import bench_dose_app as dose

    rows = []
    for app, change, times in headline:
        median = statistics.median(times)
        rows.append(dict(notebook="04_dose_and_cost", measure=f"model update (headless): {app}, {change}",
                         key="model_ms", unit="ms", n=len(times), median=median, p95=p95(times),
                         reference_median=None, ratio=None, target=f"median < {dose.TARGET_MS:g} ms",
                         verdict="PASS" if median < dose.TARGET_MS else "OVER", note=""))
    return rows


def _cell(rows_by_key: dict, key: str, digits: int) -> str:
    if "/" in key:  # two measures in one cell: "cold/preheated"
        return "/".join(_cell(rows_by_key, k, digits) for k in key.split("/"))
    row = rows_by_key.get(key)
    if row is None:
        return "-"
    if row["unit"] == "share":
        return f"{round(row['median'] * row['n'])}"
    text = f"{row['median']:.{digits}f}"
    if key == "latency_ms":
        return f"{text} ({row['p95']:.{digits}f}) {row['verdict']}"
    if row["ratio"] is not None and row["notebook"] != stem(cp.REFERENCE):
        text += f" {row['ratio']:.2f}x" + (f" {row['verdict']}" if row["verdict"] != "-" else "")
    return text


def print_table(rows: list[dict], run: Run, args) -> None:
    print("\nmedians over the rounds; ratio = median / the reference app's median; kernel CPU = "
          "CPU seconds the page's kernel used until the page was interactive (cold)")
    cols = [("tti cold s", "tti_cold_s", 2, 18), ("tti preheated s", "tti_preheated_s", 2, 18),
            ("kernel CPU s", "cpu_s", 2, 16),
            ("html", "html_cold_s", 1, 5), ("latency ms (p95)", "latency_ms", 0, 17),
            ("kernel RSS MiB", "rss_mib", 0, 15), ("USS MiB", "uss_mib", 0, 15)]
    header = f"{'page':<24}" + "".join(f" {name:>{w}}" for name, _, _, w in cols)
    print(header + "\n" + "-" * len(header))
    by_page: dict[str, dict] = defaultdict(dict)
    for row in rows:
        by_page[row["notebook"]][row["key"]] = row
    for page, keyed in by_page.items():
        if page == "04_dose_and_cost" and "tti_cold_s" not in keyed and "model_ms" in keyed:
            continue
        print(f"{page:<24}" + "".join(f" {_cell(keyed, key, d):>{w}}" for _, key, d, w in cols))
    print(f"targets: tti <= {TTI_RATIO:g}x reference (cold vs cold, preheated vs preheated); "
          f"latency median < {LATENCY_MS:g} ms; kernel memory <= {MEMORY_RATIO:g}x reference; "
          "html = page sent by Voila, cold (s)")
    ns = {r["key"]: r["n"] for r in rows if r["notebook"] == stem(cp.REFERENCE)}
    print(f"n per page: {ns.get('tti_cold_s', 0)} loads per server, "
          f"{ns.get('latency_ms', 0)} control changes "
          f"(the reference's); pool refill waited {statistics.median(run.pool_wait_s or [0]):.1f} s median "
          f"before a load (fill_delay {args.fill_delay:g} s)")
    for spec in cp.PAGES:
        if spec.control and stem(spec.notebook) in run.samples:
            print(f"  latency control, {stem(spec.notebook)}: {spec.control.describe}")
    for page, notes in run.notes.items():
        for text, count in {t: notes.count(t) for t in notes}.items():
            print(f"  note, {page}: {text}" + (f" (x{count})" if count > 1 else ""))
    model = [r for r in rows if r["key"] == "model_ms"]
    if model:
        print("\nmodel update, headless (bench_dose_app.py's app layer: control change -> card and figure "
              "JSON, no browser):")
        for r in model:
            print(f"  {r['measure'].split(': ', 1)[1]:<34} median {r['median']:6.2f} ms, p95 "
                  f"{r['p95']:6.2f} ms, n {r['n']}  {r['verdict']} ({r['target']})")


def write_csv(rows: list[dict]) -> None:
    OUT_CSV.parent.mkdir(parents=True, exist_ok=True)
    fields = ["notebook", "measure", "unit", "n", "median", "p95", "reference_median", "ratio",
              "target", "verdict", "note"]
    with OUT_CSV.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({**r, **{k: f"{r[k]:.3f}" if isinstance(r[k], float) else "" if r[k] is None else r[k]
                                for k in ("median", "p95", "reference_median", "ratio")}})
    print(f"wrote {OUT_CSV.relative_to(REPO)}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="loads of each page per server (default 3)")
    parser.add_argument("--changes", type=int, default=10,
                        help="control changes per page, spread over the rounds (default 10)")
    parser.add_argument("--only", nargs="*", default=[], metavar="PREFIX",
                        help="only notebooks whose name starts with one of these (the reference always runs)")
    parser.add_argument("--fill-delay", type=float, default=FILL_DELAY_S,
                        help="VoilaKernelManager.fill_delay of the preheated server, s "
                             f"(default {FILL_DELAY_S:g})")
    parser.add_argument("--model-n", type=int, default=20,
                        help="updates per bench_dose_app scenario (default 20; 0 skips it)")
    parser.add_argument("--chromium", default=os.environ.get("IVIGKIT_CHROMIUM") or "/usr/bin/chromium")
    args = parser.parse_args(argv)
    if not (Path(args.chromium).is_file() and os.access(args.chromium, os.X_OK)):
        print(f"Chromium not found at {args.chromium}: install Debian's chromium "
              "(apt-get install chromium), or pass --chromium / set IVIGKIT_CHROMIUM", file=sys.stderr)
        return 2

    import plotly
    import ipywidgets
    import voila

    t0 = time.monotonic()
    print(f"classroom benchmark: Python {platform.python_version()}, voila {voila.__version__}, plotly "
          f"{plotly.__version__}, ipywidgets {ipywidgets.__version__}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}; {args.repeats} round(s), {args.changes} control changes; "
          f"{code_state()}")
    headline = []
    if args.model_n:
        print(f"model update, headless: bench_dose_app scenarios, n={args.model_n} ...", flush=True)
        headline = model_headline(args.model_n)
    run = run_benchmark(args)
    rows = rows_of(run) + model_rows(headline)
    print_table(rows, run, args)
    write_csv(rows)
    print(f"total {time.monotonic() - t0:.0f} s; load average now {os.getloadavg()[0]:.1f}; {code_state()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
