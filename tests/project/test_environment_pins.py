"""The pip pins in pyproject.toml and the Binder/conda environment.yml must not drift apart."""
import re
import tomllib
from pathlib import Path

import yaml
from tests.support import REPO

ROOT = REPO
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([A-Za-z0-9_.\-]+)$")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lines) -> dict[str, str]:
    found = {}
    for line in lines:
        match = PIN.match(line.strip())
        assert match, f"'{line}' is not an exact pin (name==version)"
        found[canonical(match[1])] = match[2]
    return found


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def environment():
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def environment_pip_lines():
    sections = [d["pip"] for d in environment()["dependencies"] if isinstance(d, dict)]
    assert len(sections) == 1, "environment.yml needs exactly one pip: section"
    return sections[0]


def test_every_pyproject_dependency_is_an_exact_pin():
    project = pyproject()
    for group in [project["dependencies"], *project["optional-dependencies"].values()]:
        pins(group)


def test_environment_repeats_runtime_and_app_pins_exactly():
    project = pyproject()
    expected = pins(project["dependencies"]) | pins(project["optional-dependencies"]["app"])
    lines = environment_pip_lines()
    assert "-e ." in lines, "environment.yml must install the workbook itself (pip -e .)"
    assert pins([line for line in lines if line != "-e ."]) == expected


def test_environment_python_is_311_from_conda_forge():
    env = environment()
    assert env["channels"] == ["conda-forge"]
    assert "python=3.11" in env["dependencies"]
    assert pyproject()["requires-python"] == ">=3.11,<3.12"


def test_drift_is_detected():
    """The comparison itself fails when a version differs."""
    project = pyproject()
    expected = pins(project["dependencies"])
    changed = ["plotly==6.1.0" if line.startswith("plotly==") else line
               for line in project["dependencies"]]
    assert pins(changed) != expected
