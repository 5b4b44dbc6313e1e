"""The instructor folder: what is in it, that students are not served it, and the session plans
(every notebook, both formats, timings that add up, every part a plan needs, apps that exist, and
clinical numbers the workbook's sources give)."""
from __future__ import annotations

import re
import subprocess

import nbformat
import pytest

from tests.support import NOTEBOOKS, REPO

INSTRUCTOR = REPO / "instructor"
PLANS = INSTRUCTOR / "plans"
MINUTES = {"lecture": 50, "seminar": 120}
SECTIONS = ("## Timings", "## Opening poll", "## Demonstrate, predict first", "## Discussion questions",
            "## Misconceptions to listen for", "## Exit ticket")
PLAN_FILES = [(nb.stem, kind) for nb in NOTEBOOKS for kind in MINUTES]
# A number with a clinical unit, as a plan quotes it ("0.4 g/kg", "3.3 mg/kg/min", "11 %").
CLINICAL = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s?(%|g/kg|mg/kg/min|mL/kg/min|mL/h|g/L|L/kg)")


def plan(notebook: str, kind: str) -> str:
    return (PLANS / f"{notebook}_{kind}.md").read_text(encoding="utf-8")


def sections(text: str) -> dict[str, str]:
    parts = re.split(r"^(## .*)$", text, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def test_the_folder_holds_the_instructors_pages_and_keys():
    for name in ("README.md", "session_plans.ipynb", "case_key.ipynb", "class_report.ipynb",
                 "keys/pre_post_a.yaml", "keys/pre_post_b.yaml", "answers/.gitkeep"):
        assert (INSTRUCTOR / name).is_file(), name
    assert sorted(p.name for p in PLANS.glob("*.md")) == sorted(f"{n}_{k}.md" for n, k in PLAN_FILES)


def test_no_student_page_shows_a_key():
    for path in sorted((REPO / "notebooks").rglob("*.ipynb")):
        code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
        for word in ("InstructorKeyApp", "load_keyed_form", "ClassReportApp", "SessionPlanApp", "instructor"):
            assert word not in code, f"{path.name} uses {word}"
    key = nbformat.read(INSTRUCTOR / "case_key.ipynb", as_version=4)
    assert any("InstructorKeyApp()" in c.source for c in key.cells if c.cell_type == "code")


def test_learners_answers_are_never_committed():
    ignored = subprocess.run(["git", "check-ignore", "-q", "instructor/answers/ada_03_evidence.csv"], cwd=REPO)
    kept = subprocess.run(["git", "check-ignore", "-q", "instructor/answers/.gitkeep"], cwd=REPO)
    assert ignored.returncode == 0 and kept.returncode == 1


def test_the_images_students_use_leave_the_folder_out():
    commands = [line.strip() for line in (REPO / "postBuild").read_text().splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    assert "rm -rf instructor" in commands


def test_make_instructor_serves_this_folder_on_loopback():
    makefile = (REPO / "Makefile").read_text()
    assert "INSTRUCTOR_PORT ?= 8868" in makefile
    recipe = makefile.split("\ninstructor:", 1)[1].split("\n\n", 1)[0]
    assert "cd instructor &&" in recipe and "--Voila.ip=$(HOST)" in recipe and "--port=$(INSTRUCTOR_PORT)" in recipe
    assert "HOST   := 127.0.0.1" in makefile


@pytest.mark.parametrize("notebook, kind", PLAN_FILES, ids=[f"{n}-{k}" for n, k in PLAN_FILES])
def test_a_plan_has_every_part_and_its_timings_add_up(notebook, kind):
    text = plan(notebook, kind)
    first = text.splitlines()[0]
    assert first.startswith("# ") and ("50 minutes" if kind == "lecture" else "2 hours") in first
    assert f"**Notebook:** {notebook}" in text
    parts = sections(text)
    for needed in SECTIONS:
        assert needed in parts, f"missing {needed}"
    assert "## Pair case" in parts or "## Group case" in parts
    rows = re.findall(r"^\|\s*(\**)(\d+)\1\s*\|\s*(.*?)\s*\|", parts["## Timings"], re.M)
    blocks = [int(m) for bold, m, _ in rows if not bold]
    totals = [int(m) for bold, m, _ in rows if bold]
    assert totals == [MINUTES[kind]], "the timings table needs one bold total row"
    assert sum(blocks) == MINUTES[kind], f"the blocks add up to {sum(blocks)}, not {MINUTES[kind]}"
    assert len(re.findall(r"\*Model answer:\*", parts["## Discussion questions"])) >= 1
    assert len(re.findall(r"^- ", parts["## Misconceptions to listen for"], re.M)) >= 3
    assert "predict" in parts["## Demonstrate, predict first"].lower()
    assert parts["## Exit ticket"].strip() and parts["## Opening poll"].strip()


@pytest.mark.parametrize("notebook, kind", PLAN_FILES, ids=[f"{n}-{k}" for n, k in PLAN_FILES])
def test_a_plan_demonstrates_an_app_the_notebook_has(notebook, kind):
    nb = nbformat.read(REPO / "notebooks" / f"{notebook}.ipynb", as_version=4)
    headings = {m.strip() for c in nb.cells if c.cell_type == "markdown"
                for m in re.findall(r"^###\s+(Try it:.*)$", c.source, re.M)}
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    demo = sections(plan(notebook, kind))["## Demonstrate, predict first"]
    named = re.findall(r'"(Try it: [^"]+)"', demo)
    assert named, "name the app by its 'Try it' heading"
    assert set(named) <= headings, set(named) - headings
    for cls in re.findall(r"`([A-Z]\w+App)`", demo):
        assert cls in code, f"{cls} is not in {notebook}"


def _sources_text() -> str:
    files = [*REPO.glob("data/*.csv"), *REPO.glob("data/**/*.yaml"), *INSTRUCTOR.glob("keys/*.yaml")]
    text = "\n".join(f.read_text(encoding="utf-8") for f in files)
    text += "\n".join(c.source for nb in NOTEBOOKS for c in nbformat.read(nb, as_version=4).cells)
    return re.sub(r"(\d),(\d{3})", r"\1\2", text)


def test_every_clinical_number_in_the_plans_is_one_the_workbook_gives():
    known = {(m[1], m[2]) for m in CLINICAL.finditer(_sources_text())}
    unknown = {}
    for notebook, kind in PLAN_FILES:
        text = re.sub(r"(\d),(\d{3})", r"\1\2", plan(notebook, kind))
        found = {(m[1], m[2]) for m in CLINICAL.finditer(text)} - known
        if found:
            unknown[f"{notebook}_{kind}"] = sorted(found)
    assert not unknown, f"numbers no table, key or notebook gives: {unknown}"


def test_the_number_check_can_fail():
    assert CLINICAL.findall("give 0.45 g/kg at 7.5 mg/kg/min, 33 %") == [
        ("0.45", "g/kg"), ("7.5", "mg/kg/min"), ("33", "%")]
    assert ("0.45", "g/kg") not in {(m[1], m[2]) for m in CLINICAL.finditer(_sources_text())}
