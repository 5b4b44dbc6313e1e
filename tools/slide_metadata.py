"""Give every notebook cell a reveal.js slide type, so each notebook also presents as slides.

    python tools/slide_metadata.py            # all of notebooks/*.ipynb, in place

The rule: the title cell and every cell opening with a '## ' section heading start a new slide,
a '### ' heading starts a sub-slide (down arrow), and every other cell continues the slide above
it ('-'). Cells that already have a slide type keep it, so an author can make a cell a
'fragment', a 'subslide' or speaker 'notes' by hand. Code cells are never 'skip': a skipped cell
would not run in the slide deck and later cells may need it. tests/anatomy.py checks the result.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def default_slide_type(cell, index: int) -> str:
    """The slide type the rule gives a cell that has none."""
    first_line = cell.source.lstrip().split("\n", 1)[0] if cell.source else ""
    if cell.cell_type == "markdown" and (index == 0 or first_line.startswith("## ")):
        return "slide"
    if cell.cell_type == "markdown" and first_line.startswith("### "):
        return "subslide"
    return "-"


def apply(path: Path) -> bool:
    """Fill in missing slide types in one notebook; True if the file changed."""
    nb = nbformat.read(path, as_version=4)
    changed = False
    for index, cell in enumerate(nb.cells):
        slideshow = cell.metadata.setdefault("slideshow", {})
        if "slide_type" not in slideshow:
            slideshow["slide_type"] = default_slide_type(cell, index)
            changed = True
    if changed:
        nbformat.write(nb, path)
    return changed


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or sorted(NOTEBOOKS.glob("*.ipynb"))
    for path in paths:
        print(f"{path.name}: {'slide types added' if apply(path) else 'unchanged'}")
