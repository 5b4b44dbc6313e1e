"""Generated answer files, as learners' pages write them, for the class-report tests: a learner
answers every question of a quiz (or a test form) right or wrong, as chosen, and the records are
exported with the workbook's own functions."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ivigkit import quiz as q

T0 = datetime(2026, 2, 2, 9, 0, tzinfo=timezone.utc)


def response(question: q.Question, right: bool, wrong_pick: int = 0):
    """An answer to `question` that is right, or wrong in a chosen way (the `wrong_pick`-th wrong
    option, or the first slip, else a number far off)."""
    if question.type == "numeric":
        if right:
            return question.answer
        slips = [s.answer for s in question.slips]
        return slips[wrong_pick % len(slips)] if slips else question.answer * 3 + 7
    wrong = [i for i, o in enumerate(question.options) if not o.correct]
    if question.type == "single":
        return question.options.index(next(o for o in question.options if o.correct)) if right \
            else wrong[wrong_pick % len(wrong)]
    return set(question.correct_indices) if right else {wrong[wrong_pick % len(wrong)]}


def learner_records(quiz: q.Quiz, code: str, right, *, graded: bool = True, when: datetime = T0,
                    retry_wrong: bool = False, name: str = "", wrong_pick: int = 0) -> list[q.Attempt]:
    """One learner's records: question i answered right if right(i, question) (or i in `right`).
    graded=False writes them as the test page does; retry_wrong adds a right second attempt after
    each wrong first one, as a self-check learner would."""
    decide = right if callable(right) else (lambda i, _q: i in right)
    records = []
    for i, question in enumerate(quiz.questions):
        ok = decide(i, question)
        stamp = when + timedelta(minutes=i)
        answer = response(question, ok, wrong_pick)
        result = q.grade(question, answer) if graded else None
        records.append(q.make_attempt(quiz.notebook, question, answer, result, learner_code=code,
                                      learner_name=name, when=stamp))
        if retry_wrong and not ok and graded:
            again = response(question, True)
            records.append(q.make_attempt(quiz.notebook, question, again, q.grade(question, again),
                                          learner_code=code, learner_name=name, attempt=2,
                                          first_attempt_correct=False, when=stamp + timedelta(seconds=30)))
    return records
