"""Load every page many times and count the broken loads. Not a test (its short form is one).

    make soak                                   # 20 cold loads of every page, one core kept busy
    .venv/bin/python -m benchmarks.soak --loads 10 --only 03 04 05   # the race reproduction
    .venv/bin/python -m benchmarks.soak --loads 5 --preheated --busy 0

Serves a temporary folder holding notebooks/*.ipynb, benchmarks/reference_app.ipynb (one slider,
one FigureWidget) and benchmarks/race_minimal.ipynb (a 2.5 s main-thread block, then one more
widget: the smallest page the widget race of ipywidgets 8.1.9 broke) with one Voila server on
127.0.0.1 and the workbook's template and config. Rounds load each page once, in an order rotated
by one page per round, each time in a fresh Chromium context (empty cache, non-loopback requests
aborted), while --busy processes each keep a core busy (a loaded lecture-hall laptop).

A load is *broken* when the page shows "Error displaying widget" or the console says "model not
found"; any other console error, page error, failed request, traceback or stderr output, or a
page still not whole after --timeout seconds, is counted as *other*. Prints loads, broken and
other per page, writes artifacts/bench/soak.csv, and exits 1 if any load was broken or had
another problem.
"""
from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import shutil
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

from benchmarks import classroom_pages as cp
from tests.support.pages import load_whole_page
from tests.support.servers import shutdown_kernel, use_workbook_config, voila_server

REPO = cp.REPO
OUT_CSV = REPO / "artifacts" / "bench" / "soak.csv"
EXTRA_PAGES = ("reference_app.ipynb", "race_minimal.ipynb")


# Spins one core until killed, or until this script is gone (its parent changes), so an
# interrupted run never leaves a core busy behind it.
SPIN = "import os\nparent = os.getppid()\nwhile os.getppid() == parent: pass"


def busy_cores(n: int) -> list[subprocess.Popen]:
    """n processes that each keep one core busy."""
    return [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(n)]


def pages_to_load(only: list[str] | None) -> list[str]:
    names = [p.name for p in sorted((REPO / "notebooks").glob("*.ipynb"))] + list(EXTRA_PAGES)
    return [n for n in names if not only or any(n.startswith(o) for o in only)]


def soak(args) -> tuple[Counter, Counter, Counter, list[str]]:
    from playwright.sync_api import sync_playwright

    pages = pages_to_load(args.only)
    loads, broken, other, notes = Counter(), Counter(), Counter(), []
    with ExitStack() as stack:
        folder = Path(tempfile.mkdtemp(prefix="ivigkit-soak-"))
        stack.callback(shutil.rmtree, folder, ignore_errors=True)
        for name in pages:
            source = REPO / ("notebooks" if name not in EXTRA_PAGES else "benchmarks") / name
            shutil.copy(source, folder / name)
        use_workbook_config()
        extra = ["--KernelManager.transport=ipc"]
        if args.preheated:
            extra += ["--preheat_kernel=True", "--pool_size=1"]
        url = stack.enter_context(voila_server(folder, extra_args=extra, show_tracebacks=True,
                                               cull_idle_s=0, log_name="soak.log"))
        hogs = busy_cores(args.busy)
        stack.callback(lambda: [h.kill() for h in hogs])
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=args.chromium, args=cp.CHROMIUM_ARGS)
        stack.callback(browser.close)
        server = cp.server_process(int(url.rsplit(":", 1)[1]))
        total, done, t0 = args.loads * len(pages), 0, time.monotonic()
        for r in range(args.loads):
            for name in pages[r % len(pages):] + pages[:r % len(pages)]:
                if args.preheated:  # every load takes a full, idle pool, as a class would
                    cp.wait_quiet(None, server, len(pages), set())
                done += 1
                result = load_whole_page(browser, url, name, timeout_s=args.timeout)
                shutdown_kernel(url, result.kernel_id)
                loads[name] += 1
                if result.broken:
                    broken[name] += 1
                if result.other:
                    other[name] += 1
                    notes.append(f"{name} load {loads[name]}: " + "; ".join(result.other)[:300])
                print(f"[{done:3d}/{total}] {name:<28} {result.seconds:5.1f} s  "
                      f"{'BROKEN' if result.broken else 'whole' if not result.other else 'OTHER'}"
                      + (f"  {'; '.join(result.problems)[:160]}" if result.problems else ""), flush=True)
        print(f"{done} loads in {time.monotonic() - t0:.0f} s", flush=True)
    return loads, broken, other, notes


def report(loads: Counter, broken: Counter, other: Counter, notes: list[str], args) -> None:
    print(f"\nbroken = the page showed 'Error displaying widget' or logged 'model not found'; other = "
          f"any other console or page error, failed request, traceback or a page not whole in "
          f"{args.timeout:g} s. {'Preheated' if args.preheated else 'Cold'} server, {args.busy} busy core(s).")
    print(f"{'page':<28} {'loads':>6} {'broken':>7} {'other':>6}")
    for name in loads:
        print(f"{name.removesuffix('.ipynb'):<28} {loads[name]:>6} {broken[name]:>7} {other[name]:>6}")
    print(f"{'all':<28} {sum(loads.values()):>6} {sum(broken.values()):>7} {sum(other.values()):>6}")
    for n in notes:
        print("  " + n)
    OUT_CSV.parent.mkdir(parents=True, exist_ok=True)
    with OUT_CSV.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["page", "loads", "broken", "other", "server", "busy_cores"])
        for name in loads:
            w.writerow([name, loads[name], broken[name], other[name],
                        "preheated" if args.preheated else "cold", args.busy])
    print(f"wrote {OUT_CSV.relative_to(REPO)}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--loads", type=int, default=20, help="loads of each page (default 20)")
    parser.add_argument("--busy", type=int, default=1, help="cores kept busy meanwhile (default 1)")
    parser.add_argument("--only", nargs="*", help="pages whose names start with these (default all)")
    parser.add_argument("--preheated", action="store_true", help="a preheated pool, as make app")
    parser.add_argument("--timeout", type=float, default=90.0, help="s for one page to be whole")
    parser.add_argument("--chromium", default=os.environ.get("IVIGKIT_CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args(argv)
    if not Path(args.chromium).exists():
        print(f"Chromium not found at {args.chromium} (apt-get install chromium)", file=sys.stderr)
        return 2
    loads, broken, other, notes = soak(args)
    report(loads, broken, other, notes, args)
    return 1 if sum(broken.values()) + sum(other.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
