"""A class of simulated students on one Voilà server: render time, control latency, memory, culls.

    make load                                       # a lecture, then a cold server, 40 students each
    .venv/bin/python -m benchmarks.load_test --mode lecture --students 40 --notebooks 04_dose_and_cost
    .venv/bin/python -m benchmarks.load_test --mode cold --students 5 --notebooks 04_dose_and_cost --moves 3

Two set-ups, run in turn by default:
- lecture: what `make lecture NOTEBOOK=04 CLASS=40` serves (tools/lecture.py): one notebook with a
  preheated pool sized to the class, filled before the first student arrives; each student closes
  the tab at the end, which frees the kernel (the page's shutdown request; every student kernel
  must be gone afterwards). Targets: every page whole, render p95 <= 10 s, move p95 < 500 ms.
- cold: every notebook round-robin on a server that starts a kernel per page (the comparison),
  kernels left to the culler.

One Voilà server on 127.0.0.1 (the workbook's template and config, culling shortened). Students
arrive spread over --ramp seconds, take the notebooks round-robin and, all in this one process:

  1. GET /voila/render/<notebook>.ipynb: the notebook runs in a fresh kernel; the time to the
     last byte is the render time. Not 200, a timeout, or a traceback in the page is a failure.
  2. open the kernel's websocket and fetch every widget's state (ipywidgets 8 control comm).
     A page that lacks a widget its cells displayed is a failure too: under load Voilà's
     executor drops outputs that come later than iopub_timeout after their cell finished
     (nbclient's default is 4 s; etc/jupyter/voila.json raises it to 60 s for this reason);
  3. move --moves controls (sliders, number boxes, dropdowns, toggle buttons; only those in an
     app with a figure, if the notebook has one) to valid new values, each timed from sending the
     change until the kernel reports idle for it (ms); an error or stderr text it causes is a
     failure;
  4. close the websocket, like a closed tab, and leave the kernel to the culler (--shutdown
     shuts it down instead).

Meanwhile a thread samples the server's and its kernels' memory every second. After the last
student the script waits for the culler until no kernel process is left under the server.
With a cull timeout of a few seconds and a saturated server, the culler killed kernels as
'idle' in the middle of a render (DeadKernelError in the page), so keep --cull-idle >= 10.

Prints a table per notebook; writes artifacts/bench/load.csv (that table), load_students.csv,
load_moves.csv, load_memory.csv and load_summary.json. Exit status 0 if every render and move
succeeded and every kernel was culled, 1 otherwise. --timeout bounds the whole run.
"""
from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import csv
import html
import json
import os
import platform
import random
import re
import statistics
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil
from tornado.httpclient import AsyncHTTPClient

REPO = Path(__file__).resolve().parents[1]
from benchmarks.kernel_channel import KernelChannel
from tests.support.servers import (LOG_DIR, free_port, kernel_id_of, shutdown_kernel,
                     use_workbook_config, voila_server)

from tools import lecture
from tools.lecture import kernel_processes
from tools.probe import PROBE_MEMORY, run_with_probe

NOTEBOOK_DIR = REPO / "notebooks"
OUT_DIR = REPO / "artifacts" / "bench"
PAGE_ERRORS = ("Traceback", "There was an error when executing cell")
# Server log lines worth counting. nbclient gives up waiting for a cell's outputs after its
# iopub_timeout when the machine is saturated, so a rendered page may miss an output.
LOG_NOTES = {"iopub_timeouts": "Timeout waiting for IOPub output",
             "kernels_started": "Kernel started:", "kernels_culled": "Culling '"}
NUMBER_MODELS = {"IntSliderModel", "FloatSliderModel", "IntTextModel", "FloatTextModel",
                 "BoundedIntTextModel", "BoundedFloatTextModel"}
CHOICE_MODELS = {"DropdownModel", "ToggleButtonsModel"}  # synced by "index", not "value"
WIDGET_REF = re.compile(r"IPY_MODEL_([0-9a-f]{32})")  # how one widget's state points to another
VIEW_REF = re.compile(r'"model_id":\s*"([0-9a-f]{32})"')  # a widget view output in the page
WS_TIMEOUT_S = 30.0
STATES_TIMEOUT_S = 60.0
MOVE_TIMEOUT_S = 60.0
MOVE_PAUSE_S = (0.5, 1.5)  # a student's pause before each move, uniform
LECTURE_RENDER_P95_S = 10.0
LECTURE_MOVE_P95_MS = 500.0


@dataclass
class Move:
    """One control change and what it caused, until the kernel was idle again."""
    control: str      # "<model> '<description>'"
    change: str       # the state sent, as JSON
    latency_ms: float = 0.0
    messages: int = 0
    kib: float = 0.0
    figure: bool = False
    error: str = ""


@dataclass
class Student:
    """One simulated student's record (render_s in s)."""
    index: int
    notebook: str
    render_ok: bool = False
    render_s: float = 0.0
    page_widgets: int = 0    # widget views in the rendered page (an app is one)
    kernel_widgets: int = 0  # top-level widgets in the kernel: what the page should show
    page_complete: bool = False
    kernel_id: str = ""
    moves: list[Move] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    done: bool = False


@dataclass
class LoadResult:
    """Everything one run measured; `ok` is the exit verdict."""
    students: list[Student]
    peak_rss_mib: float = 0.0          # server + kernels, summed per sample
    peak_server_rss_mib: float = 0.0
    peak_kernels: int = 0
    kernels_left: int = -1             # student kernels still running at the end
    mode: str = "cold"                 # "lecture" (preheated pool, tabs closed) or "cold"
    pool_fill_s: float = float("nan")  # lecture: server start -> every pool kernel has run the notebook
    pool_kernels_after: int = 0        # lecture: pool kernels waiting for the next student
    cull_s: float = float("nan")       # last student done -> no kernel left
    memory: list[tuple] = field(default_factory=list)  # (t_s, kernels, server_mib, kernels_mib)
    problems: list[str] = field(default_factory=list)  # run-level failures (timeouts, culling)
    log_counts: dict[str, int] = field(default_factory=dict)  # LOG_NOTES found in the server log

    @property
    def failures(self) -> list[str]:
        return self.problems + [f"student {s.index} ({s.notebook}): {f}"
                                for s in self.students for f in s.failures]

    @property
    def warnings(self) -> list[str]:
        """Signs of trouble that are not failures by themselves."""
        if n := self.log_counts.get("iopub_timeouts"):
            return [f"the server log has {n} 'Timeout waiting for IOPub output': the executor "
                    "stopped collecting a cell's outputs (VoilaExecutor.iopub_timeout) after the cell finished"]
        return []

    @property
    def targets(self) -> list[str]:
        """Lecture targets missed (render p95, move p95), in words."""
        if self.mode != "lecture":
            return []
        row = summary_rows(self)[-1]
        missed = []
        if not row["render_p95_s"] <= LECTURE_RENDER_P95_S:
            missed.append(f"render p95 {row['render_p95_s']:.1f} s > {LECTURE_RENDER_P95_S:g} s")
        if not row["latency_p95_ms"] < LECTURE_MOVE_P95_MS:
            missed.append(f"move p95 {row['latency_p95_ms']:.0f} ms >= {LECTURE_MOVE_P95_MS:g} ms")
        return missed

    @property
    def ok(self) -> bool:
        return not self.failures and self.kernels_left == 0 and not self.targets


# ---------------------------------------------------------------- choosing controls and values

def widget_tree(states: dict[str, dict]) -> tuple[dict[str, str], list[str]]:
    """(parent of each widget another one points to, top-level widgets). The top-level widgets
    are those the notebook's cells displayed; Layout and Style models are never displayed."""
    parent = {c: p for p, w in states.items()
              for c in WIDGET_REF.findall(json.dumps(w["state"]))}
    top = [i for i, w in states.items()
           if i not in parent and not w["model_name"].endswith(("LayoutModel", "StyleModel"))]
    return parent, top


def movable_controls(states: dict[str, dict], shown: set[str]) -> list[str]:
    """Comm ids of the enabled number and choice controls in apps the page shows; only those
    whose app also holds an Output (where figures are drawn), if there are any. An app is a
    top-level widget; `shown` are the widget ids the page displays."""
    parent, _ = widget_tree(states)

    def app(cid: str) -> str:
        for _ in range(len(states)):  # bounded: a reference cycle must not hang a student
            if cid not in parent:
                break
            cid = parent[cid]
        return cid

    with_output = {app(i) for i, w in states.items() if w["model_name"] == "OutputModel"}
    controls = [cid for cid, w in states.items()
                if w["model_name"] in NUMBER_MODELS | CHOICE_MODELS and app(cid) in shown
                and not w["state"].get("disabled") and new_value(w, random.Random(0)) is not None]
    return [c for c in controls if app(c) in with_output] or controls


def new_value(widget: dict, rng: random.Random) -> dict | None:
    """A valid new state for a control, as a student could set it; None if there is none."""
    model, s = widget["model_name"], widget["state"]
    if model in CHOICE_MODELS:
        others = [i for i in range(len(s.get("_options_labels", ()))) if i != s.get("index")]
        return {"index": rng.choice(others)} if others else None
    v = s.get("value")
    if not isinstance(v, (int, float)):
        return None
    integer = model.startswith(("Int", "BoundedInt"))
    lo, hi = s.get("min"), s.get("max")
    if lo is not None and hi is not None:  # a point of the slider's grid other than the current
        step = s.get("step") or (1 if integer else (hi - lo) / 20)
        grid = [round(lo + k * step, 10) for k in range(int(round((hi - lo) / step)) + 1)]
        grid = [g for g in grid if abs(g - v) > step / 2 and g <= hi]
        return {"value": int(rng.choice(grid)) if integer else rng.choice(grid)} if grid else None
    if integer:  # unbounded integer box: one up or down, never below 1 if it starts at 1 or more
        return {"value": v + 1 if v <= 1 else v + rng.choice((-1, 1))}
    return {"value": round(v * rng.choice((0.9, 1.1)), 4) if v else 1.0}


# ---------------------------------------------------------------- one student

def error_line(page: str, needle: str) -> str:
    """The last line of the error output that starts with `needle` (the exception, usually)."""
    start = page.index(needle)
    block = page[start:page.find("</pre>", start) if "</pre>" in page[start:] else None]
    lines = [ln.strip() for ln in html.unescape(re.sub(r"<[^>]+>", "", block)).splitlines()]
    return ([ln for ln in lines if ln] or [""])[-1][:200]


async def student(st: Student, base_url: str, http: AsyncHTTPClient, *, start_s: float, moves: int,
                  render_timeout_s: float, shutdown: bool, rng: random.Random) -> None:
    """Render, connect, move controls, leave. Records into `st`; never raises (bar cancel)."""
    await asyncio.sleep(start_s)
    t0 = time.perf_counter()
    try:
        r = await http.fetch(f"{base_url}/voila/render/{st.notebook}.ipynb", raise_error=False,
                             request_timeout=render_timeout_s, connect_timeout=WS_TIMEOUT_S)
    except Exception as e:  # tornado raises its own timeout and socket errors here
        st.failures.append(f"render: {type(e).__name__}: {e}")
        return
    st.render_s = time.perf_counter() - t0
    page = r.body.decode(errors="replace") if r.body else ""
    st.kernel_id = kernel_id_of(page) or ""
    shown = set(VIEW_REF.findall(page))
    st.page_widgets = len(shown)
    if r.code != 200:
        st.failures.append(f"render: HTTP {r.code} {r.reason}")
    elif bad := [n for n in PAGE_ERRORS if n in page]:
        st.failures.append(f"render: page contains {bad[0]!r}: {error_line(page, bad[0])}")
    elif not st.kernel_id:
        st.failures.append("render: no kernel id in the page")
    else:
        st.render_ok = True
    if not st.render_ok:
        if shutdown and st.kernel_id:
            await asyncio.to_thread(shutdown_kernel, base_url, st.kernel_id)
        return

    ch, phase = None, "websocket"
    try:
        ch = await KernelChannel.connect(base_url, st.kernel_id, timeout_s=WS_TIMEOUT_S)
        phase = "widget states"
        states = await ch.widget_states(timeout_s=STATES_TIMEOUT_S)
        top = set(widget_tree(states)[1])
        st.kernel_widgets = len(top)
        st.page_complete = top <= shown
        if not st.page_complete:
            # Seen under load: nbclient drops outputs that arrive after its iopub_timeout.
            st.failures.append(f"page lacks {len(top - shown)} of the {len(top)} widgets its "
                               "cells displayed")
        controls = movable_controls(states, shown)
        if not controls and st.page_complete:
            st.failures.append(f"no movable control among {len(states)} widgets")
        for _ in range(moves if controls else 0):
            await asyncio.sleep(rng.uniform(*MOVE_PAUSE_S))
            cid = rng.choice(controls)
            w = states[cid]
            change = new_value(w, rng)
            if change is None:
                continue
            mv = Move(control=f"{w['model_name'].removesuffix('Model')} "
                              f"{w['state'].get('description', '')!r}",
                      change=json.dumps(change))
            st.moves.append(mv)
            phase = f"move {len(st.moves)} ({mv.control} {mv.change})"
            reply = await ch.update_widget(cid, change, timeout_s=MOVE_TIMEOUT_S)
            mv.latency_ms, mv.messages, mv.kib = reply.latency_ms, reply.messages, reply.kib
            mv.figure = reply.figure
            if reply.errors:
                mv.error = reply.errors[0][:300]
                st.failures.append(f"move {mv.control} {mv.change}: {mv.error}")
    except Exception as e:  # TimeoutError, a refused websocket, a closed connection...
        st.failures.append(f"{phase}: {type(e).__name__} {e}".strip()[:300])
    finally:
        if ch is not None:
            ch.close()
    if shutdown:
        await asyncio.to_thread(shutdown_kernel, base_url, st.kernel_id)
    st.done = True


async def classroom(base_url: str, students: list[Student], *, ramp_s: float, moves: int,
                    deadline: float, seed: int, shutdown: bool) -> bool:
    """Run every student concurrently; False if the deadline cut the run short."""
    http = AsyncHTTPClient(force_instance=True, max_clients=max(10, len(students)))
    gap_s = ramp_s / max(1, len(students) - 1) if len(students) > 1 else 0.0
    tasks = [asyncio.ensure_future(student(
        st, base_url, http, start_s=i * gap_s, moves=moves, shutdown=shutdown,
        render_timeout_s=max(1.0, deadline - time.monotonic() - i * gap_s),
        rng=random.Random(seed * 1000 + i))) for i, st in enumerate(students)]
    try:
        _, pending = await asyncio.wait(tasks, timeout=max(0.0, deadline - time.monotonic()))
        for t in pending:
            t.cancel()
        await asyncio.gather(*pending, return_exceptions=True)  # lets `finally` close websockets
        for st in students:
            if not st.done and not st.failures:
                st.failures.append("cut short by --timeout")
        return not pending
    finally:
        http.close()


# ---------------------------------------------------------------- server, memory, culling

def _rss_mib(p: psutil.Process) -> float:
    try:
        return p.memory_info().rss / 2**20
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return 0.0


class MemorySampler(threading.Thread):
    """Every `every_s` seconds, note (t_s, kernel count, server RSS MiB, kernels' RSS MiB)."""

    def __init__(self, server: psutil.Process, every_s: float = 1.0):
        super().__init__(daemon=True)
        self.server, self.every_s = server, every_s
        self.samples: list[tuple] = []
        self._halt = threading.Event()

    def run(self) -> None:
        t0 = time.monotonic()
        while not self._halt.is_set():
            kernels = kernel_processes(self.server)
            self.samples.append((round(time.monotonic() - t0, 1), len(kernels),
                                 round(_rss_mib(self.server), 1),
                                 round(sum(map(_rss_mib, kernels)), 1)))
            self._halt.wait(self.every_s)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=10)


def _server_process(port: int) -> psutil.Process:
    """The Voilà process running_server started from this process."""
    for p in psutil.Process().children():
        if f"--port={port}" in p.cmdline():
            return p
    raise RuntimeError(f"no Voilà child process with --port={port}")


def wait_for_culling(server: psutil.Process, deadline: float) -> tuple[int, float]:
    """Poll once a second until no kernel process is left or the deadline; (left, seconds)."""
    t0 = time.monotonic()
    while (left := len(kernel_processes(server))) and time.monotonic() < deadline:
        time.sleep(1.0)
    return left, time.monotonic() - t0


def _run_async(coroutine):
    """asyncio.run, in a thread of its own if this thread already runs an event loop (as it does
    inside a pytest session that has used Playwright's sync API)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def kernel_ids(server: psutil.Process) -> set[str]:
    """Ids of the server's running kernels (from each kernel's connection-file name)."""
    ids = set()
    for p in kernel_processes(server):
        try:
            ids |= {a.rsplit("kernel-", 1)[1].removesuffix(".json") for a in p.cmdline()
                    if a.endswith(".json") and "kernel-" in a}
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return ids


def run(students: int = 40, notebooks: list[str] | None = None, *, moves: int = 5,
        ramp_s: float = 20.0, timeout_s: float = 600.0, cull_idle_s: int = 30,
        cull_interval_s: int = 5, shutdown: bool = False, seed: int = 0,
        voila_args: tuple[str, ...] | list[str] = (), notebook_dir: Path = NOTEBOOK_DIR,
        out_dir: Path | None = OUT_DIR, log_name: str = "voila-load.log",
        lecture_mode: bool = False) -> LoadResult:
    """Run the load test against a fresh Voilà server; write CSVs to out_dir (None: don't).
    `voila_args` are extra server options, e.g. "--VoilaExecutor.iopub_timeout=30".
    lecture_mode: serve notebooks[0] as tools/lecture.py does (a pool for the class, filled
    before anyone arrives) and let every student close the tab (shutdown) at the end."""
    deadline = time.monotonic() + timeout_s
    notebooks = ([n.removesuffix(".ipynb") for n in notebooks] if notebooks
                 else sorted(p.stem for p in Path(notebook_dir).glob("*.ipynb")))
    if lecture_mode:
        notebooks, shutdown = notebooks[:1], True
        voila_args = [*lecture.pool_args(f"{notebooks[0]}.ipynb", students), *voila_args]
        # As make lecture does: one run's memory tells when a pool kernel has run the notebook.
        kernel_mib = run_with_probe(Path(notebook_dir) / f"{notebooks[0]}.ipynb", PROBE_MEMORY)["rss_mib"]
    roster = [Student(i, notebooks[i % len(notebooks)]) for i in range(students)]
    use_workbook_config()
    port = free_port()
    result = LoadResult(roster, mode="lecture" if lecture_mode else "cold")
    with voila_server(notebook_dir, port=port, extra_args=voila_args, cull_idle_s=cull_idle_s,
                      cull_interval_s=cull_interval_s, log_name=log_name,
                      startup_timeout=min(120.0, deadline - time.monotonic())) as base_url:
        server = _server_process(port)
        sampler = MemorySampler(server)
        sampler.start()
        try:
            pool: set[str] = set()
            if lecture_mode:
                pool_size = students + lecture.spare_kernels(students)
                try:
                    result.pool_fill_s = lecture.wait_until_ready(server, pool_size, kernel_mib, deadline)
                except TimeoutError:
                    # No student is sent to a pool that never filled; the server log says why.
                    result.problems.append(
                        f"the pool never reached {pool_size} idle kernels ({len(kernel_processes(server))} "
                        f"running at --timeout; a kernel that died is in artifacts/logs/{log_name})")
                    return result
                pool = kernel_ids(server)
            finished = _run_async(classroom(base_url, roster, ramp_s=ramp_s, moves=moves,
                                            deadline=deadline, seed=seed, shutdown=shutdown))
            if not finished:
                result.problems.append(f"--timeout {timeout_s:.0f} s reached before every "
                                       "student finished")
            if lecture_mode:
                # Every closed tab must have freed its kernel; the pool's own kernels stay.
                taken = {st.kernel_id for st in roster if st.kernel_id}
                left = kernel_ids(server) & taken
                result.kernels_left, result.cull_s = len(left), 0.0
                result.pool_kernels_after = len(kernel_ids(server) & pool)
                if left:
                    result.problems.append(f"{len(left)} student kernel(s) still running after "
                                           "their tabs closed")
            else:
                result.kernels_left, result.cull_s = wait_for_culling(server, deadline)
                if result.kernels_left:
                    result.problems.append(f"{result.kernels_left} kernel(s) still running "
                                           f"{result.cull_s:.0f} s after the last student left")
                    result.cull_s = float("nan")
        finally:
            sampler.stop()
    result.memory = sampler.samples
    log = (LOG_DIR / log_name).read_text(errors="replace")
    result.log_counts = {k: log.count(needle) for k, needle in LOG_NOTES.items()}
    if result.memory:
        result.peak_rss_mib = max(s[2] + s[3] for s in result.memory)
        result.peak_server_rss_mib = max(s[2] for s in result.memory)
        result.peak_kernels = max(s[1] for s in result.memory)
    if out_dir is not None:
        write_outputs(result, Path(out_dir), settings=dict(
            mode=result.mode, students=students, notebooks=notebooks, moves=moves, ramp_s=ramp_s,
            timeout_s=timeout_s, cull_idle_s=cull_idle_s, cull_interval_s=cull_interval_s,
            shutdown=shutdown, seed=seed, voila_args=list(voila_args)))
    return result


# ---------------------------------------------------------------- report

def pct(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), linear between the sorted values; nan if there are none."""
    if not values:
        return float("nan")
    v = sorted(values)
    k = (len(v) - 1) * q / 100
    i = int(k)
    return v[i] + (v[min(i + 1, len(v) - 1)] - v[i]) * (k - i)


def summary_rows(result: LoadResult) -> list[dict]:
    """One row per notebook and one for all: renders, render s and move latency ms percentiles."""
    rows = []
    groups = sorted({s.notebook for s in result.students})
    for name in groups + ["all"]:
        group = [s for s in result.students if name in ("all", s.notebook)]
        renders = [s.render_s for s in group if s.render_ok]
        moves = [m for s in group for m in s.moves]
        lat = [m.latency_ms for m in moves if not m.error and m.latency_ms > 0]
        rows.append({
            "notebook": name, "students": len(group), "renders_ok": len(renders),
            "renders_failed": len(group) - len(renders),
            "pages_complete": sum(s.page_complete for s in group),
            "render_p50_s": pct(renders, 50), "render_p95_s": pct(renders, 95),
            "render_max_s": max(renders, default=float("nan")),
            "moves": len(moves), "moves_ok": len(lat),
            "latency_p50_ms": pct(lat, 50), "latency_p95_ms": pct(lat, 95),
            "latency_max_ms": max(lat, default=float("nan")),
            "moves_redrawing_figure": sum(m.figure for m in moves),
            "messages_per_move_median": statistics.median([m.messages for m in moves])
            if moves else float("nan"),
            "failures": sum(len(s.failures) for s in group)})
    return [{k: round(v, 3) if isinstance(v, float) else v for k, v in r.items()} for r in rows]


def _fmt(v) -> str:
    return f"{v:.2f}" if isinstance(v, float) else str(v)


def print_report(result: LoadResult) -> None:
    rows = summary_rows(result)
    cols = [("notebook", "notebook"), ("students", "n"), ("renders_ok", "ok"),
            ("renders_failed", "fail"), ("pages_complete", "complete"),
            ("render_p50_s", "render p50 s"),
            ("render_p95_s", "p95 s"), ("render_max_s", "max s"), ("moves_ok", "moves"),
            ("latency_p50_ms", "move p50 ms"), ("latency_p95_ms", "p95 ms"),
            ("latency_max_ms", "max ms"), ("moves_redrawing_figure", "figure"),
            ("messages_per_move_median", "msgs")]
    cells = [[h for _, h in cols]] + [[_fmt(r[k]) for k, _ in cols] for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(cols))]
    for n, line in enumerate(cells):
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(line, widths))))
        if n == 0:
            print("  ".join("-" * w for w in widths))
    print(f"\npeak memory: {result.peak_rss_mib:.0f} MiB (server + kernels; server alone peaked "
          f"at {result.peak_server_rss_mib:.0f} MiB), peak kernels: {result.peak_kernels}")
    if result.mode == "lecture":
        print(f"pool ready (every kernel had run the notebook) {result.pool_fill_s:.0f} s after the server started; student "
              f"kernels left after their tabs closed: {result.kernels_left}; pool kernels still "
              f"waiting: {result.pool_kernels_after} (refills start {lecture.REFILL_DELAY_S} s after "
              "each page opened)")
        print(f"targets: render p95 <= {LECTURE_RENDER_P95_S:g} s, move p95 < {LECTURE_MOVE_P95_MS:g} ms"
              + (": missed, " + "; ".join(result.targets) if result.targets else ": met"))
    else:
        print(f"kernels left at the end: {result.kernels_left}"
              + (f" (none left {result.cull_s:.1f} s after the last student had gone)"
                 if result.kernels_left == 0 else ""))
    print("server log: " + ", ".join(f"{k.replace('_', ' ')} {v}"
                                      for k, v in result.log_counts.items()))
    for w in result.warnings:
        print("WARNING", w)
    for f in result.failures:
        print("FAIL", f)
    print("\nverdict:", "PASS" if result.ok else "FAIL")


def write_outputs(result: LoadResult, out_dir: Path, settings: dict) -> None:
    """load*.csv and load_summary.json (cold), lecture*.csv and lecture_summary.json (lecture)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    prefix = "lecture" if result.mode == "lecture" else "load"

    def write(name: str, rows: list[dict]) -> None:
        with open(out_dir / name.replace("load", prefix, 1), "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["empty"])
            w.writeheader()
            w.writerows(rows)

    rows = summary_rows(result)
    write("load.csv", rows)
    write("load_students.csv", [
        {"student": s.index, "notebook": s.notebook, "render_ok": s.render_ok,
         "render_s": round(s.render_s, 3), "page_widgets": s.page_widgets,
         "kernel_widgets": s.kernel_widgets, "page_complete": s.page_complete,
         "kernel_id": s.kernel_id, "moves": len(s.moves),
         "failures": " | ".join(s.failures)} for s in result.students])
    write("load_moves.csv", [
        {"student": s.index, "notebook": s.notebook, **asdict(m)}
        for s in result.students for m in s.moves])
    write("load_memory.csv", [dict(zip(("t_s", "kernels", "server_rss_mib", "kernels_rss_mib"),
                                       sample)) for sample in result.memory])
    (out_dir / f"{prefix}_summary.json").write_text(json.dumps({
        "settings": settings,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "total_mem_mib": psutil.virtual_memory().total // 2**20},
        "all": rows[-1], "peak_rss_mib": result.peak_rss_mib,
        "peak_server_rss_mib": result.peak_server_rss_mib, "peak_kernels": result.peak_kernels,
        "kernels_left": result.kernels_left, "cull_s": result.cull_s,
        "pool_fill_s": result.pool_fill_s, "pool_kernels_after": result.pool_kernels_after,
        "targets_missed": result.targets,
        "server_log": result.log_counts,
        "failures": result.failures, "warnings": result.warnings, "ok": result.ok},
        indent=2, default=str))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mode", choices=("both", "lecture", "cold"), default="both",
                    help="a lecture's preheated pool, a cold server, or both in turn (default)")
    ap.add_argument("--students", type=int, default=40)
    ap.add_argument("--notebooks", nargs="*", help="notebook stems (cold default: every notebook; "
                    "lecture: the first, default 04_dose_and_cost)")
    ap.add_argument("--moves", type=int, default=5, help="control moves per student")
    ap.add_argument("--ramp", type=float, default=20.0, help="arrivals spread over this many s")
    ap.add_argument("--timeout", type=float, default=600.0, help="limit of each run, s")
    ap.add_argument("--cull-idle", type=int, default=30, help="server's cull_idle_timeout, s")
    ap.add_argument("--cull-interval", type=int, default=5, help="server's cull_interval, s")
    ap.add_argument("--shutdown", action="store_true",
                    help="cold: shut each kernel down when its student leaves instead of culling it")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--voila-arg", action="append", default=[], metavar="ARG",
                    help="extra Voilà option, e.g. --voila-arg=--VoilaExecutor.iopub_timeout=30")
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    a = ap.parse_args(argv)
    common = dict(moves=a.moves, ramp_s=a.ramp, timeout_s=a.timeout, cull_idle_s=a.cull_idle,
                  cull_interval_s=a.cull_interval, seed=a.seed, voila_args=a.voila_arg, out_dir=a.out)
    results = []
    if a.mode in ("both", "lecture"):
        print(f"== lecture: {a.students} students, one notebook, preheated pool (tools/lecture.py)", flush=True)
        results.append(run(a.students, a.notebooks or ["04_dose_and_cost"], lecture_mode=True,
                           log_name="voila-lecture.log", **common))
        print_report(results[-1])
    if a.mode in ("both", "cold"):
        print(f"\n== cold server: {a.students} students, kernels started per page (the comparison)", flush=True)
        results.append(run(a.students, a.notebooks, shutdown=a.shutdown, **common))
        print_report(results[-1])
    print(f"wrote {a.out}/lecture*.csv, load*.csv and their summary JSON")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
