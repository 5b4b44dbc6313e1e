"""The notebook anatomy from DESIGN.md, as a checker that lists what a notebook lacks.

Every notebook in notebooks/ is held to it by tests/test_notebook_anatomy.py, so a new
notebook is checked without anyone listing it. Assessment pages (notebooks/assessment/, the
pre/post test) are a test, not a lesson: no objectives, sections, apps or self-check, and no
feedback; check_assessment holds them to what a test page needs instead.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat

REQUIRED_SECTIONS = ("Overview", "Prerequisites", "Learning objectives", "Self-check",
                     "Key points", "What's next", "References", "Educational use only")
#: Where the last notebook of the learning path sends the learner.
AFTER_THE_PATH = "assessment/pre_post_test.ipynb"
MEASURABLE_VERBS = {
    "apply", "appraise", "calculate", "check", "choose", "classify", "compare", "compute",
    "convert", "critique", "define", "describe", "distinguish", "estimate", "evaluate",
    "explain", "find", "identify", "interpret", "justify", "list", "locate", "name",
    "navigate", "outline", "plan", "predict", "read", "recognise", "recognize", "select",
    "summarise", "summarize", "use",
}
MAX_CODE_LINES = 12
NBVAL_TAG = "nbval-check-output"

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$", re.M)
_LINK = re.compile(r"\]\(([^)#\s]+\.ipynb)(?:#[^)]*)?\)|href=\"([^\"#]+\.ipynb)")


def _headings(nb):
    """(cell index, level, text) for every Markdown heading, in order."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            for match in _HEADING.finditer(cell.source):
                yield i, len(match[1]), match[2]


def _section_cells(nb, start: int, level: int) -> list:
    """Cells from the heading in cell `start` up to the next heading of the same or higher level."""
    cells = [nb.cells[start]]
    for cell in nb.cells[start + 1:]:
        if cell.cell_type == "markdown" and any(
                len(m[1]) <= level for m in _HEADING.finditer(cell.source)):
            break
        cells.append(cell)
    return cells


SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}
_DETAILS = re.compile(r"<details>.*?</details>", re.S | re.I)


def try_its(nb) -> list[tuple[str, str, str]]:
    """(title, Markdown, code) of every '### Try it' block: its cells up to the next heading of
    level 1 to 3."""
    blocks = []
    for i, level, title in _headings(nb):
        if level == 3 and title.lower().startswith("try it"):
            cells = _section_cells(nb, i, 3)
            blocks.append((title, "\n".join(c.source for c in cells if c.cell_type == "markdown"),
                           "\n".join(c.source for c in cells if c.cell_type == "code")))
    return blocks


def _next_page(stem: str) -> str | None:
    """The link target of the page after `stem` on the learning path (None if not on it)."""
    from ivigkit.data import learning_path

    ids = [s.id for s in learning_path.path()]
    if stem not in ids:
        return None
    following = learning_path.next_stop(stem)
    return f"{following.id}.ipynb" if following else AFTER_THE_PATH


def _slide_problems(nb) -> list[str]:
    """The notebook must present as reveal.js slides (tools/slide_metadata.py fills these in)."""
    problems = []
    for n, cell in enumerate(nb.cells):
        slide_type = cell.metadata.get("slideshow", {}).get("slide_type")
        first_line = cell.source.lstrip().split("\n", 1)[0] if cell.source else ""
        if slide_type not in SLIDE_TYPES:
            problems.append(f"cell {n}: slideshow.slide_type must be one of {sorted(SLIDE_TYPES)}, "
                            f"not {slide_type!r} (run tools/slide_metadata.py)")
        elif (n == 0 or (cell.cell_type == "markdown" and first_line.startswith("## "))) \
                and slide_type != "slide":
            problems.append(f"cell {n}: the title and each '## ' section must start a slide")
        elif cell.cell_type == "code" and slide_type == "skip":
            problems.append(f"cell {n}: a code cell must not be 'skip' (it would not run in the deck)")
    return problems


def _common_problems(nb, path: Path) -> list[str]:
    """What every page in notebooks/ needs: the python3 kernel, a '# Title' first, cleared outputs
    (bar cells nbval checks, which must hold one), short code with no functions, the disclaimer
    last, links that resolve, and slide types."""
    problems = []
    if nb.metadata.get("kernelspec", {}).get("name") != "python3":
        problems.append("metadata.kernelspec must name the 'python3' kernel")
    heads = list(_headings(nb))
    if not heads or heads[0][1] != 1 or heads[0][0] != 0:
        problems.append("the first cell must start with a '# Title'")
    for n, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        kept = NBVAL_TAG in cell.metadata.get("tags", [])
        if (cell.outputs or cell.execution_count) and not kept:
            problems.append(f"cell {n}: outputs must be cleared (or the cell tagged '{NBVAL_TAG}')")
        if kept and not cell.outputs:
            problems.append(f"cell {n}: tagged '{NBVAL_TAG}' but holds no output to check")
        if len(cell.source.splitlines()) > MAX_CODE_LINES:
            problems.append(f"cell {n}: more than {MAX_CODE_LINES} lines; move code into ivigkit")
        if re.search(r"^\s*(def|class)\s", cell.source, re.M):
            problems.append(f"cell {n}: defines a function or class; move it into ivigkit")
    last = next((c for c in reversed(nb.cells) if c.cell_type == "markdown"), None)
    if not last or not re.search(r"educational", last.source, re.I) or not re.search(
            r"not medical advice", last.source, re.I):
        problems.append("the last Markdown cell must be the educational-use disclaimer "
                        "('educational' ... 'not medical advice')")
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for match in _LINK.finditer(text):
        target = match[1] or match[2]
        if "://" not in target and not (path.parent / target).exists():
            problems.append(f"link to '{target}' points to no notebook")
    return problems + _slide_problems(nb)


def check_assessment(path: Path) -> list[str]:
    """What an assessment page lacks: a title, the test widget (pre_post_test()), no self-check
    and no answers, and the educational-use disclaimer last."""
    nb = nbformat.read(path, as_version=4)
    problems = _common_problems(nb, path)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    if "pre_post_test()" not in code:
        problems.append("an assessment page shows the test with pre_post_test()")
    if "self_check(" in code or "load_keyed_form" in code or "keys" in code:
        problems.append("an assessment page gives no feedback: no self_check() and no key")
    return problems


def check(path: Path) -> list[str]:
    """Everything `path` lacks from the workbook anatomy; an empty list means it conforms."""
    nb = nbformat.read(path, as_version=4)
    problems = _common_problems(nb, path)
    heads = list(_headings(nb))
    h2 = [(i, text) for i, level, text in heads if level == 2]
    titles = [text for _, text in h2]

    def find(name):
        return next(((i, t) for i, t in h2 if t.lower().startswith(name.lower())), None)

    order = []
    for name in REQUIRED_SECTIONS:
        found = find(name)
        if found is None:
            problems.append(f"missing section '## {name}'")
        else:
            order.append(titles.index(found[1]))
    if order != sorted(order):
        problems.append("sections must come in the order " + ", ".join(REQUIRED_SECTIONS))

    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    if not re.search(r"Time to complete:?\**\s*(about\s+)?\d+\s*(to|-|–)?\s*\d*\s*minutes", text, re.I):
        problems.append("the overview must state 'Time to complete: N minutes'")

    objectives = find("Learning objectives")
    if objectives:
        cells = _section_cells(nb, objectives[0], 2)
        items = re.findall(r"^\s*(?:\d+\.|[-*])\s+(\w+)", "\n".join(c.source for c in cells
                                                                  if c.cell_type == "markdown"), re.M)
        if not 3 <= len(items) <= 6:
            problems.append(f"learning objectives: 3 to 6 items expected, found {len(items)}")
        vague = [w for w in items if w.lower() not in MEASURABLE_VERBS]
        if vague:
            problems.append(f"learning objectives must start with a measurable verb, not {vague}")

    teaching = [(i, t) for i, t in h2 if re.match(r"\d+\.", t)]
    if not teaching:
        problems.append("no numbered teaching section ('## 1. ...')")
    for i, title in teaching:
        cells = _section_cells(nb, i, 2)
        body = "\n".join(c.source for c in cells if c.cell_type == "markdown")
        if not re.search(r"^###\s+Try it", body, re.M):
            problems.append(f"section '{title}' must end in a '### Try it' app")
            continue
        try_it = body[re.search(r"^###\s+Try it", body, re.M).start():]
        for needed, pattern in (("a legend", r"\*\*Legend"), ("numbered tasks", r"^\s*1\.\s"),
                                ("answers in <details>", r"<details>\s*<summary>")):
            if not re.search(pattern, try_it, re.M):
                problems.append(f"'Try it' of '{title}' needs {needed}")
        if not any(c.cell_type == "code" for c in cells):
            problems.append(f"'Try it' of '{title}' has no app (code cell)")

    for title, markdown, code in try_its(nb):
        asked = len(re.findall(r"^\s{0,3}\d+\.\s", _DETAILS.sub("", markdown), re.M))
        answered = len(re.findall(r"<details>", markdown, re.I))
        if asked != answered:
            problems.append(f"'{title}': {asked} numbered tasks but {answered} <details>; each task's "
                            "answer hides in its own <details>")
        if "predict(" not in code or not re.search(r"\*\*Predict first", markdown):
            problems.append(f"'{title}' needs a predict-first task: a '**Predict first.**' task and a "
                            "predict(app, readout, prompt) box the learner commits before using the app")

    whats_next = find("What's next")
    if whats_next:
        cells = _section_cells(nb, whats_next[0], 2)
        body = "\n".join(c.source for c in cells if c.cell_type == "markdown")
        after = _next_page(path.stem)
        if after and f"]({after})" not in body:
            problems.append(f"'What's next' must link to the next page of the learning path, {after}")
        if not any(c.cell_type == "code" and f'further_reading("{path.stem}")' in c.source for c in cells):
            problems.append(f"'What's next' must list further reading with further_reading(\"{path.stem}\")")

    self_check = find("Self-check")
    if self_check and not any(
            c.cell_type == "code" and f'self_check("{path.stem}")' in c.source
            for c in _section_cells(nb, self_check[0], 2)):
        problems.append(f'the self-check section must call self_check("{path.stem}")')
    references = find("References")
    if references and not any(c.cell_type == "code" and "references(" in c.source
                              for c in _section_cells(nb, references[0], 2)):
        problems.append("the references section must list sources with references(...)")

    problems += slides_over_budget(path) + sections_without_notes(path)
    late = stated_time_problem(path)
    if late:
        problems.append(late)
    return problems


# ----------------------------------------------------------------------------------------------
# Slides an audience can read, and times a student can keep (issue 18); check() calls them.

SLIDE_WORD_BUDGET = 120   # words on screen per slide (speaker notes and closed <details> not counted)
UNSPOKEN_SECTIONS = ("References", "Educational use only")  # read, not presented: no notes needed
#: A stated time may differ from the measured estimate by this many minutes, or this share of it.
TIME_SLACK_MIN, TIME_SLACK_SHARE = 5.0, 0.15

_CLOSED_DETAILS = re.compile(r"<details>\s*<summary>(.*?)</summary>.*?</details>", re.S | re.I)


def _slide_type(cell) -> str:
    return cell.metadata.get("slideshow", {}).get("slide_type", "-")


def slides(nb) -> list[tuple[str, list]]:
    """The deck as reveal.js builds it: (the slide's first heading or '(untitled)', its cells on
    screen), a new screen at each 'slide' or 'subslide' cell; 'notes' and 'skip' cells are left out."""
    deck: list[tuple[str, list]] = []
    for cell in nb.cells:
        kind = _slide_type(cell)
        if kind in ("notes", "skip"):
            continue
        if kind in ("slide", "subslide") or not deck:
            head = next((m[2] for m in _HEADING.finditer(cell.source)), "(untitled)") \
                if cell.cell_type == "markdown" else "(untitled)"
            deck.append((head, []))
        deck[-1][1].append(cell)
    return deck


def on_screen_words(cells) -> int:
    """Words a slide shows: its Markdown, with a closed <details> counting only its summary."""
    from tools.reading_time import words

    text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    return words(_CLOSED_DETAILS.sub(r"\1", text))


def slide_word_counts(path: Path) -> list[tuple[str, int]]:
    """(slide heading, words on screen) for every slide and sub-slide of a notebook's deck."""
    nb = nbformat.read(path, as_version=4)
    return [(head, on_screen_words(cells)) for head, cells in slides(nb)]


def slides_over_budget(path: Path, budget: int = SLIDE_WORD_BUDGET) -> list[str]:
    """One line per slide that shows more than `budget` words."""
    return [f"slide '{head}': {n} words on screen (budget {budget}); move the rest to speaker "
            "notes or a sub-slide" for head, n in slide_word_counts(path) if n > budget]


def sections_without_notes(path: Path, unspoken=UNSPOKEN_SECTIONS) -> list[str]:
    """Every '## ' section (but the unspoken ones) that has no speaker-notes cell."""
    nb = nbformat.read(path, as_version=4)
    problems = []
    for i, level, title in _headings(nb):
        if level != 2 or any(title.startswith(u) for u in unspoken):
            continue
        if not any(_slide_type(c) == "notes" for c in _section_cells(nb, i, 2)):
            problems.append(f"section '{title}' has no speaker notes (a cell of slide type 'notes')")
    return problems


def stated_time_problem(path: Path, *, slack_min: float = TIME_SLACK_MIN,
                        slack_share: float = TIME_SLACK_SHARE) -> str | None:
    """None if the notebook's 'Time to complete' is within the slack of tools/reading_time.py's
    estimate, else a sentence giving both."""
    from tools.reading_time import estimate

    e = estimate(path)
    if e.stated_min is None:
        return "the overview states no 'Time to complete'"
    if abs(e.gap_min) <= max(slack_min, slack_share * e.total_min):
        return None
    return (f"states {e.stated_min:g} minutes, but reading {e.words} words at {e.wpm:g} words/min plus "
            f"{e.tasks} tasks and {e.questions} self-check questions takes about {e.total_min:.0f}")
