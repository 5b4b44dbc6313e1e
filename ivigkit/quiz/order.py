"""The order a learner sees the options in: shuffled per learner code, the same code always giving
the same order, so an instructor can reproduce a learner's screen from the code alone.

    >>> from ivigkit import quiz
    >>> code = quiz.check_learner_code(" k7q2 ")          # "K7Q2"
    >>> [o.text for o in quiz.presented("03_evidence", code)[0].options]

The order comes from SHA-256 of the learner code, the quiz and the question id, so it does not
depend on Python's hash seed, the machine or the position of the question in the file.
"""
from __future__ import annotations

import hashlib
import random
import re
import secrets
from dataclasses import dataclass

from ivigkit.quiz.spec import Question, Quiz, load_quiz

#: Characters of a generated code: no 0/O, 1/I/L, so a code read aloud or from a screen survives.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 4
_CODE = re.compile(r"^[A-Z0-9]{3,12}$")


def new_learner_code() -> str:
    """A fresh four-character learner code such as "K7Q2"."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def check_learner_code(text) -> str:
    """The learner code in capitals, or ValueError in a sentence for the learner."""
    code = text.strip().upper() if isinstance(text, str) else ""
    if not _CODE.match(code):
        shown = text.strip() if isinstance(text, str) else text
        raise ValueError("A learner code is 3 to 12 letters or digits, such as K7Q2 (your instructor "
                         f"may give you one); got '{shown}'.")
    return code


def shown_order(question: Question, learner_code: str, quiz_name: str) -> tuple[int, ...]:
    """The options of `question` in the order this learner sees them, as indices in the file."""
    code = check_learner_code(learner_code)
    digest = hashlib.sha256(f"{code}|{quiz_name}|{question.id}".encode()).digest()
    order = list(range(len(question.options)))
    random.Random(int.from_bytes(digest[:8], "big")).shuffle(order)
    return tuple(order)


@dataclass(frozen=True)
class ShownOption:
    id: str
    text: str
    correct: bool

    def __getitem__(self, key: str):
        return getattr(self, key)


@dataclass(frozen=True)
class ShownQuestion:
    """One question as a learner sees it: options in the order shown (none for numeric)."""

    id: str
    type: str
    level: str
    prompt: str
    options: tuple[ShownOption, ...]

    def __getitem__(self, key: str):
        return getattr(self, key)


def present(quiz: Quiz, learner_code: str) -> tuple[ShownQuestion, ...]:
    """A loaded quiz as this learner sees it."""
    out = []
    for q in quiz.questions:
        order = shown_order(q, learner_code, quiz.notebook) if q.options else ()
        out.append(ShownQuestion(q.id, q.type, q.level, q.prompt, tuple(
            ShownOption(q.options[i].id, q.options[i].text, q.options[i].correct) for i in order)))
    return tuple(out)


def presented(quiz_name: str, learner_code: str) -> tuple[ShownQuestion, ...]:
    """The questions of quiz `quiz_name` ("03_evidence") as the learner with `learner_code` sees
    them: each with its id, type and options in the order shown, each option with its text and
    whether it is correct."""
    return present(load_quiz(quiz_name), learner_code)
