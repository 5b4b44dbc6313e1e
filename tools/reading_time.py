"""How long a notebook takes a student, measured rather than guessed, beside the time it states.

    python tools/reading_time.py                 # every notebook in notebooks/
    python tools/reading_time.py notebooks/03_evidence.ipynb --wpm 150

The estimate is the notebook's words at a stated reading speed, plus a fixed time for each
"Try it" task (predict, move the app, read the answer) and each self-check question (read,
answer, read the feedback). The three rates are teaching choices, stated here and printed with
every estimate, not measurements of any class:

- READING_WPM: study reading of dense technical text, slower than reading for pleasure;
- MINUTES_PER_TASK: one numbered task of a "Try it";
- MINUTES_PER_QUESTION: one self-check question.

A task that works a whole patient case (its text begins "Work", as in notebook 06) is timed as the
decisions of an average case of data/cases.yaml (ivigkit.cases) at MINUTES_PER_QUESTION each.

Words are those a student reads: every Markdown cell, answers in <details> included, without
Markdown and HTML markup; code cells and their outputs (a reference list, a printed worked
example) are not counted. Tasks are the numbered items of each "### Try it" block, not counting
the numbered answers inside <details>. Questions are those of data/quizzes/<notebook>.yaml.
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
QUIZZES = REPO / "data" / "quizzes"

READING_WPM = 150
MINUTES_PER_TASK = 3.0
MINUTES_PER_QUESTION = 1.5

_DETAILS = re.compile(r"<details>.*?</details>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")           # [text](target) -> text
_WORD = re.compile(r"[^\W_]+(?:['’.,/-][^\W_]+)*")       # 2.5, g/kg, well-known, IVIG's: one word each
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$", re.M)
_TIME = re.compile(r"Time to complete:?\**\s*(?:about\s+)?(\d+)(?:\s*(?:to|-|–)\s*(\d+))?\s*minutes", re.I)
_TASK = re.compile(r"^\s{0,3}\d+\.\s", re.M)
_CASE_TASK = re.compile(r"^\s{0,3}\d+\.\s+Work\b", re.M)


def words(markdown: str) -> int:
    """Words a reader sees in Markdown text: markup, tags and link targets left out."""
    text = _LINK.sub(r"\1", markdown)
    text = _TAG.sub(" ", text)
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    return len(_WORD.findall(text))


def try_it_blocks(markdown: str) -> list[str]:
    """The text of every '### Try it' block: from its heading to the next heading of level 1-3."""
    blocks = []
    heads = list(_HEADING.finditer(markdown))
    for i, head in enumerate(heads):
        if len(head[1]) == 3 and head[2].lower().startswith("try it"):
            end = next((h.start() for h in heads[i + 1:] if len(h[1]) <= 3), len(markdown))
            blocks.append(markdown[head.start():end])
    return blocks


def tasks(markdown: str) -> tuple[int, int]:
    """(numbered tasks, of which whole-case tasks) in the notebook's 'Try it' blocks; answers
    inside <details> are not counted."""
    blocks = [_DETAILS.sub("", block) for block in try_it_blocks(markdown)]
    return (sum(len(_TASK.findall(b)) for b in blocks), sum(len(_CASE_TASK.findall(b)) for b in blocks))


def decisions_per_case() -> float:
    """The mean number of decisions (questions) of a patient case in data/cases.yaml."""
    from ivigkit import cases

    every = cases.all_cases()
    return sum(len(cases.case_quiz(c["id"], 1).questions) for c in every) / len(every)


def stated_minutes(markdown: str) -> float | None:
    """The notebook's 'Time to complete' in minutes (the middle of a range), or None."""
    match = _TIME.search(markdown)
    if not match:
        return None
    low = float(match[1])
    return (low + float(match[2])) / 2 if match[2] else low


def quiz_questions(stem: str, quizzes: Path = QUIZZES) -> int:
    """How many questions the notebook's self-check asks (0 if it has no quiz file)."""
    path = quizzes / f"{stem}.yaml"
    if not path.is_file():
        return 0
    return len((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("questions") or [])


@dataclass(frozen=True)
class Estimate:
    notebook: str
    words: int
    tasks: int
    questions: int
    stated_min: float | None
    wpm: float = READING_WPM
    min_per_task: float = MINUTES_PER_TASK
    min_per_question: float = MINUTES_PER_QUESTION
    case_tasks: int = 0         # tasks (among `tasks`) that work a whole case
    decisions_per_case: float = 0.0

    @property
    def reading_min(self) -> float:
        return self.words / self.wpm

    @property
    def doing_min(self) -> float:
        plain = self.tasks - self.case_tasks
        return (plain * self.min_per_task + self.questions * self.min_per_question
                + self.case_tasks * self.decisions_per_case * self.min_per_question)

    @property
    def total_min(self) -> float:
        return self.reading_min + self.doing_min

    @property
    def gap_min(self) -> float | None:
        """Estimate minus the stated time (positive: the notebook says it is shorter than it is)."""
        return None if self.stated_min is None else self.total_min - self.stated_min


def markdown_of(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def estimate(path: Path, *, wpm: float = READING_WPM, min_per_task: float = MINUTES_PER_TASK,
             min_per_question: float = MINUTES_PER_QUESTION, quizzes: Path = QUIZZES) -> Estimate:
    """The reading-and-doing estimate of one notebook."""
    if wpm <= 0 or min_per_task < 0 or min_per_question < 0:
        raise ValueError("The reading speed must be above 0 and the task times 0 or more.")
    path = Path(path)
    text = markdown_of(path)
    n_tasks, n_cases = tasks(text)
    return Estimate(path.stem, words(text), n_tasks, quiz_questions(path.stem, quizzes),
                    stated_minutes(text), wpm, min_per_task, min_per_question, n_cases,
                    decisions_per_case() if n_cases else 0.0)


def report(estimates: list[Estimate]) -> str:
    """A plain-text table: one line per notebook and a total."""
    if not estimates:
        return "no notebooks"
    e0 = estimates[0]
    lines = [f"Reading at {e0.wpm:g} words/min, {e0.min_per_task:g} min per 'Try it' task, "
             f"{e0.min_per_question:g} min per self-check question (a whole-case task: a case's "
             "decisions at that rate).",
             f"{'notebook':<24} {'words':>6} {'read':>5} {'tasks':>13} {'quiz':>4} {'estimate':>8} "
             f"{'stated':>6} {'gap':>5}"]
    for e in estimates:
        stated = "-" if e.stated_min is None else f"{e.stated_min:g}"
        gap = "-" if e.gap_min is None else f"{e.gap_min:+.0f}"
        tasks = f"{e.tasks}" + (f" ({e.case_tasks} cases)" if e.case_tasks else "")
        lines.append(f"{e.notebook:<24} {e.words:>6} {e.reading_min:>5.0f} {tasks:>13} {e.questions:>4} "
                     f"{e.total_min:>8.0f} {stated:>6} {gap:>5}")
    total = sum(e.total_min for e in estimates)
    stated_total = sum(e.stated_min or 0 for e in estimates)
    lines.append(f"{'total':<24} {sum(e.words for e in estimates):>6} "
                 f"{sum(e.reading_min for e in estimates):>5.0f} {sum(e.tasks for e in estimates):>13} "
                 f"{sum(e.questions for e in estimates):>4} {total:>8.0f} {stated_total:>6g} "
                 f"{total - stated_total:>+5.0f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks (default: notebooks/[0-9]*.ipynb)")
    parser.add_argument("--wpm", type=float, default=READING_WPM, help="reading speed, words per minute")
    parser.add_argument("--task-min", type=float, default=MINUTES_PER_TASK, help="minutes per 'Try it' task")
    parser.add_argument("--question-min", type=float, default=MINUTES_PER_QUESTION,
                        help="minutes per self-check question")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(NOTEBOOKS.glob("[0-9]*.ipynb"))
    try:
        estimates = [estimate(p, wpm=args.wpm, min_per_task=args.task_min, min_per_question=args.question_min)
                     for p in paths]
    except (ValueError, OSError) as exc:
        print(f"reading_time: {exc}", file=sys.stderr)
        return 2
    print(report(estimates))
    return 0


if __name__ == "__main__":
    sys.exit(main())
