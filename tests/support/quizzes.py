"""A small valid quiz file for the quiz tests (the model's and the widget's), and the shipped ones."""
from __future__ import annotations

from pathlib import Path

from tests.support import REPO

QUIZ_FILES = sorted((REPO / "data" / "quizzes").glob("*.yaml"))
SOURCES_CSV = REPO / "data" / "sources.csv"

VALID = """\
notebook: demo
title: Demo quiz
questions:
  - id: pick
    type: single
    level: recall
    prompt: "Pick the second one."
    options:
      - text: "First"
        correct: false
        feedback: "First is a decoy"
      - text: "Second"
        correct: true
        feedback: "Second is the wanted one"
      - text: "Third"
        correct: false
        feedback: "Third is another decoy"
    explanation: "The pick explanation"
    source_ids: [statpearls_ivig]
  - id: many
    type: multiple
    level: apply
    prompt: "Tick A and C."
    options:
      - text: "A"
        correct: true
        feedback: "A belongs in the set"
      - text: "B"
        correct: false
        feedback: "B stays out of the set"
      - text: "C"
        correct: true
        feedback: "C belongs too"
      - text: "D"
        correct: false
        feedback: "D stays out as well"
    source_ids: []
  - id: dose
    type: numeric
    level: apply
    prompt: "A 70 kg adult is prescribed 0.4 g/kg. How many grams?"
    answer: 28
    tolerance: 0.1
    unit: g
    feedback_correct: "Seventy times zero point four is twenty-eight"
    feedback_incorrect: "Step by step: 70 kg x 0.4 g/kg = 28 g"
    slips:
      - answer: 28000
        feedback: "That is milligrams"
    explanation: "The dose explanation"
    source_ids: [achiron1998_neurology]
"""

HIDDEN_TEXTS = [
    "First is a decoy", "Second is the wanted one", "Third is another decoy", "The pick explanation",
    "A belongs in the set", "B stays out of the set", "C belongs too", "D stays out as well",
    "Seventy times zero point four is twenty-eight", "Step by step: 70 kg x 0.4 g/kg = 28 g",
    "That is milligrams",
    "The dose explanation",
]


def write(tmp_path: Path, text: str, name: str = "demo") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path
