"""Self-check quizzes: what a question is, how a quiz file is checked, how an answer is graded
and how a learner's answers are exported. Pure Python: the widget is ivigkit.apps.selfcheck.

    >>> from ivigkit import quiz
    >>> q = quiz.load_quiz("03_evidence")
    >>> quiz.grade(q.questions[0], 1).correct
"""
from __future__ import annotations

from ivigkit.quiz.export import EXPORT_FIELDS, Attempt, answer_text, export_csv, export_json, make_attempt
from ivigkit.quiz.grading import Grade, grade, parse_number, within_tolerance
from ivigkit.quiz.spec import (TYPES, Option, Question, Quiz, QuizError, available_quizzes, load_quiz,
                               questions_from)

__all__ = ["TYPES", "QuizError", "Option", "Question", "Quiz", "Grade", "Attempt", "EXPORT_FIELDS",
           "available_quizzes", "load_quiz", "questions_from", "parse_number", "within_tolerance", "grade",
           "answer_text", "make_attempt", "export_csv", "export_json"]
