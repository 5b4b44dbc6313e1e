"""Browser and process helpers of bench_classroom.py: what each page's timers wait for.

A page is *interactive* when Voila has rendered every cell output, every figure on screen is
drawn by plotly (its `_fullData` exists and its SVG is in the DOM), the page's first control
is on screen and enabled, and no widget view or plot has been added for QUIET_S. The time to
interactive is taken in the page (performance.timeOrigin = navigation start) as the later of
"ready since" and "last widget view or plot added", so the quiet wait is not inside it.
"""
from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import psutil

REPO = Path(__file__).resolve().parents[1]
from tests.support.pages import OUTPUTS_RENDERED, RACE_SIGNS
from tests.support.browser import CHROMIUM_ARGS  # noqa: F401 (soak and bench_classroom launch with it)
from tests.support.servers import NOT_LOOPBACK

QUIET_S = 1.0          # no widget view or plot added for this long: the page has finished
LOAD_TIMEOUT_S = 90.0
UPDATE_TIMEOUT_S = 20.0
SETTLE_S = 0.3         # pause after a figure update before the next change (trailing messages)

# Runs at document start in every page: records when the page became ready and when a widget
# view or plot was last added. `ready()` is re-evaluated every 50 ms.
INIT_SCRIPT = """(() => {
  const VIEW = '.jupyter-widgets, .js-plotly-plot';
  const CONTROL = ['input', 'select', 'button', 'textarea', '.noUi-handle']
    .map(s => '#rendered_cells .jupyter-widgets ' + s).join(', ');
  const s = window.__bench = {readySince: null, lastAdd: 0};
  const outputsRendered = %s;
  const shown = el => el.offsetParent !== null;
  const drawn = g => !!g && !!g._fullData && g._fullData.length > 0 && !!g.querySelector('.main-svg');
  const ready = () => {
    if (!outputsRendered()) return false;
    const plots = [...document.querySelectorAll('#rendered_cells .js-plotly-plot')].filter(shown);
    if (!plots.every(drawn)) return false;
    const figures = [...document.querySelectorAll('.ivig-figure')].filter(shown);
    if (!figures.every(f => drawn(f.querySelector('.js-plotly-plot')))) return false;
    const first = document.querySelector(CONTROL);
    return !!first && !first.disabled && shown(first);
  };
  new MutationObserver(records => {
    for (const r of records) for (const n of r.addedNodes)
      if (n.nodeType === 1 && (n.matches(VIEW) || (n.firstElementChild && n.querySelector(VIEW)))) {
        s.lastAdd = performance.now(); return;
      }
  }).observe(document, {childList: true, subtree: true});
  setInterval(() => {
    if (!ready()) s.readySince = null;
    else if (s.readySince === null) s.readySince = performance.now();
  }, 50);
})();""" % OUTPUTS_RENDERED

PAGE_STATE = """(race) => ({...window.__bench, now: performance.now(), origin: performance.timeOrigin,
  race: !!document.body && document.body.textContent.includes(race),
  nav: (e => e ? {start: e.responseStart, end: e.responseEnd} : null)(
    performance.getEntriesByType('navigation')[0])})"""

# Arms one latency measurement: t0 = the first keydown/change/click (capture phase, before any
# widget code), t1 = the first moment the target plot holds new plotly data (a new `_fullData`
# or a new plot element) with its traces in the SVG, checked on every DOM mutation of the
# figure and every animation frame.
ARM_LATENCY = """([app, appIndex, figureIndex]) => {
  const root = app ? document.querySelectorAll(app)[appIndex] : document.getElementById('rendered_cells');
  const holder = figureIndex === null ? root : root.querySelectorAll('.ivig-figure')[figureIndex];
  const plot = () => holder.querySelector('.js-plotly-plot');
  const gd0 = plot(), data0 = gd0 && gd0._fullData;
  const s = window.__latency = {t0: null, t1: null, stop: false};
  const types = ['keydown', 'change', 'click'];
  const onInput = () => { if (s.t0 === null) s.t0 = performance.now(); };
  types.forEach(t => window.addEventListener(t, onInput, true));
  const redrawn = () => { const g = plot();
    return !!g && !!g._fullData && g._fullData.length > 0 && (g !== gd0 || g._fullData !== data0)
      && !!g.querySelector('.main-svg .trace'); };
  const observer = new MutationObserver(() => check());
  const finish = () => {
    observer.disconnect(); types.forEach(t => window.removeEventListener(t, onInput, true)); };
  const check = () => {
    if (s.t1 !== null || s.t0 === null || !redrawn()) return;
    s.t1 = performance.now(); finish();
  };
  observer.observe(holder, {childList: true, subtree: true, attributes: true});
  const frame = () => { check(); if (s.t1 === null && !s.stop) requestAnimationFrame(frame); else finish(); };
  requestAnimationFrame(frame);
  return !!gd0;
}"""


@dataclass(frozen=True)
class Control:
    """One control that redraws a figure, and the values a learner alternates between.

    kind: "slider" (keys pressed on its handle), "select" (option labels) or "number" (typed,
    then Enter). `app` is a CSS selector of the app root (None: the whole page), `index` which
    match, `nth` which control of that kind in it, `figure` which .ivig-figure (None: any plot)."""

    kind: str
    values: tuple
    app: str | None = None
    index: int = 0
    nth: int = 0
    label: str | None = None
    figure: int | None = 0
    describe: str = ""


@dataclass(frozen=True)
class PageSpec:
    notebook: str
    control: Control | None  # None: no figure to time (notebook 06)


REFERENCE = "reference_app.ipynb"
PAGES = [
    PageSpec(REFERENCE, Control("slider", ("ArrowRight", "ArrowLeft"), figure=None,
                                describe="Frequency slider, one step right/left")),
    PageSpec("00_start_here.ipynb", Control(
        "slider", ("ArrowRight", "ArrowLeft"), ".ivig-app-DoseArithmeticApp",
        describe="DoseArithmeticApp: Dose (g/kg) slider, one step right/left")),
    PageSpec("01_ms_courses.ipynb", Control(
        "slider", ("ArrowRight", "ArrowLeft"), ".ivig-app-CourseSimulatorApp",
        describe="CourseSimulatorApp: Years slider, 10 -> 11 -> 10")),
    PageSpec("02_ivig_mechanisms.ipynb", Control(
        "slider", ("ArrowLeft", "ArrowRight"), ".ivig-app-FcRnApp",
        describe="FcRnApp: Dose (g/kg per course) slider, 2.0 -> 1.9 -> 2.0")),
    PageSpec("03_evidence.ipynb", Control(
        "select", ("All populations", "Relapsing-remitting MS"), ".ivig-app-EvidenceExplorerApp",
        index=1, label="Population",
        describe="second EvidenceExplorerApp: Population dropdown, all <-> RRMS")),
    PageSpec("04_dose_and_cost.ipynb", Control(
        "number", (95, 70), ".ivig-app-DoseCostApp", label="Weight",
        describe="DoseCostApp: Weight box, 95 <-> 70 kg + Enter (Pump steps tab)")),
    PageSpec("05_giving_ivig_safely.ipynb", Control(
        "select", ("Gamunex-C", "Privigen"), ".ivig-app-InfusionDayApp", label="Product",
        describe="InfusionDayApp: Product dropdown, Gamunex-C <-> Privigen")),
    PageSpec("06_patient_cases.ipynb", None),
]


# ---------------------------------------------------------------- browser




def new_context(browser, blocked: list[str]):
    """A fresh context (empty cache, as a first visit) that aborts every non-loopback request
    and lists it in `blocked`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)

    def abort(route):
        blocked.append(route.request.url)
        route.abort()

    # A pattern, not a predicate: Playwright matches patterns in its driver, so loopback requests
    # never wait for this (sync, often sleeping) Python thread to answer a route.
    context.route(NOT_LOOPBACK, abort)
    context.add_init_script(INIT_SCRIPT)
    return context


@dataclass
class Load:
    """One page load. Times in s from the first navigation start."""

    notebook: str
    tti_s: float | None = None
    html_s: float | None = None     # responseEnd: Voila has sent the whole page (cells executed)
    kernel_ids: list[str] = field(default_factory=list)  # last one is the page's kernel
    blocked: list[str] = field(default_factory=list)     # non-loopback requests aborted
    error: str | None = None
    context: object = None
    page: object = None


def _state(page):
    try:
        return page.evaluate(PAGE_STATE, RACE_SIGNS[0])
    except Exception:  # navigating: the old document is gone, the new one not yet scripted
        return None


def _kernel_id(page) -> str | None:
    try:
        config = page.locator("#jupyter-config-data").text_content(timeout=5_000)
        return json.loads(config or "{}").get("kernelId")
    except Exception:
        return None


def open_page(browser, base_url: str, notebook: str) -> Load:
    """Open a notebook's app in a fresh context and wait until it is interactive. A page that
    shows "Error displaying widget" is recorded as an error. The caller closes `load.context`."""
    load = Load(notebook)
    load.context = new_context(browser, load.blocked)
    page = load.page = load.context.new_page()
    url = f"{base_url}/voila/render/{quote(notebook)}"
    page.goto(url, wait_until="commit")
    nav0_ms, deadline = None, time.monotonic() + LOAD_TIMEOUT_S
    while time.monotonic() < deadline:
        s = _state(page)
        if s is None or s.get("origin") is None:
            time.sleep(0.1)
            continue
        if nav0_ms is None:
            nav0_ms = s["origin"]
        if s["race"]:  # a broken page is an error, never reloaded (see soak.py)
            load.error = "widget race: the page shows 'Error displaying widget'"
            break
        quiet = s["readySince"] is not None and s["now"] - max(s["readySince"], s["lastAdd"]) >= QUIET_S * 1e3
        if quiet:
            offset_ms = s["origin"] - nav0_ms
            load.tti_s = (offset_ms + max(s["readySince"], s["lastAdd"])) / 1e3
            if s["nav"]:
                load.html_s = (offset_ms + s["nav"]["end"]) / 1e3
            break
        time.sleep(0.2)
    else:
        load.error = f"not interactive within {LOAD_TIMEOUT_S:.0f} s"
    load.kernel_ids.append(_kernel_id(page))
    return load


def close(load: Load, base_url: str) -> None:
    """Close the page and context, then shut down every kernel the load started."""
    from tests.support.servers import shutdown_kernel

    try:
        load.page.close()
        load.context.close()
    finally:
        for kernel_id in dict.fromkeys(load.kernel_ids):
            shutdown_kernel(base_url, kernel_id)


def latencies_ms(page, control: Control, changes: int) -> tuple[list[float], int]:
    """Make `changes` changes of `control` on a freshly loaded page, alternating its values (the
    first differs from the app's default); return the control-to-figure latencies (ms) and how
    many changes drew no new figure within UPDATE_TIMEOUT_S."""
    app = page.locator(control.app).nth(control.index) if control.app else page.locator("#rendered_cells")
    if control.kind == "slider":
        target = app.locator(".widget-slider").nth(control.nth).locator(".noUi-handle")
    else:
        target = app.get_by_label(control.label, exact=True)
    out, missed = [], 0
    for i in range(changes):
        value = control.values[i % len(control.values)]
        if control.kind == "number":
            target.fill(str(value))  # 'input' events only: the box syncs on Enter
        page.evaluate(ARM_LATENCY, [control.app, control.index, control.figure])
        if control.kind == "slider":
            target.press(value)
        elif control.kind == "select":
            target.select_option(label=value)
        else:
            target.press("Enter")
        try:
            page.wait_for_function("() => window.__latency.t1 !== null", timeout=UPDATE_TIMEOUT_S * 1e3,
                                   polling=50)
            s = page.evaluate("() => window.__latency")
            out.append(s["t1"] - s["t0"])
        except Exception:
            page.evaluate("() => { window.__latency.stop = true; }")
            missed += 1
        time.sleep(SETTLE_S)
    return out, missed


# ---------------------------------------------------------------- processes


def server_process(port: int) -> psutil.Process:
    """The Voila server listening on `port` (started by servers.voila_server)."""
    for p in psutil.process_iter(["cmdline"]):
        cmd = p.info["cmdline"] or []
        if f"--port={port}" in cmd and "voila" in cmd:
            return p
    raise LookupError(f"no Voila process with --port={port}")


def kernels(server: psutil.Process) -> dict[str, psutil.Process]:
    """The server's kernel processes by kernel id (from `-f .../kernel-<id>.json`)."""
    out = {}
    for child in server.children(recursive=True):
        try:
            cmd = child.cmdline()
        except psutil.Error:
            continue
        for arg in cmd:
            if arg.endswith(".json") and "kernel-" in arg:
                out[arg.rsplit("kernel-", 1)[1].removesuffix(".json")] = child
    return out


def kernel_usage(server: psutil.Process, kernel_id: str) -> tuple[float, float | None, float] | None:
    """RSS and USS (MiB; USS None if the platform cannot give it) and CPU seconds (user +
    system) of one kernel so far."""
    proc = kernels(server).get(kernel_id)
    if proc is None:
        return None
    try:
        cpu = proc.cpu_times()
        try:
            info = proc.memory_full_info()
            return info.rss / 2**20, getattr(info, "uss", None) and info.uss / 2**20, cpu.user + cpu.system
        except psutil.AccessDenied:
            return proc.memory_info().rss / 2**20, None, cpu.user + cpu.system
    except psutil.Error:
        return None


def _cpu_s(procs) -> dict[int, float]:
    out = {}
    for p in procs:
        try:
            t = p.cpu_times()
            out[p.pid] = t.user + t.system
        except psutil.Error:
            pass
    return out


def wait_quiet(cold: psutil.Process | None, hot: psutil.Process | None, pool_size: int,
               exclude: set[str], timeout_s: float = 180.0, window_s: float = 0.75,
               idle_cpu_s: float = 0.03) -> float:
    """Wait until the cold server has no kernel, the preheat server's pool holds `pool_size`
    kernels (none of them in `exclude`), and both servers and every kernel used under
    `idle_cpu_s` CPU seconds in one `window_s` window (a pooled kernel has finished executing
    its notebook). Returns the seconds waited; raises TimeoutError."""
    t0 = time.monotonic()
    why = ""
    while time.monotonic() - t0 < timeout_s:
        pool, left = kernels(hot) if hot else {}, kernels(cold) if cold else {}
        if left or (hot and (len(pool) != pool_size or set(pool) & exclude)):
            why = f"cold server kernels {len(left)}, preheated pool {len(pool)} of {pool_size}"
            time.sleep(0.25)
            continue
        procs = [p for p in (cold, hot) if p] + list(pool.values())
        before = _cpu_s(procs)
        time.sleep(window_s)
        after = _cpu_s(procs)
        busy = {pid: after.get(pid, 0) - t for pid, t in before.items() if after.get(pid, 0) - t > idle_cpu_s}
        if not busy:
            return time.monotonic() - t0
        why = "busy (pid: CPU s in the last window): " + ", ".join(f"{k}: {v:.2f}" for k, v in busy.items())
    raise TimeoutError(f"servers not quiet within {timeout_s:.0f} s; {why}")
