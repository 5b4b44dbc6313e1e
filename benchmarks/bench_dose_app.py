"""How long one update of notebook 04's apps takes, headless (no browser, no kernel). Not a test.

    make bench                       # or: .venv/bin/python -m benchmarks.bench_dose_app [-n 50]

Builds DoseCostApp and the three focused apps (DosingWeightApp, InfusionApp, IgGApp) in this
process, then changes one control at a time N times, as a learner would, and times with
time.perf_counter:

  model  the model alone for the same inputs: simulator.simulate(patient, choices) for
         DoseCostApp (the inputs the app just passed to it), app.compute() for the focused apps
  app    the whole update: control.value = x -> observer -> compute() -> show() -> card,
         summaries and the redrawn figure (its plotly JSON put in the plot's Output widget),
         including ipywidgets' serialisation of every state message (sent to a DummyComm:
         no kernel, no socket)

It prints median, p90 and max in ms against the target "one app update under 20 ms (median)"
with PASS/OVER per row, writes artifacts/bench/dose_app.csv, counts the widget messages one
update sends, and profiles DoseCostApp weight updates with cProfile (ivigkit functions and
plotly's update calls only). Exit status is 0 whatever the verdicts.
"""
from __future__ import annotations

import argparse
import cProfile
import csv
import json
import os
import platform
import pstats
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
OUT_CSV = REPO / "artifacts" / "bench" / "dose_app.csv"
TARGET_MS = 20.0  # one app update, median
WARMUP = 5
PROFILE_UPDATES = 20
PLOTLY_UPDATE_CALLS = re.compile(r"update|relayout|restyle|batch|_send_|to_plotly_json|add_traces")


@dataclass
class Row:
    app: str
    change: str
    layer: str  # "model" or "app"
    times_ms: list[float]
    errors: int = 0   # updates that ended in a ValueError message instead of a result
    missed: int = 0   # control changes that did not trigger an update

    def stats(self) -> tuple[float, float, float]:
        t = sorted(self.times_ms)
        p90 = statistics.quantiles(t, n=10, method="inclusive")[8] if len(t) > 1 else t[0]
        return statistics.median(t), p90, t[-1]

    def verdict(self) -> str:
        return "PASS" if self.stats()[0] < TARGET_MS else "OVER"


# ---------------------------------------------------------------- the changes a learner makes


def _distinct(current: float, new: float) -> float:
    return new + 0.01 if new == current else new


def weight_values(i: int) -> float:
    return 55 + 0.7 * i  # a new weight every time (55 to ~90 kg): no cache can answer it


def price_values(i: int) -> float:
    return 40 + 1.3 * i  # USD/g, a new price every time


def regimen_ids(dropdown) -> list[str]:
    return [value for _, value in dropdown.options]


@dataclass
class Scenario:
    app: str
    change: str
    build: Callable[[], object]
    apply: Callable[[object, int], None]         # set the i-th value of the control
    model: Callable[[object], Callable[[], object]] | None  # -> a call that runs the model alone


def _set_weight(control_of):
    def apply(app, i):
        control = control_of(app)
        control.value = _distinct(control.value, weight_values(i))
    return apply


def _set_regimen(app, i):
    ids = regimen_ids(app.regimen)
    start = ids.index(app.regimen.value)
    app.regimen.value = ids[(start + 1) % len(ids)]


def _toggle_saturable(app, i):
    app.saturable.value = not app.saturable.value


def _set_price(app, i):
    app.price.value = _distinct(app.price.value, price_values(i))


def _simulate_same_inputs(app):
    from ivigkit import simulator

    patient, choices = app.result.patient, app.result.choices
    return lambda: simulator.simulate(patient, choices)


def _compute(app):
    return app.compute


def scenarios() -> list[Scenario]:
    from ivigkit.apps.dose import DosingWeightApp, IgGApp, InfusionApp
    from ivigkit.apps.dose_cost import DoseCostApp

    return [
        Scenario("DoseCostApp", "weight", DoseCostApp, _set_weight(lambda a: a.patient.weight),
                 _simulate_same_inputs),
        Scenario("DoseCostApp", "regimen", DoseCostApp, _set_regimen, _simulate_same_inputs),
        Scenario("DoseCostApp", "saturable model", DoseCostApp, _toggle_saturable, _simulate_same_inputs),
        Scenario("DoseCostApp", "price", DoseCostApp, _set_price, _simulate_same_inputs),
        Scenario("DosingWeightApp", "weight", DosingWeightApp, _set_weight(lambda a: a.patient.weight),
                 _compute),
        Scenario("InfusionApp", "weight", InfusionApp, _set_weight(lambda a: a.weight), _compute),
        Scenario("IgGApp", "weight", IgGApp, _set_weight(lambda a: a.weight), _compute),
        Scenario("IgGApp", "regimen", IgGApp, _set_regimen, _compute),
    ]


# ---------------------------------------------------------------- timing


def run(scenario: Scenario, n: int) -> list[Row]:
    app = scenario.build()
    app_row = Row(scenario.app, scenario.change, "app", [])
    model_row = Row(scenario.app, scenario.change, "model", [])
    for i in range(-WARMUP, n):
        before = app.result
        t0 = time.perf_counter()
        scenario.apply(app, i)
        dt = (time.perf_counter() - t0) * 1e3
        if i < 0:
            continue
        app_row.times_ms.append(dt)
        if app.error:
            app_row.errors += 1
        elif app.result is before:
            app_row.missed += 1
        if scenario.model is not None and not app.error:
            call = scenario.model(app)
            t0 = time.perf_counter()
            call()
            model_row.times_ms.append((time.perf_counter() - t0) * 1e3)
    return [r for r in (model_row, app_row) if r.times_ms]


def run_tab_switch(n: int) -> Row | None:
    """After a weight change, open the next figure tab (the app redraws a hidden figure only
    when its tab is opened, if it defers them): the cost a learner pays on the tab click."""
    from ivigkit.apps.dose_cost import DoseCostApp

    app = DoseCostApp()
    tabs = getattr(app, "figure_tabs", None)
    if tabs is None or not tabs.children:
        return None
    row = Row("DoseCostApp", "weight, then open next figure tab", "app (tab click)", [])
    for i in range(-WARMUP, n):
        app.patient.weight.value = _distinct(app.patient.weight.value, weight_values(i))
        t0 = time.perf_counter()
        tabs.selected_index = ((tabs.selected_index or 0) + 1) % len(tabs.children)
        dt = (time.perf_counter() - t0) * 1e3
        if i >= 0:
            row.times_ms.append(dt)
    return row


def time_builds(repeat: int = 5) -> list[tuple[str, float]]:
    from ivigkit.apps.dose import DosingWeightApp, IgGApp, InfusionApp
    from ivigkit.apps.dose_cost import DoseCostApp

    out = []
    for cls in (DoseCostApp, DosingWeightApp, InfusionApp, IgGApp):
        cls()  # warm caches and imports
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            cls()
            times.append((time.perf_counter() - t0) * 1e3)
        out.append((cls.__name__, statistics.median(times)))
    return out


# ---------------------------------------------------------------- messages per update


def message_counts() -> list[tuple[str, int, float, str]]:
    """Widget state messages one DoseCostApp update sends, and their JSON size (untimed pass)."""
    import ipywidgets

    from ivigkit.apps.dose_cost import DoseCostApp

    sent: list[tuple[str, int, str]] = []
    original = ipywidgets.Widget._send

    def recording_send(self, msg, buffers=None):
        keys = ",".join(sorted((msg.get("state") or {}).keys()))
        sent.append((type(self).__name__, len(json.dumps(msg, default=str)), keys))
        return original(self, msg, buffers=buffers)

    app = DoseCostApp()
    changes = [("weight", lambda: _set_weight(lambda a: a.patient.weight)(app, 0)),
               ("regimen", lambda: _set_regimen(app, 0)),
               ("saturable model", lambda: _toggle_saturable(app, 0)),
               ("price", lambda: _set_price(app, 0))]
    out = []
    ipywidgets.Widget._send = recording_send
    try:
        for name, change in changes:
            sent.clear()
            change()
            biggest = max(sent, key=lambda s: s[1]) if sent else ("-", 0, "")
            out.append((name, len(sent), sum(s[1] for s in sent) / 1024,
                        f"{biggest[0]}[{biggest[2]}] {biggest[1] / 1024:.1f} KB"))
    finally:
        ipywidgets.Widget._send = original
    return out


# ---------------------------------------------------------------- profile


def _package(path: str) -> str:
    """'.../site-packages/pandas/core/frame.py' -> 'pandas'; ivigkit; else the stdlib or '~'."""
    path = path.replace(os.sep, "/")
    if "/ivigkit/" in path:
        return "ivigkit"
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    return "builtins" if path.startswith("~") or path.startswith("<") else "stdlib"


def profile_weight_updates(updates: int = PROFILE_UPDATES):
    from ivigkit.apps.dose_cost import DoseCostApp

    app = DoseCostApp()
    apply = _set_weight(lambda a: a.patient.weight)
    for i in range(-WARMUP, 0):
        apply(app, i)
    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    profiler.enable()
    for i in range(updates):
        apply(app, 100 + i)
    profiler.disable()
    total_ms = (time.perf_counter() - t0) * 1e3 / updates
    stats = pstats.Stats(profiler)
    rows, plotly_rows, own_by_package = [], [], {}
    for (filename, line, func), (cc, nc, tt, ct, callers) in stats.stats.items():
        path = filename.replace(os.sep, "/")
        package = _package(path)
        own_by_package[package] = own_by_package.get(package, 0.0) + tt * 1e3 / updates
        if package == "ivigkit":
            where = "ivigkit/" + path.split("/ivigkit/", 1)[1]
        elif package == "plotly" and PLOTLY_UPDATE_CALLS.search(func):
            where = "plotly/" + path.split("/plotly/", 1)[1]
        else:
            continue
        entry = (ct * 1e3 / updates, tt * 1e3 / updates, nc / updates, f"{where}:{line}({func})")
        rows.append(entry)
        if package == "plotly":
            plotly_rows.append(entry)
    rows.sort(reverse=True)
    plotly_rows.sort(reverse=True)
    packages = sorted(own_by_package.items(), key=lambda kv: -kv[1])
    return total_ms, rows[:10], plotly_rows[:6], packages[:8]


# ---------------------------------------------------------------- report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=50, help="timed updates per row (default 50)")
    args = parser.parse_args(argv)

    import ipywidgets
    import plotly

    print(f"notebook 04 apps, headless: Python {platform.python_version()}, plotly {plotly.__version__}, "
          f"ipywidgets {ipywidgets.__version__}, {os.cpu_count()} CPUs, N={args.n} after {WARMUP} warm-up")
    print(f"target: one app update under {TARGET_MS:g} ms (median)\n")

    rows: list[Row] = []
    for scenario in scenarios():
        rows.extend(run(scenario, args.n))
    tab = run_tab_switch(args.n)
    if tab is not None:
        rows.append(tab)

    header = f"{'app':<16} {'change':<34} {'layer':<15} {'median':>8} {'p90':>8} {'max':>8}  verdict"
    print(header + "\n" + "-" * len(header))
    for r in rows:
        med, p90, mx = r.stats()
        note = "".join([f"  ({r.errors} error)" if r.errors else "",
                        f"  ({r.missed} no update)" if r.missed else ""])
        print(f"{r.app:<16} {r.change:<34} {r.layer:<15} {med:8.2f} {p90:8.2f} {mx:8.2f}  {r.verdict()}{note}")
    print("(ms; model = the model alone for the same inputs; app = control change to card and figures)")

    OUT_CSV.parent.mkdir(parents=True, exist_ok=True)
    with OUT_CSV.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["app", "change", "layer", "n", "median_ms", "p90_ms", "max_ms", "target_ms",
                     "verdict", "errors", "no_update"])
        for r in rows:
            med, p90, mx = r.stats()
            w.writerow([r.app, r.change, r.layer, len(r.times_ms), f"{med:.3f}", f"{p90:.3f}",
                        f"{mx:.3f}", TARGET_MS, r.verdict(), r.errors, r.missed])
    print(f"wrote {OUT_CSV.relative_to(REPO)}")

    print("\nbuilding an app (median of 5, ms): "
          + ", ".join(f"{name} {ms:.0f}" for name, ms in time_builds()))

    print("\nwidget messages one DoseCostApp update sends (JSON size; the browser also redraws):")
    for name, count, kb, biggest in message_counts():
        print(f"  {name:<16} {count:3d} messages, {kb:7.1f} KB; largest {biggest}")

    total, top, plotly_top, packages = profile_weight_updates()
    print(f"\ncProfile, DoseCostApp weight change: {total:.1f} ms per update under the profiler "
          f"(mean of {PROFILE_UPDATES}; the profiler roughly doubles times)")
    print("top 10 by cumulative time, ivigkit functions and plotly's update calls:")
    print(f"  {'cum ms':>7} {'own ms':>7} {'calls':>6}  function")
    for cum, own, calls, name in top:
        print(f"  {cum:7.2f} {own:7.2f} {calls:6.1f}  {name}")
    print("plotly's update calls alone:")
    for cum, own, calls, name in plotly_top:
        print(f"  {cum:7.2f} {own:7.2f} {calls:6.1f}  {name}")
    print("own time by package (ms per update): "
          + ", ".join(f"{name} {ms:.1f}" for name, ms in packages))
    return 0


if __name__ == "__main__":
    sys.exit(main())
