"""The class report: what a folder of learners' answer files says about one self-check or about
the pre/post test. Pure functions on the files' texts and on answer records; ivigkit.data.answer_files
reads the folder, ivigkit.figures.report draws, ivigkit.apps.report shows.

    >>> texts, unread = answer_files.read_answer_folder("instructor/answers")   # the data layer
    >>> report = class_report("03_evidence", texts, unread)
    >>> report.skipped          # every file left out, with the reason
    >>> report.questions        # per question: share right at the first attempt, wrong answers chosen most
    >>> report.learners         # per learner code: a score
    >>> class_report(PRE_POST, texts).pre_post.gains                    # per objective, pre vs post

Every answer is graded again with the quiz (self-checks) or the key (the pre/post test, whose files
carry no grades), so all files are judged alike. A file is skipped, with its reason, when it is not
an answer file of this workbook (wrong schema, unreadable), holds another notebook's answers or
several learners', names a question or option the quiz does not have, or repeats a learner's
answers that another file holds. Nothing is sent anywhere.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ivigkit import quiz as q
from ivigkit.quiz import forms

PRE_POST = "pre_post"
TOP_WRONG = 3


@dataclass(frozen=True)
class Skipped:
    name: str
    reason: str


@dataclass(frozen=True)
class LearnerFile:
    """One learner's answers to one quiz or test form, from one file."""

    name: str
    learner_code: str
    learner_name: str
    notebook: str
    records: tuple[q.Attempt, ...]

    @property
    def started(self) -> str:
        return min(r.timestamp for r in self.records)

    @property
    def finished(self) -> str:
        return max(r.timestamp for r in self.records)


@dataclass(frozen=True)
class Subject:
    """What a report is about: the quizzes (with answers) whose files it reads, their
    questions' objectives (the pre/post test only) and the blueprint (idem)."""

    name: str
    title: str
    quizzes: dict[str, q.Quiz]
    objectives: dict[str, str]
    blueprint: forms.Blueprint | None = None


@dataclass(frozen=True)
class QuestionResult:
    notebook: str
    number: int
    question_id: str
    prompt: str
    level: str
    objective: str
    learners: int        # learners whose file answers it
    first_right: int     # of them, right at their first attempt
    wrong: tuple[tuple[str, int], ...]  # wrong answers given at the first attempt, most often first

    @property
    def first_right_pct(self) -> float | None:
        return 100 * self.first_right / self.learners if self.learners else None


@dataclass(frozen=True)
class LearnerResult:
    learner_code: str
    learner_name: str
    notebook: str
    file: str
    questions: int       # in the quiz
    answered: int
    first_right: int
    latest_right: int

    @property
    def score_pct(self) -> float:
        """Questions right at the first attempt, as a share of all the quiz's questions."""
        return 100 * self.first_right / self.questions


@dataclass(frozen=True)
class ObjectiveGain:
    objective: str
    text: str
    learners: int
    pre_pct: float
    post_pct: float

    @property
    def gain_pts(self) -> float:
        return self.post_pct - self.pre_pct


@dataclass(frozen=True)
class PairedLearner:
    learner_code: str
    learner_name: str
    pre_form: str
    pre_pct: float
    post_form: str
    post_pct: float


@dataclass(frozen=True)
class PrePost:
    pairs: tuple[PairedLearner, ...]
    gains: tuple[ObjectiveGain, ...]
    unpaired: tuple[str, ...]   # learner codes with only one form, each with what they have


@dataclass(frozen=True)
class ClassReport:
    subject: Subject
    files: tuple[LearnerFile, ...]
    skipped: tuple[Skipped, ...]
    questions: tuple[QuestionResult, ...]
    learners: tuple[LearnerResult, ...]
    pre_post: PrePost | None


# ------------------------------------------------------------------ what a report is about

def subjects() -> list[str]:
    """Every report on offer: each self-check, then the pre/post test."""
    return [*q.available_quizzes(), PRE_POST]


def subject(name: str) -> Subject:
    """A self-check's quiz ("03_evidence"), or the pre/post test's keyed forms (PRE_POST).
    ValueError (a QuizError) if a quiz or key cannot be read."""
    if name == PRE_POST:
        blueprint = forms.load_blueprint()
        keyed = [forms.load_keyed_form(f) for f in blueprint.forms]
        objectives = {qid: o for f in keyed for qid, o in f.objectives.items()}
        return Subject(PRE_POST, "Pre/post test", {f.name: f.quiz for f in keyed}, objectives, blueprint)
    if name not in q.available_quizzes():
        raise ValueError(f"There is no self-check '{name}'; choose one of {', '.join(subjects())}.")
    quiz = q.load_quiz(name)
    return Subject(name, quiz.title, {name: quiz}, {})


# ------------------------------------------------------------------ sorting the files

def _problem(records: tuple[q.Attempt, ...], quizzes: dict[str, q.Quiz]) -> str | None:
    """Why a readable file does not belong in this report, or None."""
    notebooks = sorted({r.notebook for r in records})
    wanted = " or ".join(quizzes)
    if len(notebooks) > 1:
        return f"it holds answers for several notebooks ({', '.join(notebooks)}); a learner's file holds one"
    if notebooks[0] not in quizzes:
        return f"it holds answers for {notebooks[0]}, not for {wanted}"
    codes = sorted({r.learner_code for r in records})
    if len(codes) > 1:
        return f"it holds the answers of several learner codes ({', '.join(codes)}); a learner's file holds one"
    questions = {x.id: x for x in quizzes[notebooks[0]].questions}
    for n, record in enumerate(records, start=1):
        question = questions.get(record.question_id)
        if question is None:
            return (f"question '{record.question_id}' is not in {notebooks[0]} as it is now "
                    "(a file from another version of the workbook?)")
        try:
            q.response_from(question, record)
        except ValueError as exc:
            return f"record {n} does not fit its question: {exc}"
    return None


def sort_files(texts: Iterable, quizzes: dict[str, q.Quiz], unread: Iterable = ()) -> tuple[
        tuple[LearnerFile, ...], tuple[Skipped, ...]]:
    """(the files the report uses, the files it skips with the reason). `texts` are the data
    layer's AnswerText (name, kind, text); `unread` its Unread (name, reason)."""
    skipped = [Skipped(u.name, u.reason) for u in unread]
    found: list[LearnerFile] = []
    for item in texts:
        try:
            records = q.read_answers(item.text, item.kind)
        except q.AnswerFileError as exc:
            skipped.append(Skipped(item.name, f"not an answer file of this workbook: {exc}"))
            continue
        problem = _problem(records, quizzes)
        if problem:
            skipped.append(Skipped(item.name, problem))
            continue
        first = records[0]
        found.append(LearnerFile(item.name, first.learner_code, first.learner_name, first.notebook, records))
    kept: list[LearnerFile] = []
    groups: dict[tuple[str, str], list[LearnerFile]] = {}
    for file in found:
        groups.setdefault((file.learner_code, file.notebook), []).append(file)
    for (code, notebook), files in groups.items():
        # The fullest file, then the latest; between equals, the first by name.
        best = max(sorted(files, key=lambda f: f.name), key=lambda f: (len(f.records), f.finished))
        kept.append(best)
        for other in files:
            if other is best:
                continue
            if set(other.records) == set(best.records):
                reason = f"the same answers as {best.name}"
            elif set(other.records) <= set(best.records):
                reason = f"an earlier download of learner {code}'s answers to {notebook}; {best.name} holds them all"
            else:
                reason = (f"learner code {code} has another file for {notebook} ({best.name}, kept: more or later "
                          "answers); if two learners share the code, give one a new code")
            skipped.append(Skipped(other.name, f"duplicate: {reason}"))
    kept.sort(key=lambda f: f.name)
    skipped.sort(key=lambda s: s.name)
    return tuple(kept), tuple(skipped)


# ------------------------------------------------------------------ per question, per learner

def _first_records(file: LearnerFile) -> dict[str, q.Attempt]:
    """Each question's first check in the file (the lowest attempt number, then the earliest)."""
    first: dict[str, q.Attempt] = {}
    for record in sorted(file.records, key=lambda r: (r.attempt, r.timestamp)):
        first.setdefault(record.question_id, record)
    return first


def _latest_records(file: LearnerFile) -> dict[str, q.Attempt]:
    latest: dict[str, q.Attempt] = {}
    for record in sorted(file.records, key=lambda r: (r.attempt, r.timestamp)):
        latest[record.question_id] = record
    return latest


def is_right(question: q.Question, record: q.Attempt) -> bool:
    """The record's answer graded with the quiz or key (the file's own grade is not trusted)."""
    return q.grade(question, q.response_from(question, record)).correct


def _wrong_labels(question: q.Question, record: q.Attempt) -> list[str]:
    """What was wrong in an answer, as the report lists it: wrong options ticked, or the number."""
    if question.type == "numeric":
        value = q.parse_number(question, record.answer)
        slip = next((s for s in question.slips if q.within_tolerance(value, s.answer, question.tolerance)), None)
        return [record.answer + (f" ({slip.feedback})" if slip else "")]
    options = {o.id: o for o in question.options}
    chosen = [i for i in record.chosen.split(";") if i]
    wrong = [f"{i}: {options[i].text}" for i in chosen if not options[i].correct]
    if not wrong and question.type == "multiple":  # right boxes only, but not all of them
        wrong = ["missed: " + "; ".join(f"{o.id}: {o.text}" for o in question.options
                                        if o.correct and o.id not in chosen)]
    return wrong


def question_results(subject: Subject, files: Iterable[LearnerFile], top: int = TOP_WRONG) -> tuple[QuestionResult, ...]:
    """Per question of every quiz in the subject: how many learners answered it, how many were
    right at their first attempt, and the wrong answers they gave most often at that attempt."""
    files = list(files)
    out = []
    for notebook, quiz in subject.quizzes.items():
        firsts = [_first_records(f) for f in files if f.notebook == notebook]
        for number, question in enumerate(quiz.questions, start=1):
            records = [f[question.id] for f in firsts if question.id in f]
            right = sum(is_right(question, r) for r in records)
            wrong = Counter(label for r in records if not is_right(question, r) for label in _wrong_labels(question, r))
            out.append(QuestionResult(notebook, number, question.id, question.prompt, question.level,
                                      subject.objectives.get(question.id, ""), len(records), right,
                                      tuple(sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0]))[:top])))
    return tuple(out)


def learner_results(subject: Subject, files: Iterable[LearnerFile]) -> tuple[LearnerResult, ...]:
    """Per learner file: questions answered, right at the first attempt and right at the latest."""
    out = []
    for file in files:
        questions = {x.id: x for x in subject.quizzes[file.notebook].questions}
        first, latest = _first_records(file), _latest_records(file)
        out.append(LearnerResult(
            file.learner_code, file.learner_name, file.notebook, file.name, len(questions), len(first),
            sum(is_right(questions[i], r) for i, r in first.items()),
            sum(is_right(questions[i], r) for i, r in latest.items())))
    return tuple(sorted(out, key=lambda r: (r.notebook, r.learner_code)))


# ------------------------------------------------------------------ the pre/post test

def _objective_shares(subject: Subject, file: LearnerFile) -> dict[str, float]:
    """Per objective, the share (%) of the form's items on it that the learner got right; an
    unanswered item counts as wrong."""
    first = _first_records(file)
    per: dict[str, list[bool]] = {}
    for question in subject.quizzes[file.notebook].questions:
        record = first.get(question.id)
        per.setdefault(subject.objectives[question.id], []).append(
            record is not None and is_right(question, record))
    return {o: 100 * sum(v) / len(v) for o, v in per.items()}


def _score_pct(subject: Subject, file: LearnerFile) -> float:
    """The share (%) of the form's items the learner got right (unanswered ones count as wrong)."""
    questions = subject.quizzes[file.notebook].questions
    first = _first_records(file)
    return 100 * sum(x.id in first and is_right(x, first[x.id]) for x in questions) / len(questions)


def pre_post(subject: Subject, files: Iterable[LearnerFile]) -> PrePost:
    """Pair each learner's two forms (the one begun first is the pre-test, whichever form it is)
    and give, per objective of the blueprint, the paired learners' mean share right before and
    after. Learners with only one form are named in `unpaired`."""
    if subject.blueprint is None:
        raise ValueError("Gains per objective need the pre/post test, not a self-check.")
    by_code: dict[str, list[LearnerFile]] = {}
    for file in files:
        by_code.setdefault(file.learner_code, []).append(file)
    pairs, unpaired, shares = [], [], []
    for code in sorted(by_code):
        taken = sorted(by_code[code], key=lambda f: (f.started, f.notebook))
        if len({f.notebook for f in taken}) < 2:
            unpaired.append(f"{code} ({', '.join(f.notebook for f in taken)} only)")
            continue
        pre, post = taken[0], taken[-1]
        pre_share, post_share = _objective_shares(subject, pre), _objective_shares(subject, post)
        shares.append((pre_share, post_share))
        pairs.append(PairedLearner(code, post.learner_name or pre.learner_name, pre.notebook,
                                   _score_pct(subject, pre), post.notebook, _score_pct(subject, post)))
    gains = []
    for objective in subject.blueprint.objectives:
        if shares:
            pre_pct = sum(p[objective.id] for p, _ in shares) / len(shares)
            post_pct = sum(p[objective.id] for _, p in shares) / len(shares)
            gains.append(ObjectiveGain(objective.id, objective.text, len(shares), pre_pct, post_pct))
    return PrePost(tuple(pairs), tuple(gains), tuple(unpaired))


def class_report(name: str, texts: Iterable, unread: Iterable = ()) -> ClassReport:
    """The whole report on self-check `name` (or PRE_POST) from the folder's files."""
    about = subject(name)
    texts = list(texts)
    files, skipped = sort_files(texts, about.quizzes, unread)
    return ClassReport(about, files, skipped, question_results(about, files), learner_results(about, files),
                       pre_post(about, files) if name == PRE_POST else None)
