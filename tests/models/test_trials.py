"""The trial and claim tables, and the explorer's guard rails, on the real data."""
import math

import pandas as pd
import pytest

from ivigkit import data, evidence, trials


@pytest.fixture(scope="module")
def table():
    return trials.trials()


def _filled(row, column):
    return pd.notna(row[column])


def test_every_derived_effect_recomputes_from_its_arm_values(table):
    checked = 0
    for _, row in table[table["effect_source"] == "derived"].iterrows():
        digits = len(repr(float(row["effect"])).split(".")[1])
        measure = row["effect_measure"]
        if _filled(row, "ivig_rate_per_year") and _filled(row, "control_rate_per_year"):
            ivig, control = row["ivig_rate_per_year"], row["control_rate_per_year"]
            expected = {"rate_ratio": ivig / control,
                        "relative_reduction_pct": 100 * (1 - ivig / control)}[measure]
        elif _filled(row, "ivig_events"):
            effect = (evidence.odds_ratio if measure == "odds_ratio" else evidence.risk_ratio)(
                row["ivig_events"], row["ivig_n"], row["control_events"], row["control_n"])
            expected = effect.ratio
        elif _filled(row, "ivig_pct"):
            expected = {"risk_ratio": row["ivig_pct"] / row["control_pct"],
                        "risk_difference": row["ivig_pct"] - row["control_pct"]}[measure]
        else:
            pytest.fail(f"{row['row_id']}: a derived effect with no arm values to derive it from")
        assert round(expected, digits) == pytest.approx(row["effect"]), row["row_id"]
        checked += 1
    assert checked >= 2


def test_rows_with_both_arm_rates_and_a_rate_effect_agree(table):
    # Reported or derived: where both rates and a rate-based effect are given, they must agree.
    rows = table[table["ivig_rate_per_year"].notna() & table["control_rate_per_year"].notna()
                 & table["effect_measure"].isin(["rate_ratio", "relative_reduction_pct"])
                 & table["ci_low"].isna()]
    for _, row in rows.iterrows():
        ratio = row["ivig_rate_per_year"] / row["control_rate_per_year"]
        value = ratio if row["effect_measure"] == "rate_ratio" else 100 * (1 - ratio)
        assert value == pytest.approx(row["effect"], abs=0.051), row["row_id"]


def test_the_issue_s_studies_are_all_in_the_table(table):
    labels = " ".join(table["study_label"]).lower()
    for name in ("aims", "achiron", "crossover", "lewanska", "privig", "esims", "pöhlau",
                 "noseworthy", "roed", "magraner"):
        assert name in labels, name
    populations = set(table["population"])
    assert {"rrms", "cis", "spms", "pregnancy_postpartum", "acute_relapse_optic_neuritis",
            "nmosd"} <= populations
    assert set(table["design"]) >= {"rct_parallel", "rct_crossover", "meta_analysis", "case_series"}


def test_unverified_rows_show_no_numbers(table):
    numeric = [c for c in table.columns if table[c].dtype.kind in "fi" and c not in
               ("year", "n_ivig", "n_control", "n_total")]
    for _, row in table[table["verified"] == "no"].iterrows():
        assert row[numeric].isna().all(), row["row_id"]


def test_every_claim_cites_studies_that_exist(table):
    claims = trials.claims()
    known = set(table["study_id"])
    assert len(claims) >= 9
    for _, claim in claims.iterrows():
        ids = trials.claim_study_ids(claim)
        assert set(ids) <= known, claim["claim_id"]
        assert ids or claim["topic"] in ("mechanism", "symptoms"), claim["claim_id"]


def test_the_issue_s_claims_are_covered():
    text = " ".join(trials.claims()["claim"]).lower()
    for needle in ("148", "59", "danish", "australian", "0.006", "ppms", "remyelin"):
        assert needle in text, needle


def test_a_claim_citing_an_unknown_study_is_a_data_error(data_copy):
    path = data_copy / "claims.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "study_ids"] = "no_such_study"
    frame.to_csv(path, index=False)
    with pytest.raises(data.DataError, match="no_such_study"):
        trials.claims()


def test_row_effect_prefers_the_reported_interval(table):
    row = table[(table["study_id"] == "achiron_2004_cis") & (table["effect_measure"] == "rate_ratio")].iloc[0]
    effect, basis = trials.row_effect(row)
    assert (effect.ratio, effect.ci_low, effect.ci_high) == (0.36, 0.15, 0.88)
    assert "reported" in basis


def test_crossover_rows_are_shown_but_not_pooled():
    rows = trials.effects(trials.select("rrms", "relapse_free"))
    assert "rct_crossover" in set(rows["design"])
    with pytest.raises(ValueError, match="crossover"):
        trials.check_poolable(rows)
    parallel = rows[rows["design"] == "rct_parallel"]
    pooled = trials.pool_rows(parallel)
    assert pooled.k == len(parallel) >= 2
    assert pooled.ci_low < pooled.ratio < pooled.ci_high


@pytest.mark.parametrize("population, outcome, reason", [
    ("rrms", None, "mix outcomes"),
    (None, "relapse_rate", "populations"),
    ("nmosd", "relapse_rate", "parallel-group randomised"),
])
def test_guard_rails_refuse_unlike_selections_and_say_why(population, outcome, reason):
    rows = trials.effects(trials.select(population, outcome))
    with pytest.raises(ValueError, match=reason):
        trials.check_poolable(rows)


def test_guard_rails_refuse_a_study_twice_and_rows_without_standard_errors(table):
    rows = trials.effects(trials.select("rrms", "relapse_free"))
    parallel = rows[rows["design"] == "rct_parallel"]
    with pytest.raises(ValueError, match="only once"):
        trials.check_poolable(pd.concat([parallel, parallel.iloc[[0]]]))
    no_se = parallel.assign(se_log=[None] + [*parallel["se_log"].iloc[1:]])
    with pytest.raises(ValueError, match="no confidence interval"):
        trials.check_poolable(no_se)


def test_pool_rows_equals_pool_on_the_same_numbers():
    rows = trials.effects(trials.select("rrms", "relapse_free"))
    parallel = rows[rows["design"] == "rct_parallel"]
    direct = evidence.pool([math.log(r) for r in parallel["ratio"]], parallel["se_log"], "fixed")
    assert trials.pool_rows(parallel, "fixed") == direct


def test_timeline_has_one_row_per_study_in_year_order(table):
    line = trials.timeline()
    assert list(line["study_id"]) == list(dict.fromkeys(line["study_id"]))
    assert set(line["study_id"]) == set(table["study_id"])
    assert line["year"].is_monotonic_increasing
    esims = line.set_index("study_id").loc["esims_2004"]
    assert esims["n"] == 318 and esims["result"] == "negative"


def test_unknown_filters_are_explained():
    with pytest.raises(ValueError, match="not a population"):
        trials.select("martians")
    with pytest.raises(ValueError, match="not an outcome"):
        trials.select(None, "happiness")


def test_the_rate_ratios_a_course_simulation_may_take_come_from_parallel_trials():
    rows = trials.relapse_rate_ratios()
    assert len(rows) >= 1 and set(rows["design"]) == {"rct_parallel"} and set(rows["measure"]) == {"rate_ratio"}
    first = rows.iloc[0]
    assert trials.rate_ratio_of(first["row_id"]) == pytest.approx(first["ratio"])
    assert trials.rate_ratio_of(first["row_id"]) == pytest.approx(
        first["ivig_rate_per_year"] / first["control_rate_per_year"])
    with pytest.raises(ValueError, match="no trial row"):
        trials.rate_ratio_of("no_such_row")


def test_select_can_keep_only_the_poolable_designs():
    everything = trials.select("rrms", "relapse_free")
    parallel = trials.select("rrms", "relapse_free", parallel_only=True)
    assert set(parallel["design"]) == set(trials.POOLABLE_DESIGNS) and len(parallel) < len(everything)


def test_an_nmosd_situation_brings_the_trial_rows_it_names():
    uses = trials.nmosd_uses().set_index("row_id")
    for row_id, row in uses.iterrows():
        situation = trials.nmosd_situation(row_id)
        assert list(situation.studies["row_id"]) == [r for r in trials.trials()["row_id"]
                                                     if r in data.source_ids(row["trial_row_ids"])]
        assert situation.study_count == situation.studies["study_id"].nunique()
    maintenance = trials.nmosd_situation("maintenance")
    assert "case series" in maintenance.designs and maintenance.study_count >= 2
    labels_only = trials.nmosd_situation("product_choice_comorbidity")
    assert labels_only.studies.empty and labels_only.designs == "no study in the trial table"


def test_an_nmosd_situation_naming_an_unknown_trial_row_is_a_data_error(data_copy):
    path = data_copy / "nmosd_use.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "trial_row_ids"] = "no_such_row"
    frame.to_csv(path, index=False)
    with pytest.raises(data.DataError, match="no_such_row"):
        trials.nmosd_situation(frame.loc[0, "row_id"])
