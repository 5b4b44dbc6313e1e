"""The pre/post test: its blueprint, its parallel forms and their keys.

A form (data/assessments/<form>.yaml) is what a learner answers: questions in the quiz format,
each tied to a learning objective, with the options' texts but no answers and no feedback. Its
key (instructor/keys/<form>.yaml, read through ivigkit.data) says which options are right, or the
number and its tolerance, and why. `load_form` gives the learner's form (every option marked not
correct: nothing on the learner's page can grade it); `load_keyed_form` gives the form with its
key, for the class report. The blueprint (data/assessments/blueprint.yaml) says how many items of
which level and type each objective gets; every form follows it item for item.

    >>> form = load_form("pre_post_a")                 # the learner's copy
    >>> keyed = load_keyed_form("pre_post_a")          # with the key, instructor side
    >>> blueprint_problems(load_blueprint(), keyed)    # [] when the form follows the blueprint
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ivigkit.data import DataError
from ivigkit.data.documents import form_names, read_blueprint, read_form, read_key
from ivigkit.quiz.spec import (LEVELS, OPTION_IDS, SLUG, TYPES, ItemProblem, Option, Question, Quiz, QuizError,
                                Slip, keys_problem, number_value, text_value)

_OBJECTIVE = re.compile(r"^\d{2}\.\d+$")
_FORM_KEYS = {"notebook", "title", "questions"}
_ITEM_KEYS = {"id", "objective", "type", "level", "prompt", "source_ids"}
_ANSWER_WORDS = {"correct", "feedback", "answer", "tolerance", "feedback_correct", "feedback_incorrect",
                 "explanation", "slips", "why"}


@dataclass(frozen=True)
class TestForm:
    """A test form as a Quiz (one question per item), with each question's objective id.
    `keyed` is False for the learner's copy, whose options all read correct=False."""

    quiz: Quiz
    objectives: dict[str, str]
    keyed: bool

    @property
    def name(self) -> str:
        return self.quiz.notebook


@dataclass(frozen=True)
class Objective:
    id: str          # "04.1": notebook 04, objective 1
    notebook: str    # "04_dose_and_cost"
    text: str
    items: tuple[tuple[str, str], ...]  # (level, type) per item


@dataclass(frozen=True)
class Blueprint:
    forms: tuple[str, ...]
    objectives: tuple[Objective, ...]

    def objective(self, objective_id: str) -> Objective:
        for o in self.objectives:
            if o.id == objective_id:
                return o
        raise ValueError(f"The blueprint has no objective '{objective_id}'.")


def available_forms() -> list[str]:
    """The test forms a learner can take, sorted ("pre_post_a", "pre_post_b")."""
    return form_names()


def _fail(where: str, message: str) -> QuizError:
    return QuizError(f"{where}: {message}")


def _item(raw, where: str) -> tuple[Question, str]:
    if not isinstance(raw, dict):
        raise ItemProblem("each question must be a mapping of keys (id, objective, type, level, prompt, ...).")
    answers = sorted(set(raw) & _ANSWER_WORDS)
    if answers:
        raise ItemProblem(f"a learner's form must not hold answers ('{answers[0]}'); they belong in the key "
                   "in the instructor folder (instructor/keys/).")
    kind = raw.get("type")
    if kind not in TYPES:
        raise ItemProblem(f"'type' must be single, multiple or numeric; got {kind!r}.")
    required = _ITEM_KEYS | ({"unit"} if kind == "numeric" else {"options"})
    problem = keys_problem(raw, required, what=f"a {kind} item")
    if problem:
        raise ItemProblem(problem)
    qid, objective, level = raw["id"], str(raw["objective"]), raw["level"]
    if not isinstance(qid, str) or not SLUG.match(qid):
        raise ItemProblem(f"'id' must be a slug of lower-case letters, digits, '_' or '-'; got {qid!r}.")
    if not _OBJECTIVE.match(objective):
        raise ItemProblem(f"'objective' must be a notebook and objective number such as \"04.1\"; got {objective!r}.")
    if level not in LEVELS:
        raise ItemProblem(f"'level' must be recall, apply or analyse; got {level!r}.")
    sources = raw["source_ids"]
    if not isinstance(sources, list) or not all(isinstance(s, str) and SLUG.match(s) for s in sources):
        raise ItemProblem(f"'source_ids' must be a list of source ids (it may be empty: []); got {sources!r}.")
    options: tuple[Option, ...] = ()
    unit = ""
    if kind == "numeric":
        unit = text_value(raw["unit"], "unit")
    else:
        texts = raw["options"]
        if not isinstance(texts, list) or not 2 <= len(texts) <= len(OPTION_IDS):
            raise ItemProblem(f"'options' must be a list of 2 to {len(OPTION_IDS)} option texts.")
        texts = [text_value(t, "option") for t in texts]
        if len(set(texts)) != len(texts):
            raise ItemProblem("two options have the same text.")
        options = tuple(Option(t, False, "", OPTION_IDS[i]) for i, t in enumerate(texts))
    question = Question(id=qid, type=kind, prompt=text_value(raw["prompt"], "prompt"), level=level,
                        options=options, unit=unit, source_ids=tuple(sources))
    return question, objective


def load_form(name: str) -> TestForm:
    """The learner's copy of a test form ("pre_post_a"), checked; QuizError names the problem."""
    try:
        data, where = read_form(name)
    except DataError as exc:
        raise QuizError(str(exc)) from None
    if not isinstance(data, dict):
        raise _fail(where, "the file must be a mapping with the keys notebook, title and questions.")
    problem = keys_problem(data, _FORM_KEYS, what="a test form")
    if problem:
        raise _fail(where, problem)
    if data["notebook"] != name:
        raise _fail(where, f"'notebook' is '{data['notebook']}' but the file is named '{name}.yaml'; "
                           "they must match.")
    raw = data["questions"]
    if not isinstance(raw, list) or not raw:
        raise _fail(where, "'questions' must be a non-empty list.")
    questions, objectives = [], {}
    for number, item in enumerate(raw, start=1):
        label = f"question {number}" + (f" ('{item['id']}')" if isinstance(item, dict) and "id" in item else "")
        try:
            question, objective = _item(item, label)
        except ItemProblem as exc:
            raise _fail(f"{where}, {label}", str(exc)) from None
        if question.id in objectives:
            raise _fail(f"{where}, {label}", f"the id '{question.id}' is used twice.")
        questions.append(question)
        objectives[question.id] = objective
    try:
        title = text_value(data["title"], "title")
    except ItemProblem as exc:
        raise _fail(where, str(exc)) from None
    return TestForm(Quiz(name, title, tuple(questions), where), objectives, keyed=False)


def _keyed(question: Question, entry, where: str) -> Question:
    if not isinstance(entry, dict):
        raise ItemProblem("each answer must be a mapping (correct and why, or answer, tolerance and why).")
    why = text_value(entry.get("why"), "why")
    if question.type == "numeric":
        problem = keys_problem(entry, {"answer", "tolerance", "why"}, {"slips"}, what="a numeric answer")
        if problem:
            raise ItemProblem(problem)
        answer, tolerance = number_value(entry["answer"], "answer"), number_value(entry["tolerance"], "tolerance")
        if tolerance < 0:
            raise ItemProblem(f"'tolerance' must be 0 or more; got {tolerance:g}.")
        slips = []
        for n, slip in enumerate(entry.get("slips") or [], start=1):
            if not isinstance(slip, dict) or set(slip) != {"answer", "why"}:
                raise ItemProblem(f"slip {n} must be a mapping with answer and why.")
            value = number_value(slip["answer"], "answer")
            if abs(value - answer) <= tolerance:
                raise ItemProblem(f"slip {n}: {value:g} would be graded right; a slip is a wrong answer.")
            slips.append(Slip(value, text_value(slip["why"], "why")))
        return replace(question, answer=answer, tolerance=tolerance, explanation=why,
                       feedback_correct=why, feedback_incorrect=why, slips=tuple(slips))
    problem = keys_problem(entry, {"correct", "why"}, what="a choice answer")
    if problem:
        raise ItemProblem(problem)
    ids = entry["correct"]
    known = [o.id for o in question.options]
    if not isinstance(ids, list) or not ids or not all(i in known for i in ids) or len(set(ids)) != len(ids):
        raise ItemProblem(f"'correct' must list option ids among {', '.join(known)}; got {ids!r}.")
    if question.type == "single" and len(ids) != 1:
        raise ItemProblem(f"a single-choice item has exactly one correct option; got {len(ids)}.")
    options = tuple(Option(o.text, o.id in ids, why if o.id in ids else "", o.id) for o in question.options)
    return replace(question, options=options, explanation=why)


def load_keyed_form(name: str) -> TestForm:
    """A test form with its key from the instructor folder: every item answered, with why.
    QuizError if the key is missing, answers an item the form lacks, or misses one."""
    form = load_form(name)
    try:
        key, where = read_key(name)
    except DataError as exc:
        raise QuizError(str(exc)) from None
    if not isinstance(key, dict) or set(key) != {"notebook", "answers"} or not isinstance(key["answers"], dict):
        raise _fail(where, "a key is a mapping with 'notebook' and 'answers' (one entry per question id).")
    if key["notebook"] != name:
        raise _fail(where, f"'notebook' is '{key['notebook']}', but this is the key to '{name}'.")
    answers = key["answers"]
    ids = [q.id for q in form.quiz.questions]
    extra = [i for i in answers if i not in ids]
    missing = [i for i in ids if i not in answers]
    if extra or missing:
        what = (f"answers '{extra[0]}', which the form does not ask" if extra
                else f"has no answer to '{missing[0]}'")
        raise _fail(where, f"the key {what}.")
    questions = []
    for question in form.quiz.questions:
        try:
            questions.append(_keyed(question, answers[question.id], question.id))
        except ItemProblem as exc:
            raise _fail(f"{where}, '{question.id}'", str(exc)) from None
    quiz = Quiz(form.quiz.notebook, form.quiz.title, tuple(questions), form.quiz.source)
    return TestForm(quiz, form.objectives, keyed=True)


def load_blueprint() -> Blueprint:
    """The pre/post test's blueprint, checked (objective ids, levels and types)."""
    try:
        data, where = read_blueprint()
    except DataError as exc:
        raise QuizError(str(exc)) from None
    if not isinstance(data, dict) or set(data) != {"forms", "objectives"}:
        raise _fail(where, "a blueprint is a mapping with 'forms' and 'objectives'.")
    objectives = []
    for n, raw in enumerate(data["objectives"] or [], start=1):
        if not isinstance(raw, dict) or set(raw) != {"id", "notebook", "text", "items"}:
            raise _fail(where, f"objective {n} needs exactly id, notebook, text and items.")
        oid = str(raw["id"])
        if not _OBJECTIVE.match(oid) or not str(raw["notebook"]).startswith(oid[:2] + "_"):
            raise _fail(where, f"objective {n}: '{oid}' must be \"NN.M\", NN the number of its notebook "
                               f"('{raw['notebook']}').")
        items = []
        for item in raw["items"] or []:
            if not isinstance(item, dict) or item.get("level") not in LEVELS or item.get("type") not in TYPES:
                raise _fail(where, f"objective '{oid}': each item needs a level ({', '.join(LEVELS)}) and "
                                   f"a type ({', '.join(TYPES)}).")
            items.append((item["level"], item["type"]))
        if not items:
            raise _fail(where, f"objective '{oid}' has no items.")
        objectives.append(Objective(oid, str(raw["notebook"]), str(raw["text"]).strip(), tuple(items)))
    ids = [o.id for o in objectives]
    if not ids or len(set(ids)) != len(ids):
        raise _fail(where, "objectives must be listed, each once.")
    return Blueprint(tuple(str(f) for f in data["forms"]), tuple(objectives))


def blueprint_problems(blueprint: Blueprint, form: TestForm) -> list[str]:
    """How `form` departs from the blueprint: per objective, the levels and types of its items
    must be the blueprint's (in any order). An empty list means it follows the blueprint."""
    def listed(items) -> str:
        return ", ".join(f"{level} {kind}" for level, kind in sorted(items)) or "no items"

    found: dict[str, list[tuple[str, str]]] = {}
    for q in form.quiz.questions:
        found.setdefault(form.objectives[q.id], []).append((q.level, q.type))
    problems = []
    for o in blueprint.objectives:
        have = found.pop(o.id, [])
        if sorted(have) != sorted(o.items):
            problems.append(f"{form.name}: objective {o.id} has {listed(have)}; the blueprint asks for "
                            f"{listed(o.items)}.")
    problems += [f"{form.name}: objective {oid} is not in the blueprint." for oid in found]
    return problems
