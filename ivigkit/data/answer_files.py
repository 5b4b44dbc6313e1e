"""A folder of the answer files learners download from the self-checks and the pre/post test,
read as text for the class report (ivigkit.report parses and checks them; the format is in
data/README.md, "Answer files"). Nothing is sent anywhere: the files stay where the instructor
put them, and reading them changes nothing.

    >>> texts, unread = read_answer_folder("instructor/answers")
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ivigkit.data.loader import DataError
from ivigkit.data.paths import instructor_dir, shown_dir

KINDS = {".csv": "csv", ".json": "json"}
#: A learner's file is a few kilobytes; anything this large is something else.
MAX_BYTES = 5_000_000
ANSWERS_FOLDER = "answers"


@dataclass(frozen=True)
class AnswerText:
    """One file's text: `name` is its path inside the folder, `kind` "csv" or "json"."""

    name: str
    kind: str
    text: str


@dataclass(frozen=True)
class Unread:
    """A file that was not read, and why, in a sentence."""

    name: str
    reason: str


def answers_dir() -> Path:
    """Where the instructor keeps the files learners hand in: <instructor folder>/answers
    (git-ignored, so learners' answers are never committed)."""
    return instructor_dir() / ANSWERS_FOLDER


def read_answer_folder(folder: str | Path) -> tuple[list[AnswerText], list[Unread]]:
    """Every .csv and .json file in `folder` and its subfolders, as text, in name order, and
    every other file with the reason it was not read. Hidden files and folders (names that start
    with a dot, such as .ipynb_checkpoints) are passed over. DataError if there is no such folder."""
    path = Path(folder).expanduser()
    if not str(folder).strip():
        raise DataError("Type the folder that holds the answer files.")
    if not path.exists():
        raise DataError(f"There is no folder {shown_dir(path)}; check the name, or make it and put "
                        "the learners' answer files in it.")
    if not path.is_dir():
        raise DataError(f"{shown_dir(path)} is a file; give the folder that holds the answer files.")
    texts: list[AnswerText] = []
    unread: list[Unread] = []
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        name = file.relative_to(path).as_posix()
        if any(part.startswith(".") for part in file.relative_to(path).parts):
            continue
        kind = KINDS.get(file.suffix.lower())
        if kind is None:
            unread.append(Unread(name, "not a CSV or JSON file"))
            continue
        try:
            if file.stat().st_size > MAX_BYTES:
                unread.append(Unread(name, f"larger than {MAX_BYTES // 1_000_000} MB: not a learner's answer file"))
                continue
            text = file.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            unread.append(Unread(name, "not UTF-8 text: not an answer file from the workbook"))
            continue
        except OSError as exc:
            unread.append(Unread(name, f"could not be read ({exc.strerror or exc})"))
            continue
        texts.append(AnswerText(name, kind, text))
    return texts, unread
