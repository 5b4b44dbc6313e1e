"""ivigkit.nursing: the monitoring plan follows the ladder, reactions restart at the right step
or not at all, the record check finds what is missing, teach-back feedback is right."""
import pytest

from ivigkit import infusion, nursing

OCTAGAM = infusion.schedule(dose_g=28, weight_kg=70, product_id="octagam_10")   # 28 g ends during the 4th step (8 mg/kg/min)


def test_plan_checks_before_start_after_start_each_increase_and_at_the_end():
    plan = nursing.monitoring_plan(OCTAGAM)
    whens = [c.when for c in plan.checks]
    assert whens[0] == "before_start" and whens[-2:] == ["end_of_infusion", "after_infusion"]
    increases = [c for c in plan.checks if c.when == "each_rate_change"]
    assert [c.minute for c in increases] == [round(s.start_min, 1) for s in OCTAGAM.steps[1:]]
    assert [c.rate_mg_per_kg_min for c in increases] == [s.rate_mg_per_kg_min for s in OCTAGAM.steps[1:]]
    assert all(a.minute <= b.minute for a, b in zip(plan.checks, plan.checks[1:]))
    assert plan.infusion_minutes == pytest.approx(OCTAGAM.total_minutes)


def test_observation_is_20_minutes_or_an_hour_for_closer_observation():
    assert nursing.monitoring_plan(OCTAGAM).observe_after_min == nursing.OBSERVE_AFTER_MIN == 20
    closer = nursing.monitoring_plan(OCTAGAM, closer_observation=True)
    assert closer.observe_after_min == nursing.OBSERVE_AFTER_CLOSER_MIN == 60
    assert closer.leave_after_min == pytest.approx(OCTAGAM.total_minutes + 60)


def test_top_rate_checks_follow_the_interval_the_learner_sets():
    long = infusion.schedule(dose_g=140, weight_kg=70, product_id="privigen")
    often = nursing.monitoring_plan(long, top_rate_check_every_min=15)
    rarely = nursing.monitoring_plan(long, top_rate_check_every_min=60)
    count = lambda plan: sum(c.when == "top_rate_interval" for c in plan.checks)  # noqa: E731
    assert count(often) > count(rarely) >= 0
    assert often.vital_sign_checks > rarely.vital_sign_checks
    top_start = long.steps[-1].start_min
    minutes = [c.minute for c in often.checks if c.when == "top_rate_interval"]
    assert minutes and minutes[0] == pytest.approx(top_start + 15, abs=0.1)


def test_basis_comes_from_the_table():
    plan = nursing.monitoring_plan(OCTAGAM)
    basis = {c.when: c.basis for c in plan.checks}
    assert basis["each_rate_change"] == "assumption" and basis["after_infusion"] == "label"


def test_mild_reaction_restarts_one_step_down_and_severe_ones_never():
    mild = nursing.reaction_response("mild_infusion_reaction", OCTAGAM, 2)
    assert mild.restart_rate_mg_per_kg_min == OCTAGAM.steps[1].rate_mg_per_kg_min == 2
    assert mild.restart_rate_ml_per_h == pytest.approx(OCTAGAM.steps[1].rate_ml_per_h)
    assert "teaching assumption" in mild.explanation
    first = nursing.reaction_response("mild_infusion_reaction", OCTAGAM, 0)
    assert first.restart_rate_mg_per_kg_min == OCTAGAM.steps[0].rate_mg_per_kg_min
    two_down = nursing.reaction_response("mild_infusion_reaction", OCTAGAM, 3, steps_down=2)
    assert two_down.restart_rate_mg_per_kg_min == OCTAGAM.steps[1].rate_mg_per_kg_min
    for severe in ("anaphylaxis", "trali", "thrombosis_signs"):
        r = nursing.reaction_response(severe, OCTAGAM, 2)
        assert r.restart_rate_mg_per_kg_min is None and "emergency" in r.first_action.lower()
    assert nursing.reaction_response("aseptic_meningitis", OCTAGAM, 1).restart == "prescriber_decides"


@pytest.mark.parametrize("call, message", [
    (lambda: nursing.reaction_response("sneezing", OCTAGAM, 0), "Pick a reaction"),
    (lambda: nursing.reaction_response("anaphylaxis", OCTAGAM, 9), "one of the 4 steps"),
    (lambda: nursing.reaction_response("mild_infusion_reaction", OCTAGAM, 1, steps_down=-1), "Steps down"),
    (lambda: nursing.monitoring_plan(OCTAGAM, check_after_start_min=0), "first check"),
    (lambda: nursing.check_record(["lot_number", "horoscope"]), "Unknown record item"),
    (lambda: nursing.judge_teach_back("delayed_headache", "rhetorical", "full", "understood"), "question kind"),
])
def test_bad_input_is_explained(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_record_check_lists_what_is_missing():
    everything = list(nursing.record_items().index)
    assert nursing.check_record(everything).missing == ()
    partial = nursing.check_record(["product_name", "lot_number"])
    assert "rates_and_times" in partial.missing and "lot_number" not in partial.missing
    assert partial.missing_count == partial.total - 2


def test_teach_back_rewards_open_questions_and_explaining_again_after_a_partial_answer():
    good = nursing.judge_teach_back("delayed_headache", "open", "partial", "explain_again")
    assert good.question_ok and good.judgement_ok and "explain again" in good.feedback
    closed = nursing.judge_teach_back("delayed_headache", "closed", "full", "understood")
    assert not closed.question_ok and closed.judgement_ok and "yes or no" in closed.feedback
    wrong = nursing.judge_teach_back("clot_signs", "open", "partial", "understood")
    assert not wrong.judgement_ok
