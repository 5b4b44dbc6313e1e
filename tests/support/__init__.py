"""What the tests and the benchmarks share: where things are, servers (servers), the browser
(browser), page checks (pages, a11y) and the notebook anatomy (anatomy). Import it as
``tests.support`` (pytest and ``python -m benchmarks.<name>`` both run from the repository root).

IVIGKIT_NOTEBOOK_DIR overrides the notebook folder the browser tests serve (default notebooks/).
"""
from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
NOTEBOOK_DIR = Path(os.environ.get("IVIGKIT_NOTEBOOK_DIR") or REPO / "notebooks").resolve()
#: Every teaching notebook the tests run (a new notebook is tested without anyone listing it).
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
#: Assessment pages (the pre/post test): served to students like the teaching notebooks, but a
#: test, not a lesson, so tests/support/anatomy.check_assessment holds them instead of the anatomy.
ASSESSMENT_DIR = REPO / "notebooks" / "assessment"
ASSESSMENTS = sorted(ASSESSMENT_DIR.glob("*.ipynb"))
