"""Every notebook in notebooks/ follows the workbook anatomy (tests/anatomy.py)."""
import re
from pathlib import Path

import nbformat
import pytest

from tests.support import ASSESSMENTS, REPO, anatomy

ROOT = REPO
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
START = ROOT / "notebooks" / "00_start_here.ipynb"


def test_there_are_notebooks():
    assert START in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_follows_anatomy(path):
    assert anatomy.check(path) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_has_a_quiz_file(path):
    assert (ROOT / "data" / "quizzes" / f"{path.stem}.yaml").exists()


def test_every_page_in_notebooks_is_a_teaching_notebook_or_an_assessment():
    """The anatomy's one exemption is explicit: pages in notebooks/assessment/ are tests."""
    pages = sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    assert pages == sorted(NOTEBOOKS + ASSESSMENTS)
    assert ASSESSMENTS, "the pre/post test page is missing"


@pytest.mark.parametrize("path", ASSESSMENTS, ids=[p.stem for p in ASSESSMENTS])
def test_assessment_page_is_a_test(path):
    assert anatomy.check_assessment(path) == []


def test_the_assessment_check_can_fail(tmp_path):
    nb = nbformat.read(ASSESSMENTS[0], as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.source = 'from ivigkit.apps.selfcheck import self_check\n\nself_check("00_start_here")'
    nb.cells[-1].source = "## The end\n\nBack to [Start here](../00_start_here.ipynb)."
    path = tmp_path / "broken.ipynb"
    nbformat.write(nb, path)
    problems = anatomy.check_assessment(path)
    assert any("pre_post_test()" in p for p in problems)
    assert any("no self_check()" in p for p in problems)
    assert any("disclaimer" in p for p in problems)
    assert any("points to no notebook" in p for p in problems)  # ../00_start_here.ipynb from tmp_path


def _broken(tmp_path, mutate):
    nb = nbformat.read(START, as_version=4)
    mutate(nb)
    path = tmp_path / START.name
    nbformat.write(nb, path)
    return anatomy.check(path)


def _replace(old, new):
    def mutate(nb):
        for cell in nb.cells:
            cell.source = cell.source.replace(old, new)
    return mutate


@pytest.mark.parametrize("mutate, expected", [
    (lambda nb: nb.metadata.pop("kernelspec"), "kernelspec"),
    (_replace("## Self-check", "## Quiz"), "missing section '## Self-check'"),
    (_replace("## Key points", "## Summary"), "missing section '## Key points'"),
    (_replace("Time to complete", "Duration"), "Time to complete"),
    (_replace("\n1. Define", "\n1. Understand"), "measurable verb"),
    (_replace("<details>", "<div>"), "answers in <details>"),
    (_replace("**Legend", "**Controls"), "needs a legend"),
    (_replace("### Try it", "### Play"), "must end in a '### Try it' app"),
    (_replace("not medical advice", "for fun"), "disclaimer"),
    (_replace('self_check("00_start_here")', 'self_check("other")'), "self_check("),
    (_replace("](00_start_here.ipynb)", "](99_missing.ipynb)"), "points to no notebook"),
    (_replace("predict(", "print("), "needs a predict-first task"),
    (_replace("**Predict first.**", "**First.**"), "needs a predict-first task"),
    (_replace("\n1. ", "\n0. An extra task.\n1. "), "numbered tasks but"),
    (_replace("## What's next", "## Onwards"), "missing section '## What's next'"),
    (_replace('further_reading("00_start_here")', 'further_reading("01_ms_courses")'), "further reading"),
    (_replace("](01_ms_courses.ipynb)", "](02_ivig_mechanisms.ipynb)"), "link to the next page"),
    (lambda nb: [c.metadata["slideshow"].update(slide_type="-") for c in nb.cells
                 if c.metadata.get("slideshow", {}).get("slide_type") == "notes"], "has no speaker notes"),
    (lambda nb: nb.cells[1].update(source=nb.cells[1].source + "\n\n" + "word " * 130), "words on screen"),
    (lambda nb: [c.update(source=re.sub(r"about \d+ minutes", "about 2 minutes", c.source)) for c in nb.cells],
     "states 2 minutes"),
    (lambda nb: nb.cells[3].metadata.pop("slideshow"), "slideshow.slide_type"),
    (lambda nb: nb.cells[0].metadata["slideshow"].update(slide_type="-"), "must start a slide"),
    (lambda nb: next(c for c in nb.cells if c.cell_type == "code").metadata["slideshow"].update(
        slide_type="skip"), "must not be 'skip'"),
])
def test_checker_catches_a_broken_notebook(tmp_path, mutate, expected):
    problems = _broken(tmp_path, mutate)
    assert any(expected in p for p in problems), problems


def test_checker_catches_stored_outputs_and_long_code(tmp_path):
    def mutate(nb):
        code = next(c for c in nb.cells if c.cell_type == "code"
                    and "nbval-check-output" not in c.metadata.get("tags", []))
        code.outputs = [nbformat.v4.new_output("stream", text="hi\n")]
        code.execution_count = 1
        code.source += "\n" + "\n".join(f"x{i} = {i}" for i in range(20))
        code.source += "\ndef helper():\n    pass"
    problems = _broken(tmp_path, mutate)
    assert any("outputs must be cleared" in p for p in problems)
    assert any("more than" in p for p in problems)
    assert any("defines a function" in p for p in problems)
