"""The layers of DESIGN.md, held by tools rather than habit.

- import-linter checks the contracts in pyproject.toml (data -> models -> figures -> apps, never
  back up; models and data import neither widgets nor plotting, even inside a function); planted
  violations show each contract can fail;
- every module imports on its own in a fresh interpreter (no import cycles);
- no model opens a file: the data layer reads them.
"""
from __future__ import annotations

import ast
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.support import REPO

PACKAGE = REPO / "ivigkit"
LINT = Path(sys.executable).with_name("lint-imports")


def contracts() -> list[dict]:
    return tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]


def model_modules() -> list[str]:
    """The model layer: the modules between figures and data in the layers contract."""
    layers = next(c for c in contracts() if c["type"] == "layers")["layers"]
    return [m.strip() for m in layers[2].split(":")]


def lint(root: Path) -> subprocess.CompletedProcess:
    """lint-imports over the ivigkit package in `root`, with `root`'s pyproject.toml."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT), "--no-cache"], cwd=root, env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_layer_contracts_hold():
    result = lint(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(contracts())} kept, 0 broken." in result.stdout


def test_the_models_are_every_top_level_module():
    """A new top-level module must be placed in a layer, or the contract would not see it."""
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert sorted(model_modules()) == sorted(f"ivigkit.{m}" for m in modules | packages - {"apps", "figures", "data"})


PLANTS = {
    "a model importing a widget inside a function": (
        "ivigkit/dosing.py", "\n\ndef _planted():\n    import ipywidgets\n    return ipywidgets\n",
        "Data and models import no widgets, plotting or statistics packages BROKEN"),
    "a figure importing an app": (
        "ivigkit/figures/course.py", "\nfrom ivigkit.apps import base as _planted\n",
        "Layers: apps -> figures -> models -> data BROKEN"),
    "the data layer importing a model": (
        "ivigkit/data/catalog.py", "\nfrom ivigkit import dosing as _planted\n",
        "Layers: apps -> figures -> models -> data BROKEN"),
    "a figure making a widget": (
        "ivigkit/figures/theme.py", "\nimport ipywidgets as _planted\n",
        "Figures draw, they do not make widgets BROKEN"),
}


@pytest.mark.parametrize("plant", PLANTS, ids=list(PLANTS))
def test_a_planted_violation_breaks_its_contract(tmp_path, plant):
    shutil.copytree(PACKAGE, tmp_path / "ivigkit", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    path, code, broken = PLANTS[plant]
    with open(tmp_path / path, "a", encoding="utf-8") as f:
        f.write(code)
    result = lint(tmp_path)
    assert result.returncode != 0 and broken in result.stdout, result.stdout


def _modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_every_module_imports_on_its_own_in_a_fresh_interpreter():
    def alone(name: str) -> str | None:
        out = subprocess.run([sys.executable, "-c", f"import {name}"], cwd=REPO, capture_output=True,
                             text=True, timeout=120)
        return None if out.returncode == 0 else f"{name}: {out.stderr.strip().splitlines()[-1]}"

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        failures = [f for f in pool.map(alone, _modules()) if f]
    assert not failures, "\n".join(failures)


# What reading or writing a file looks like in Python source.
FILE_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "read_csv", "safe_load", "load"}
FILE_MODULES = {"pathlib", "yaml", "os.path", "shutil", "tempfile"}


def file_access(source: str) -> list[str]:
    """Calls and imports in `source` that read or write files (names as written)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            owner = getattr(node.func, "value", None)
            if name == "load" and not (isinstance(owner, ast.Name) and owner.id in {"yaml", "json", "pickle"}):
                continue  # data.load(...) asks the data layer
            if name in FILE_CALLS:
                found.append(f"line {node.lineno}: {name}(...)")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [f"line {node.lineno}: import {m}" for m in modules if m in FILE_MODULES]
    return found


def test_no_model_opens_a_file():
    problems = []
    for name in model_modules():
        path = PACKAGE / (name.split(".", 1)[1] + ".py")
        if not path.exists():
            path = PACKAGE / name.split(".", 1)[1] / "__init__.py"
        for file in [path] if path.name != "__init__.py" else sorted(path.parent.glob("*.py")):
            problems += [f"{file.relative_to(REPO)} {p}" for p in file_access(file.read_text())]
    assert not problems, "models must ask ivigkit.data for files:\n" + "\n".join(problems)


def test_the_file_check_can_fail():
    assert file_access("from pathlib import Path\nPath('x').read_text()\n") == [
        "line 1: import pathlib", "line 2: read_text(...)"]
    assert file_access("import yaml\nyaml.safe_load(open('x'))\n") == [
        "line 1: import yaml", "line 2: safe_load(...)", "line 2: open(...)"]
    assert file_access("from ivigkit import data\ndata.load('products')\n") == []
