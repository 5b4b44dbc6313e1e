"""The layers of DESIGN.md: model modules import neither plotly nor ipywidgets."""
import json
import subprocess
import sys

MODELS = ("formatting", "data", "catalog", "dosing", "infusion", "pk", "cost", "simulator", "evidence",
          "trials", "course", "screening", "quiz", "cases")
PROBE = """
import importlib, json, sys
found = {}
for name in sys.argv[1:]:
    importlib.import_module("ivigkit." + name)
    found[name] = sorted(m for m in ("plotly", "ipywidgets") if m in sys.modules)
print(json.dumps(found))
"""


def imported(*modules: str) -> dict:
    """For each module, imported in turn in one fresh interpreter, which of plotly and
    ipywidgets are loaded after it (so the first module to pull one in is the culprit)."""
    out = subprocess.run([sys.executable, "-c", PROBE, *modules], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_model_modules_import_no_plotting_or_widgets():
    found = imported(*MODELS)
    culprits = [name for name, loaded in found.items() if loaded]
    assert not culprits, f"ivigkit.{culprits[0]} pulls in {found[culprits[0]]}"


def test_the_check_can_fail():
    assert imported("dosing", "figures") == {"dosing": [], "figures": ["plotly"]}


def test_reading_trials_does_not_load_statsmodels():
    """statsmodels (+ scipy, about 57 MiB per kernel) loads only when an effect is computed."""
    code = ("import sys; from ivigkit import trials, course; trials.study_labels(); "
            "assert 'statsmodels' not in sys.modules, 'imported early'; "
            "from ivigkit import evidence; evidence.pool([0.1, 0.2], [0.1, 0.2]); "
            "assert 'statsmodels' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
