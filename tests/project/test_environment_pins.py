"""The pip pins in pyproject.toml and the Binder/conda environment.yml must not drift apart, the
environment must name no local path, and the installed pins must be consistent (`pip check`)."""
import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib

import pytest
import yaml
from packaging.requirements import Requirement
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


def all_pyproject_pins() -> dict[str, str]:
    """Runtime, app and test pins: the whole stack environment.yml has to carry."""
    project = pyproject()
    found = pins(project["dependencies"])
    for group in project["optional-dependencies"].values():
        found |= pins(group)
    return found


def environment():
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def environment_pip_lines(env=None):
    env = environment() if env is None else env
    sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict)]
    assert len(sections) == 1, "environment.yml needs exactly one pip: section"
    return sections[0]


def is_local_path(line: str) -> bool:
    """A pip line that names something in the repository or on disk rather than a package on
    an index. repo2docker's test (is_local_pip_requirement in repo2docker/utils.py) is narrower:
    it catches `-e .`, `./x`, `file://`, `-r` and `-c`; this also catches `file:`, absolute paths
    and `--editable`."""
    line = line.split("#", 1)[0].strip()
    if line.startswith(("-e", "--editable", "-r", "--requirement", "-c", "--constraint")):
        return True
    target = line.split("@", 1)[1].strip() if "@" in line else line
    return target.startswith((".", "/", "~", "file:"))


def test_every_pyproject_dependency_is_an_exact_pin():
    project = pyproject()
    for group in [project["dependencies"], *project["optional-dependencies"].values()]:
        pins(group)


def test_environment_repeats_every_pin_exactly():
    """Runtime, app and test pins, so a conda user can run the same tests (pytest with nbval)."""
    assert pins(environment_pip_lines()) == all_pyproject_pins()


def test_environment_names_no_local_path():
    local = [line for line in environment_pip_lines() if is_local_path(line)]
    assert local == [], f"environment.yml installs local paths {local}; postBuild installs the workbook"
    conda = [d for d in environment()["dependencies"] if isinstance(d, str)]
    assert not [d for d in conda if is_local_path(d)], conda


@pytest.mark.parametrize("line", ["-e .", ".", "./", "-e file:.", "--editable=.", "file:///srv/x",
                                  "ivigkit @ file:///home/jovyan", "/abs/path", "-r requirements.txt",
                                  "  -e .  # the workbook"])
def test_a_local_path_is_recognised(line):
    assert is_local_path(line)


@pytest.mark.parametrize("line", ["numpy==2.4.6", "notebook==7.6.5  # see pyproject"])
def test_a_pinned_package_is_not_a_local_path(line):
    assert not is_local_path(line)


def test_the_old_environment_shape_fails_both_checks():
    """The environment.yml before issue 19: app pins only, and `-e .`."""
    project = pyproject()
    old = [*project["dependencies"], *project["optional-dependencies"]["app"], "-e ."]
    assert any(is_local_path(line) for line in old)
    with pytest.raises(AssertionError, match="not an exact pin"):
        pins(old)
    assert pins(old[:-1]) != all_pyproject_pins()  # no nbval, pytest, ...


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


# ---------------------------------------------------------------- the installed stack

def test_notebook_is_pinned_to_a_release_that_accepts_our_jupyterlab():
    """repo2docker's base environment brings Notebook 7.4.x (jupyterlab<4.5); the pinned
    Notebook's own metadata must accept the pinned JupyterLab, or Binder's /tree breaks."""
    stack = all_pyproject_pins()
    assert "notebook" in pins(pyproject()["optional-dependencies"]["app"])
    requirements = [Requirement(r) for r in importlib.metadata.requires("notebook") or []]
    lab = [r for r in requirements if canonical(r.name) == "jupyterlab" and not r.marker]
    assert lab, requirements
    assert all(r.specifier.contains(stack["jupyterlab"]) for r in lab), lab
    assert not Requirement("jupyterlab<4.5,>=4.4.9").specifier.contains(stack["jupyterlab"])


def test_the_installed_packages_are_the_pinned_ones():
    """What `pip check` below vouches for is the pinned stack, not whatever is installed."""
    wrong = {}
    for name, version in all_pyproject_pins().items():
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            wrong[name] = (version, installed)
    assert wrong == {}, f"pinned vs installed: {wrong} (make test reinstalls from pyproject.toml)"


def test_pip_check_finds_no_conflict():
    """Every installed package's requirements hold, as `pip check` sees them."""
    result = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pip_check_fails_on_a_conflict(tmp_path):
    """The check can fail: a distribution that wants jupyterlab<4.5, as Notebook 7.4 does,
    put on the path next to the installed stack."""
    dist = tmp_path / "ivigkit_conflict_probe-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: ivigkit-conflict-probe\n"
                                   "Version: 1.0\nRequires-Dist: jupyterlab<4.5\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path),
                                                                     os.environ.get("PYTHONPATH")]))}
    result = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True,
                            timeout=120, env=env)
    assert result.returncode == 1
    assert "ivigkit-conflict-probe 1.0 has requirement jupyterlab<4.5" in result.stdout
