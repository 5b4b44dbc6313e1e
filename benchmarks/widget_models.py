"""How many widget models each page makes before a learner touches it. Not a test.

    .venv/bin/python -m benchmarks.widget_models            # every notebook and the reference app

Runs each notebook top to bottom in a fresh kernel (nbclient, as Voila does) and counts the
ipywidgets models alive at the end: each is a comm the browser must restore and most are views
it must draw before the page is interactive. Prints the total and the five most common classes
per page, and writes artifacts/bench/widget_models.csv.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
from tools.probe import run_with_probe

OUT_CSV = REPO / "artifacts" / "bench" / "widget_models.csv"
COUNT = """import collections, json, ipywidgets
_models = list(ipywidgets.Widget.widgets.values())
print(json.dumps({"total": len(_models),
                  "classes": collections.Counter(type(w).__name__ for w in _models).most_common(5)}))"""


def main() -> int:
    pages = sorted((REPO / "notebooks").glob("*.ipynb")) + [REPO / "benchmarks" / "reference_app.ipynb"]
    rows = []
    print(f"{'page':<26} {'models':>7}  most common")
    for page in pages:
        found = run_with_probe(page, COUNT)
        rows.append((page.stem, found["total"], "; ".join(f"{c} {n}" for c, n in found["classes"])))
        print(f"{rows[-1][0]:<26} {rows[-1][1]:>7}  {rows[-1][2]}", flush=True)
    OUT_CSV.parent.mkdir(parents=True, exist_ok=True)
    with OUT_CSV.open("w", newline="") as f:
        csv.writer(f).writerows([("page", "widget_models", "most_common"), *rows])
    print(f"wrote {OUT_CSV.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
