"""Where the data files are, and how a message names them."""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
#: Directory holding the tables, quizzes and cases (``IVIGKIT_DATA_DIR`` overrides it).
DATA_DIR: Path = Path(os.environ.get("IVIGKIT_DATA_DIR") or REPO_ROOT / "data")


def data_dir() -> Path:
    """The data directory now in force (``IVIGKIT_DATA_DIR`` first, then :data:`DATA_DIR`)."""
    env = os.environ.get("IVIGKIT_DATA_DIR")
    return Path(env) if env else Path(DATA_DIR)


def instructor_dir() -> Path:
    """The instructor folder (keys, session plans, class report): ``IVIGKIT_INSTRUCTOR_DIR``, else
    <repo>/instructor. No student server serves it; a copy of the workbook may lack it."""
    env = os.environ.get("IVIGKIT_INSTRUCTOR_DIR")
    return Path(env) if env else REPO_ROOT / "instructor"


def csv_path(name: str) -> Path:
    """data/<name>.csv."""
    return data_dir() / f"{name}.csv"


def shown(path: Path) -> str:
    """A file as messages name it: data/x.csv (relative to the repository if inside it)."""
    path = Path(path)
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return f"{path.parent.name}/{path.name}" if path.parent.name else path.name


def shown_dir(path: Path) -> str:
    """A folder as messages name it: relative to the repository if inside it, else absolute."""
    path = Path(path).resolve()
    try:
        return path.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(path)
