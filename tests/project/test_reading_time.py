"""tools/reading_time.py (words, tasks and questions -> minutes) and the slide and time checks
of tests/support/anatomy.py that the anatomy test will call once the decks are edited."""
from __future__ import annotations

import nbformat
import pytest

from tests.support import NOTEBOOKS, anatomy
from tools import reading_time as rt


def notebook(tmp_path, *cells, name="07_demo"):
    """A notebook of (cell type, slide type, source) triples, written to tmp_path."""
    nb = nbformat.v4.new_notebook()
    for kind, slide, source in cells:
        cell = nbformat.v4.new_markdown_cell(source) if kind == "md" else nbformat.v4.new_code_cell(source)
        cell.metadata["slideshow"] = {"slide_type": slide}
        nb.cells.append(cell)
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("text, expected", [
    ("IVIG is given at 0.4 g/kg.", 6),
    ("A [link to notebook 3](03_evidence.ipynb) here", 6),
    ("**Bold** and <b>tagged</b> words&nbsp;count once", 6),
    ("well-known IVIG's 2.5 mL/h", 4),
    ("", 0),
])
def test_words_counts_what_a_reader_sees(text, expected):
    assert rt.words(text) == expected


TRY_IT = """### Try it: an app

**Legend**
- a control

**Tasks**
1. First task.
2. Second task.
   <details><summary>Answer</summary>
   1. an answer that is numbered
   </details>
3. Work the obese patient from start to finish.

<details><summary>Answers</summary>

1. One.
2. Two.
</details>

### Not a try-it

1. A numbered list outside a Try it.
"""


def test_tasks_count_numbered_items_of_try_it_blocks_only():
    assert rt.tasks(TRY_IT) == (3, 1)
    assert rt.tasks("## 1. Section\n\n1. a list\n2. another") == (0, 0)


@pytest.mark.parametrize("text, minutes", [
    ("**Time to complete:** about 25 minutes.", 25),
    ("Time to complete: 40 to 50 minutes", 45),
    ("**Time to complete:** about 60 minutes for four cases.", 60),
    ("no time here", None),
])
def test_stated_minutes(text, minutes):
    assert rt.stated_minutes(text) == minutes


def test_estimate_adds_reading_tasks_and_questions(tmp_path):
    quizzes = tmp_path / "quizzes"
    quizzes.mkdir()
    (quizzes / "07_demo.yaml").write_text("questions: [{id: a}, {id: b}, {id: c}, {id: d}]\n")
    words = " ".join(["word"] * 300)
    path = notebook(tmp_path,
                    ("md", "slide", "# Demo\n\n**Time to complete:** about 20 minutes."),
                    ("md", "slide", f"## 1. Section\n\n{words}\n\n### Try it: x\n\n1. one\n2. two"))
    e = rt.estimate(path, wpm=150, min_per_task=3, min_per_question=1.5, quizzes=quizzes)
    assert (e.words, e.tasks, e.questions, e.stated_min) == (7 + 2 + 300 + 3 + 4, 2, 4, 20)
    assert e.total_min == pytest.approx(316 / 150 + 2 * 3 + 4 * 1.5)
    assert e.gap_min == pytest.approx(e.total_min - 20)
    assert "07_demo" in rt.report([e]) and "150 words/min" in rt.report([e])


def test_a_whole_case_task_is_timed_as_a_case(tmp_path):
    path = notebook(tmp_path, ("md", "slide", "# Demo\n\n### Try it: cases\n\n1. Work the first case.\n2. Compare."))
    e = rt.estimate(path, min_per_task=3, min_per_question=2, quizzes=tmp_path)
    assert (e.tasks, e.case_tasks) == (2, 1)
    assert e.decisions_per_case > 1
    assert e.doing_min == pytest.approx(3 + e.decisions_per_case * 2)


def test_bad_rates_are_refused(tmp_path):
    path = notebook(tmp_path, ("md", "slide", "# Demo"))
    with pytest.raises(ValueError, match="reading speed"):
        rt.estimate(path, wpm=0)


def test_the_tool_prints_every_teaching_notebook(capsys):
    assert rt.main([]) == 0
    out = capsys.readouterr().out
    for path in NOTEBOOKS:
        assert path.stem in out
    assert out.strip().splitlines()[-1].startswith("total")


# ------------------------------------------------------------------ slides: words and notes

def test_slides_follow_reveal_and_leave_notes_out(tmp_path):
    many = " ".join(["word"] * 130)
    path = notebook(
        tmp_path,
        ("md", "slide", "# Title"),
        ("md", "slide", f"## 1. Long section\n\n{many}"),
        ("md", "notes", "Say this aloud: " + many),
        ("code", "-", "App()"),
        ("md", "subslide", "### Try it: x\n\n<details><summary>Answer</summary>" + many + "</details>"),
        ("md", "slide", "## Key points\n\nShort."),
    )
    counts = dict(anatomy.slide_word_counts(path))
    assert counts == {"Title": 1, "1. Long section": 133, "Try it: x": 4, "Key points": 3}
    over = anatomy.slides_over_budget(path)
    assert len(over) == 1 and "'1. Long section': 133 words" in over[0]
    assert anatomy.slides_over_budget(path, budget=200) == []


def test_sections_without_notes_are_named(tmp_path):
    path = notebook(
        tmp_path,
        ("md", "slide", "# Title"),
        ("md", "slide", "## 1. Spoken"),
        ("md", "notes", "notes for it"),
        ("md", "slide", "## 2. Silent"),
        ("md", "slide", "## References"),
        ("md", "slide", "## Educational use only"),
    )
    problems = anatomy.sections_without_notes(path)
    assert problems == ["section '2. Silent' has no speaker notes (a cell of slide type 'notes')"]


def test_stated_time_problem_names_both_times(tmp_path, monkeypatch):
    words = " ".join(["word"] * 1500)  # 10 minutes at 150 words/min
    right = notebook(tmp_path, ("md", "slide", f"# A\n\n**Time to complete:** about 10 minutes.\n\n{words}"),
                     name="07_right")
    wrong = notebook(tmp_path, ("md", "slide", f"# B\n\n**Time to complete:** about 40 minutes.\n\n{words}"),
                     name="07_wrong")
    assert anatomy.stated_time_problem(right) is None
    problem = anatomy.stated_time_problem(wrong)
    assert problem.startswith("states 40 minutes") and "about 10" in problem
