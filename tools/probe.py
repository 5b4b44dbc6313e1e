"""Run a notebook top to bottom in a fresh kernel, as Voila does, then ask that kernel a question.

    run_with_probe(Path("notebooks/04_dose_and_cost.ipynb"), PROBE_MEMORY)
    -> {"rss_mib": 141.2, ...}

The probe is a code cell appended to the notebook that prints one JSON object on a line of its
own; its answer is that object. Used by tools/lecture.py (how much memory one student's kernel
takes) and benchmarks/widget_models.py (how many widget models a page makes).
"""
from __future__ import annotations

import json
from pathlib import Path

PROBE_MEMORY = """import json, os, psutil
_p = psutil.Process(os.getpid())
print(json.dumps({"rss_mib": _p.memory_info().rss / 2**20, "cpu_s": sum(_p.cpu_times()[:2])}))"""


def run_with_probe(notebook: Path, probe: str, *, timeout_s: int = 300) -> dict:
    """Execute `notebook` and then `probe` in one fresh python3 kernel; the probe's JSON line."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(probe))
    NotebookClient(nb, timeout=timeout_s, kernel_name="python3",
                   resources={"metadata": {"path": str(Path(notebook).parent)}}).execute()
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    line = next((ln for ln in text.splitlines() if ln.startswith("{")), None)
    if line is None:
        raise RuntimeError(f"the probe printed no JSON line after running {notebook}: {text[:300]!r}")
    return json.loads(line)
