"""Serve one lecture's notebook to a whole class from this machine.

    make lecture NOTEBOOK=04 CLASS=40        # or: .venv/bin/python -m tools.lecture 04 40

First it runs the notebook once in a fresh kernel to measure what one student's kernel takes
here, and prints the memory the class will need against what the machine has free; it stops
(unless --force) when the pool alone would not fit. Then it serves notebooks/ with Voila on
127.0.0.1 with a preheated pool for that notebook only (Voila's per-notebook
`kernel_pools_config`): CLASS kernels plus a few spares for reloads, each having already run the
notebook, so a student's page opens at once. It prints "ready" when every pool kernel has run
the notebook: Voila's own "Kernel pool ... is filled" comes as soon as the kernels have started,
while they still run the notebook for a minute or so, and students who arrive then wait for that.
A pool kernel is replaced REFILL_DELAY_S after a page takes it, so the refills run after the class
has arrived, not while it arrives. Closing a tab frees its kernel (the workbook templates'
kernel_release.html.j2); idle kernels are culled as configured in etc/jupyter/voila.json.
benchmarks/load_test.py (--mode lecture) measures this set-up.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = REPO / "notebooks"
REFILL_DELAY_S = 120  # after a page takes a pool kernel: the class has arrived by then
PORT = 8866


# The pool's kernels start all at once. Over TCP each takes five ports that jupyter_client found
# free a moment earlier (jupyter/jupyter_client#487): among some 250 ports and the connections
# made meanwhile, one was taken before its kernel bound it ("Address already in use"), the
# kernel died, and Voila does not replace a pooled kernel that dies, so a 44-kernel pool never
# filled (benchmarks/README.md). Unix sockets have no ports. Linux only: macOS's long $TMPDIR
# can push the socket paths past their 104-character limit.
TRANSPORT_ARGS = ["--KernelManager.transport=ipc"] if sys.platform.startswith("linux") else []


def spare_kernels(class_size: int) -> int:
    """Kernels beyond one per student, for reloads and a second tab: a tenth, at least 2."""
    return max(2, class_size // 10)


def find_notebook(prefix: str, folder: Path = NOTEBOOK_DIR) -> Path:
    """The one notebook in `folder` whose name starts with `prefix` ("04" or "04_dose_and_cost")."""
    found = sorted(p for p in folder.glob("*.ipynb") if p.name.startswith(prefix))
    if len(found) != 1:
        names = ", ".join(p.stem for p in sorted(folder.glob("*.ipynb")))
        raise SystemExit(f"NOTEBOOK={prefix!r} matches {len(found)} notebooks; give one of: {names}")
    return found[0]


def pool_args(notebook_name: str, class_size: int) -> list[str]:
    """Voila options for a lecture: a preheated pool of class_size + spares kernels for
    `notebook_name` (its path relative to the served folder), none for any other notebook."""
    pools = {notebook_name: {"pool_size": class_size + spare_kernels(class_size)},
             "default": {"pool_size": 0}}
    return ["--preheat_kernel=True",
            f"--VoilaKernelManager.kernel_pools_config={json.dumps(pools)}",
            f"--VoilaKernelManager.fill_delay={REFILL_DELAY_S}",
            *TRANSPORT_ARGS]


READY_TIMEOUT_S = 600
#: A pool kernel has run the notebook once its memory has reached this share of what one run
#: takes (measured by the probe): a kernel that has only started uses well under half of it.
READY_MEMORY_SHARE = 0.9


def kernel_processes(server) -> list:
    """The psutil processes of the Voila server's kernels (ipykernel_launcher anywhere under it)."""
    import psutil

    found = []
    for p in server.children(recursive=True):
        try:
            if any("ipykernel_launcher" in a for a in p.cmdline()):
                found.append(p)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return found


def wait_until_ready(server, size: int, kernel_mib: float, deadline: float, idle_cpu_s: float = 0.05) -> float:
    """Wait until `size` kernels under `server` have each run the notebook (memory at
    READY_MEMORY_SHARE of `kernel_mib`, one run's) and none used more than `idle_cpu_s` CPU in the
    last second; the seconds waited. TimeoutError at `deadline` (a time.monotonic() value)."""
    import psutil

    t0 = time.monotonic()
    while time.monotonic() < deadline:
        try:
            ran = [p for p in kernel_processes(server)
                   if p.memory_info().rss / 2**20 >= READY_MEMORY_SHARE * kernel_mib]
            if len(ran) >= size:
                before = {p.pid: sum(p.cpu_times()[:2]) for p in ran}
                time.sleep(1.0)
                if all(sum(p.cpu_times()[:2]) - before[p.pid] <= idle_cpu_s for p in ran):
                    return time.monotonic() - t0
                continue
        except psutil.NoSuchProcess:
            pass  # a kernel ended while being read: look again
        time.sleep(0.5)
    raise TimeoutError(f"the pool did not reach {size} kernels that have run the notebook in time")


def memory_plan(kernel_mib: float, class_size: int, available_mib: float) -> tuple[str, bool]:
    """What the lecture needs, in words, and whether the pool fits in `available_mib`."""
    pool = class_size + spare_kernels(class_size)
    pool_gib, peak_gib = pool * kernel_mib / 1024, 2 * pool * kernel_mib / 1024
    text = (f"one student's kernel: {kernel_mib:.0f} MiB (measured now, on this machine)\n"
            f"the pool: {pool} kernels ({class_size} students + {pool - class_size} spares), "
            f"{pool_gib:.1f} GiB from the start\n"
            f"while the class works the pool refills for latecomers ({REFILL_DELAY_S} s after each "
            f"page opens): up to {2 * pool} kernels, {peak_gib:.1f} GiB, until tabs close\n"
            f"free on this machine now: {available_mib / 1024:.1f} GiB")
    return text, pool * kernel_mib < available_mib


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebook", help="the lecture's notebook, by number or name (04)")
    parser.add_argument("class_size", type=int, help="students in the room (40)")
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--force", action="store_true", help="start even if the pool will not fit")
    args = parser.parse_args(argv)
    if not 1 <= args.class_size <= 500:
        raise SystemExit(f"CLASS must be a number of students from 1 to 500; got {args.class_size}")
    import psutil

    from tools.probe import PROBE_MEMORY, run_with_probe

    notebook = find_notebook(args.notebook)
    print(f"measuring one kernel of {notebook.name} ...", flush=True)
    kernel_mib = run_with_probe(notebook, PROBE_MEMORY)["rss_mib"]
    text, fits = memory_plan(kernel_mib, args.class_size, psutil.virtual_memory().available / 2**20)
    print(text)
    if not fits and not args.force:
        print("the pool does not fit in this machine's free memory: use a smaller CLASS, a bigger "
              "machine, or JupyterHub (docs/scale-out.md); --force starts anyway", file=sys.stderr)
        return 1
    url = f"http://127.0.0.1:{args.port}/voila/render/{notebook.name}"
    pool = args.class_size + spare_kernels(args.class_size)
    print(f"\nfilling the pool: {pool} kernels each run {notebook.name}; wait for 'ready' below", flush=True)
    cmd = [sys.executable, "-m", "voila", "--no-browser", "--Voila.ip=127.0.0.1",
           f"--port={args.port}", *pool_args(notebook.name, args.class_size), "."]
    server = subprocess.Popen(cmd, cwd=NOTEBOOK_DIR)
    try:
        waited = wait_until_ready(psutil.Process(server.pid), pool, kernel_mib,
                                  deadline=time.monotonic() + READY_TIMEOUT_S)
        print(f"\nready after {waited:.0f} s: students open {url}\n(Ctrl + C stops the server)", flush=True)
    except TimeoutError as exc:
        print(f"\n{exc}; students can still open {url}, but some will wait for a kernel", flush=True)
    try:
        return server.wait()
    except KeyboardInterrupt:  # a terminal's Ctrl + C reaches Voila too; give it time to stop
        try:
            return server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.terminate()
            return server.wait()


if __name__ == "__main__":
    sys.exit(main())
