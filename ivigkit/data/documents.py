"""The workbook's YAML files: self-check quizzes (data/quizzes/<notebook>.yaml), the patient
cases (data/cases.yaml), the pre/post test (data/assessments/: its blueprint and the learners'
forms) and the keys to it (instructor/keys/), read with messages that name the file, the line
and the question.

What the mappings must hold is checked by the models that use them (ivigkit.quiz, ivigkit.cases);
this module only finds the files and turns YAML into Python.
"""
from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import yaml

from ivigkit.data.loader import DataError
from ivigkit.data.paths import data_dir, instructor_dir, shown, shown_dir

QUIZ_FOLDER = "quizzes"
ASSESSMENT_FOLDER = "assessments"
KEY_FOLDER = "keys"
BLUEPRINT = "blueprint"


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key repeated in one mapping."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, (str, int, float, bool)) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key '{key}' appears twice in the same block", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _item_at_line(text: str, line: int, list_key: str, what: str) -> str:
    """Best guess of "question N ('id')" around a 0-based line, for YAML syntax errors."""
    lines = text.splitlines()
    start = next((i for i, s in enumerate(lines) if re.match(rf"^{list_key}\s*:", s)), None)
    if start is None or line <= start:
        return ""
    number, item_id, indent = 0, None, None
    for s in lines[start + 1 : line + 1]:
        item = re.match(r"^(\s*)-\s", s)
        if item and (indent is None or len(item.group(1)) == indent):
            indent, number, item_id = len(item.group(1)), number + 1, None
        key = re.match(r"^\s*-?\s*id\s*:\s*['\"]?([\w-]+)", s)
        if key and number and item_id is None:
            item_id = key.group(1)
    if not number:
        return ""
    return f"{what} {number}" + (f" ('{item_id}')" if item_id else "")


def read_yaml(path: Path, *, list_key: str = "questions", what: str = "question"):
    """The YAML document at `path` as Python data; DataError naming the file and, for a syntax
    error, the line, column and the item of `list_key` it is in."""
    name = shown(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"{name}: the file is missing.") from None
    except UnicodeDecodeError:
        raise DataError(f"{name}: the file is not UTF-8 text; save it as UTF-8.") from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 (SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = ""
        if mark is not None:
            item = _item_at_line(text, mark.line, list_key, what)
            where = f" near line {mark.line + 1}, column {mark.column + 1}" + (f" ({item})" if item else "")
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        advice = "" if isinstance(exc, yaml.constructor.ConstructorError) else " Check the indentation, colons and quotes."
        raise DataError(f"{name}: the YAML cannot be read{where}: {problem}.{advice}") from None


def quiz_dir() -> Path:
    """The folder of the self-check quizzes: <data>/quizzes."""
    return data_dir() / QUIZ_FOLDER


def quiz_names() -> list[str]:
    """Names of the quiz files, sorted ("00_start_here", ...)."""
    return sorted(p.stem for p in quiz_dir().glob("*.yaml"))


def quiz_path(name: str | os.PathLike) -> Path:
    """The file of a quiz given by name ("00_start_here") or by path."""
    text = os.fspath(name)
    if isinstance(name, Path) or "/" in text or os.sep in text or text.endswith((".yaml", ".yml")):
        return Path(text)
    return quiz_dir() / f"{text}.yaml"


def read_quiz(name: str | os.PathLike) -> tuple[object, Path, str]:
    """(the quiz file's data, its path, its name for messages); DataError if it is missing or
    is not readable YAML."""
    path = quiz_path(name)
    if not path.is_file():
        names = ", ".join(quiz_names()) or "none"
        raise DataError(f"{shown(path)}: no such quiz file (quizzes available in {shown_dir(quiz_dir())}: {names}).")
    data = read_yaml(path)
    if data is None:
        raise DataError(f"{shown(path)}: the file is empty; it needs notebook, title and questions.")
    return data, path, shown(path)


def cases_path() -> Path:
    return data_dir() / "cases.yaml"


def read_cases() -> tuple[object, str]:
    """(data/cases.yaml's data, a stamp that changes when the file does)."""
    path = cases_path()
    if not path.is_file():
        raise DataError(f"{shown(path)} is missing.")
    mtime_ns = path.stat().st_mtime_ns
    return _read_cases(str(path), mtime_ns), f"{path}:{mtime_ns}"


@functools.lru_cache(maxsize=4)
def _read_cases(path: str, mtime_ns: int):
    return read_yaml(Path(path), list_key="cases", what="case")


def assessment_dir() -> Path:
    """The folder of the pre/post test: <data>/assessments."""
    return data_dir() / ASSESSMENT_FOLDER


def form_names() -> list[str]:
    """Names of the test forms a learner can take ("pre_post_a", ...), sorted."""
    return sorted(p.stem for p in assessment_dir().glob("*.yaml") if p.stem != BLUEPRINT)


def _document(path: Path, what: str):
    if not path.is_file():
        raise DataError(f"{shown(path)}: no such {what} file.")
    data = read_yaml(path)
    if data is None:
        raise DataError(f"{shown(path)}: the file is empty.")
    return data


def read_form(name: str) -> tuple[object, str]:
    """(a test form's data, its name for messages): data/assessments/<name>.yaml, the learner's
    copy, which holds no answers."""
    path = assessment_dir() / f"{name}.yaml"
    if name == BLUEPRINT or not path.is_file():
        raise DataError(f"{shown(path)}: no such test form (forms in {shown_dir(assessment_dir())}: "
                        f"{', '.join(form_names()) or 'none'}).")
    return _document(path, "test form"), shown(path)


def read_blueprint() -> tuple[object, str]:
    """(the pre/post test's blueprint, its name for messages)."""
    path = assessment_dir() / f"{BLUEPRINT}.yaml"
    return _document(path, "blueprint"), shown(path)


def key_dir() -> Path:
    """Where the keys to the test forms are: <instructor folder>/keys."""
    return instructor_dir() / KEY_FOLDER


def read_key(name: str) -> tuple[object, str]:
    """(the key to a test form, its name for messages), from the instructor folder; DataError
    says so when this copy of the workbook has no instructor folder or no such key."""
    folder = key_dir()
    if not folder.is_dir():
        raise DataError(f"The keys to the tests are in the instructor folder ({shown_dir(folder)}), "
                        "which this copy of the workbook does not have.")
    path = folder / f"{name}.yaml"
    if not path.is_file():
        raise DataError(f"{shown(path)}: there is no key to the test form '{name}'.")
    return _document(path, "key"), shown(path)


PLAN_FOLDER = "plans"
PLAN_KINDS = ("lecture", "seminar")


def plan_dir() -> Path:
    """Where the session plans are: <instructor folder>/plans."""
    return instructor_dir() / PLAN_FOLDER


def read_plan(notebook: str, kind: str) -> str:
    """The Markdown of a session plan: plans/<notebook>_<kind>.md, kind "lecture" (50 minutes) or
    "seminar" (2 hours). DataError if there is no such plan in this copy's instructor folder."""
    if kind not in PLAN_KINDS:
        raise DataError(f"A session plan is a {' or a '.join(PLAN_KINDS)}; got '{kind}'.")
    path = plan_dir() / f"{notebook}_{kind}.md"
    if not path.is_file():
        raise DataError(f"There is no {kind} plan for {notebook} ({shown(path)}); this copy of the workbook "
                        "may lack the instructor folder.")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DataError(f"{shown(path)}: the file is not UTF-8 text; save it as UTF-8.") from None
