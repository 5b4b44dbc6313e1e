"""Self-check quizzes: what a question is, how a quiz file is checked, the order a learner sees
the options in, how an answer is graded, and how a learner's answers are exported and read back.
Pure Python: the widget is ivigkit.apps.selfcheck.

    >>> from ivigkit import quiz
    >>> shown = quiz.presented("03_evidence", "K7Q2")      # as the learner with code K7Q2 sees it
    >>> [o.text for o in shown[0].options]
"""
from __future__ import annotations

from ivigkit.quiz.export import (EXPORT_FIELDS, SCHEMA, AnswerFileError, Attempt, answer_text, export_csv,
                                 export_json, make_attempt, read_answers, response_from)
from ivigkit.quiz.grading import Grade, grade, parse_number, within_tolerance
from ivigkit.quiz.order import (ShownOption, ShownQuestion, check_learner_code, new_learner_code, present,
                                presented, shown_order)
from ivigkit.quiz.spec import (LEVELS, OPTION_IDS, TYPES, Option, Question, Quiz, QuizError, Slip,
                               available_quizzes, load_quiz, questions_from)

__all__ = ["TYPES", "LEVELS", "OPTION_IDS", "QuizError", "Option", "Slip", "Question", "Quiz", "Grade",
           "Attempt", "AnswerFileError", "EXPORT_FIELDS", "SCHEMA", "ShownOption", "ShownQuestion",
           "available_quizzes", "load_quiz", "questions_from", "parse_number", "within_tolerance", "grade",
           "answer_text", "make_attempt", "export_csv", "export_json", "read_answers", "response_from", "new_learner_code",
           "check_learner_code", "shown_order", "present", "presented"]
