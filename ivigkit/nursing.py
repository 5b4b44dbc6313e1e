"""The nursing strand of notebook 05: when to check the patient during an infusion, what to do
for a reaction and at what rate to restart, what to record, and whether a patient's teach-back
shows understanding.

What is checked and why comes from data/infusion_monitoring.csv; reactions from
reaction_plan.csv; record items from documentation_items.csv; teaching points from
teach_back.csv. The minute values below are the model's constants: the two observation times
are read in EU leaflets, the others are teaching assumptions the learner can change (each has
a row in data/model_parameters.csv). Educational material only; not a clinical protocol.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ivigkit import data, infusion
from ivigkit.validate import number_in_range

# Teaching assumption (nclex_ivig_vitals_rationale, unverified; no label fixes it): a check this
# many minutes after the infusion starts.
CHECK_AFTER_START_MIN = 15.0
# Teaching assumption (docsbay_home_igiv_policy says only 'throughout'): checks at this interval
# once the top rate is reached.
TOP_RATE_CHECK_EVERY_MIN = 30.0
# Observation after the infusion: at least 20 minutes routinely, at least 1 hour after a first
# infusion, a switch of product, a long gap or a high rate (ema_epi_privigen, ema_epi_kiovig).
OBSERVE_AFTER_MIN = 20.0
OBSERVE_AFTER_CLOSER_MIN = 60.0
# Teaching assumption (ema_epi_privigen says only 'reduce the rate or stop'): after a mild
# reaction settles, restart this many steps below the rate at which it began.
RESTART_STEPS_DOWN = 1

CHECK_MINUTES_RANGE = (5.0, 120.0)
STEPS_DOWN_RANGE = (0, 10)


@dataclass(frozen=True)
class Check:
    """One planned check: minutes from the start of the infusion, what and why, and its basis."""

    minute: float
    when: str           # a CHECK_WHEN value of data/infusion_monitoring.csv
    what: str
    basis: str          # label | local_protocol | assumption
    rate_mg_per_kg_min: float | None


@dataclass(frozen=True)
class MonitoringPlan:
    """The checks of one infusion, in time order, with the observation that follows it."""

    checks: tuple[Check, ...]
    infusion_minutes: float
    observe_after_min: float
    closer_observation: bool

    @property
    def vital_sign_checks(self) -> int:
        """Checks during the infusion, from the baseline to the end (not the observation)."""
        return sum(1 for c in self.checks if c.when != "after_infusion")

    @property
    def leave_after_min(self) -> float:
        """Minutes from the start until the observation ends."""
        return self.infusion_minutes + self.observe_after_min


def _checks_table():
    return data.load("infusion_monitoring").set_index("when")


def monitoring_plan(schedule: infusion.Schedule, *, closer_observation: bool = False,
                    check_after_start_min: float = CHECK_AFTER_START_MIN,
                    top_rate_check_every_min: float = TOP_RATE_CHECK_EVERY_MIN) -> MonitoringPlan:
    """The checks for one infusion ladder: a baseline, one soon after the start, one before each
    rate increase, regular checks at the top rate, one at the end, then the observation period
    (20 minutes, or 60 after a first infusion, a product switch, a long gap or a high rate)."""
    after_start = number_in_range("Minutes to the first check", check_after_start_min, *CHECK_MINUTES_RANGE, "min")
    every = number_in_range("Minutes between checks at the top rate", top_rate_check_every_min,
                            *CHECK_MINUTES_RANGE, "min")
    what = _checks_table()
    end = schedule.total_minutes
    steps = schedule.steps

    def check(minute: float, when: str, rate: float | None) -> Check:
        return Check(round(minute, 1), when, what.loc[when, "what"], what.loc[when, "basis"], rate)

    checks = [check(0.0, "before_start", None)]
    if after_start < end:
        checks.append(check(after_start, "after_start", steps[0].rate_mg_per_kg_min))
    for step in steps[1:]:
        checks.append(check(step.start_min, "each_rate_change", step.rate_mg_per_kg_min))
    top_start = steps[-1].start_min
    minute = top_start + every
    while minute < end - 1e-9:
        checks.append(check(minute, "top_rate_interval", steps[-1].rate_mg_per_kg_min))
        minute += every
    checks.append(check(end, "end_of_infusion", None))
    observe = OBSERVE_AFTER_CLOSER_MIN if closer_observation else OBSERVE_AFTER_MIN
    checks.append(check(end + observe, "after_infusion", None))
    checks.sort(key=lambda c: c.minute)
    return MonitoringPlan(tuple(checks), end, observe, closer_observation)


# -- reactions -------------------------------------------------------------------------------

ACTION_WORDS = {"slow_or_pause": "Slow the infusion or pause it", "stop": "Stop the infusion",
                "stop_and_emergency": "Stop the infusion at once and call for emergency help"}


@dataclass(frozen=True)
class ReactionResponse:
    """What to do for a reaction that began at one step of the ladder."""

    reaction_id: str
    reaction: str
    signs: str
    first_action: str
    who_to_call: str
    restart: str                          # a RESTARTS value of data/reaction_plan.csv
    restart_rate_mg_per_kg_min: float | None
    restart_rate_ml_per_h: float | None
    explanation: str
    source_ids: str
    verified: str


def reactions():
    """data/reaction_plan.csv, indexed by reaction_id."""
    return data.load("reaction_plan").set_index("reaction_id", drop=False)


def reaction_response(reaction_id: str, schedule: infusion.Schedule, step_index: int, *,
                      steps_down: int = RESTART_STEPS_DOWN) -> ReactionResponse:
    """The response to `reaction_id` starting during step `step_index` (0 = the first rate) of
    `schedule`. A mild reaction restarts, once settled, `steps_down` steps below that rate (a
    teaching assumption: the labels say only to reduce the rate or stop); a severe one never
    restarts at the chair side."""
    table = reactions()
    if reaction_id not in table.index:
        raise ValueError(f"Pick a reaction: '{reaction_id}' is not one of {', '.join(table.index)}.")
    last = len(schedule.steps) - 1
    if not isinstance(step_index, int) or isinstance(step_index, bool) or not 0 <= step_index <= last:
        raise ValueError(f"The reaction must start at one of the {last + 1} steps of this infusion "
                         f"(step 1 to {last + 1}); got {step_index + 1 if isinstance(step_index, int) else step_index}.")
    down = int(number_in_range("Steps down for the restart", steps_down, *STEPS_DOWN_RANGE, "steps"))
    row = table.loc[reaction_id]
    at = schedule.steps[step_index]
    rate = ml = None
    if row["restart"] == "lower_rate_when_settled":
        step = schedule.steps[max(step_index - down, 0)]
        rate, ml = step.rate_mg_per_kg_min, step.rate_ml_per_h
        lowest = step_index - down <= 0
        explanation = (f"Symptoms began at {at.rate_mg_per_kg_min:g} mg/kg/min. Once they settle, restart at "
                       f"{rate:g} mg/kg/min ({ml:.0f} mL/h)"
                       + (", the first rate of the ladder" if lowest else f", {down} step(s) lower")
                       + ", and raise it again only if tolerated. The labels say only to reduce the rate or stop; "
                         "the restart step is a teaching assumption that local policy or the prescriber sets.")
    elif row["restart"] == "prescriber_decides":
        explanation = "Whether and how to continue is the prescriber's decision."
    else:
        explanation = "Do not restart: the infusion is not resumed at the chair side."
    return ReactionResponse(reaction_id, row["reaction"], row["signs"], ACTION_WORDS[row["first_action"]],
                            row["who_to_call"], row["restart"], rate, ml, explanation, row["source_ids"],
                            row["verified"])


# -- the record ------------------------------------------------------------------------------

@dataclass(frozen=True)
class RecordCheck:
    """How complete a learner's infusion record is."""

    recorded: tuple[str, ...]
    missing: tuple[str, ...]      # item ids of documentation_items.csv not ticked
    total: int

    @property
    def missing_count(self) -> int:
        return len(self.missing)


def record_items():
    """data/documentation_items.csv, indexed by item_id."""
    return data.load("documentation_items").set_index("item_id", drop=False)


def check_record(recorded_ids: Iterable[str]) -> RecordCheck:
    """Compare the items a learner would record with documentation_items.csv."""
    table = record_items()
    chosen = tuple(dict.fromkeys(recorded_ids))
    unknown = [i for i in chosen if i not in table.index]
    if unknown:
        raise ValueError(f"Unknown record item(s): {', '.join(unknown)}.")
    missing = tuple(i for i in table.index if i not in chosen)
    return RecordCheck(chosen, missing, len(table))


# -- teach-back ------------------------------------------------------------------------------

QUESTION_KINDS = ("closed", "open")
ANSWER_KINDS = ("full", "partial")
JUDGEMENTS = ("understood", "explain_again")


@dataclass(frozen=True)
class TeachBackFeedback:
    point_id: str
    question_ok: bool
    judgement_ok: bool
    feedback: str


def teach_back_points():
    """data/teach_back.csv, indexed by point_id."""
    return data.load("teach_back").set_index("point_id", drop=False)


def judge_teach_back(point_id: str, question_kind: str, answer_kind: str, judgement: str) -> TeachBackFeedback:
    """Feedback on one teach-back round: was the question open (teach-back) or closed (yes/no),
    and did the learner judge the patient's answer rightly (a partial answer needs explaining
    again, a full one shows understanding)?"""
    table = teach_back_points()
    for value, allowed, what in ((point_id, tuple(table.index), "teaching point"),
                                 (question_kind, QUESTION_KINDS, "question kind"),
                                 (answer_kind, ANSWER_KINDS, "answer"), (judgement, JUDGEMENTS, "judgement")):
        if value not in allowed:
            raise ValueError(f"Pick a {what}: '{value}' is not one of {', '.join(allowed)}.")
    row = table.loc[point_id]
    question_ok = question_kind == "open"
    right = "understood" if answer_kind == "full" else "explain_again"
    judgement_ok = judgement == right
    parts = [("Good question: it asks the patient to say it in their own words." if question_ok else
              f"'{row['closed_question']}' can be answered yes or no, so it does not show understanding; "
              f"ask instead: '{row['open_question']}'")]
    if answer_kind == "full":
        parts.append("The answer covers what matters, so it shows understanding." if judgement_ok else
                     "This answer covers what matters; explaining again is not needed.")
    else:
        parts.append((f"Right: the answer misses {row['missing']}, so explain again in other words and re-check."
                      if judgement_ok else f"This answer misses {row['missing']}: explain again and re-check; "
                      "teach-back tests the explanation, not the patient."))
    return TeachBackFeedback(point_id, question_ok, judgement_ok, " ".join(parts))

