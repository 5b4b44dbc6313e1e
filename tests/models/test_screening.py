"""ivigkit.screening: each factor's flag appears when it is ticked and only then; products
are sorted by the needs the flags add up to."""
import itertools

import pandas as pd
import pytest

from ivigkit import data, screening

FACTORS = list(screening.factors().index)


@pytest.mark.parametrize("factor_id", FACTORS)
def test_each_flag_appears_for_its_factor_and_only_then(factor_id):
    alone = screening.screen([factor_id])
    assert [f.factor_id for f in alone.flags] == [factor_id]
    others = [f for f in FACTORS if f != factor_id]
    assert factor_id not in {f.factor_id for f in screening.screen(others).flags}
    row = screening.factors().loc[factor_id]
    assert alone.flags[0].severity == row["severity"] and alone.flags[0].flag == row["flag"]
    assert alone.contraindicated == (row["severity"] == "contraindication")
    assert alone.rules_out_products == (row["severity"] == "product_contraindication")


def test_no_factor_no_flag_and_every_product_suitable_or_checked():
    result = screening.screen([])
    assert result.flags == () and result.needs == () and not result.contraindicated
    assert set(screening.product_suitability(result.needs)["status"]) == {"suitable"}


def test_flags_come_most_serious_first_and_needs_are_the_union():
    result = screening.screen(FACTORS)
    order = [screening.SEVERITY_ORDER.index(f.severity) for f in result.flags]
    assert order == sorted(order)
    union = {n for f in result.flags for n in f.needs}
    assert set(result.needs) == union
    assert not set(result.prefers) & set(result.needs)


def test_every_factor_cites_sources_and_the_required_ones_exist():
    table = screening.factors()
    for fid in ("iga_deficiency_anti_iga", "renal_impairment", "diabetes", "age_over_65", "dehydration",
                "heart_failure", "thrombosis_risk", "estrogen_use", "migraine", "non_o_blood_group",
                "live_vaccine", "glucose_meter_gdh_pqq", "hyperprolinaemia", "hereditary_fructose_intolerance"):
        assert fid in table.index, fid
    for cell in table["source_ids"]:
        assert len(data.cite(cell)) >= 1


def products():
    return data.load("products").set_index("product_id")


def test_no_sugar_keeps_sugar_free_products_and_rejects_sugared_ones():
    table = screening.product_suitability(["no_sugar"]).set_index("product_id")
    sugar = products()["sugar"]
    for pid, status in table["status"].items():
        expected = {"none": "suitable", "unknown": "check"}.get(sugar[pid], "unsuitable")
        assert status == expected, pid


def test_no_maltose_rejects_exactly_the_maltose_products():
    table = screening.product_suitability(["no_maltose"]).set_index("product_id")
    maltose = set(products().index[products()["sugar"] == "maltose"])
    assert maltose and set(table.index[table["status"] == "unsuitable"]) == maltose


def test_low_iga_follows_the_threshold_the_learner_sets():
    iga = products()["iga_ug_per_ml"]
    strict = screening.product_suitability(["low_iga"], iga_max_ug_per_ml=20).set_index("product_id")
    loose = screening.product_suitability(["low_iga"], iga_max_ug_per_ml=200).set_index("product_id")
    for pid in products().index:
        if pd.isna(iga[pid]):
            assert strict.loc[pid, "status"] == loose.loc[pid, "status"] == "check"
        else:
            assert (strict.loc[pid, "status"] == "suitable") == (iga[pid] <= 20)
            assert (loose.loc[pid, "status"] == "suitable") == (iga[pid] <= 200)


def test_at_risk_ceiling_text_says_when_it_adds_no_restriction():
    table = screening.product_suitability([]).set_index("product_id")
    assert "no extra restriction" in table.loc["gamunex_c", "at_risk_cap"]
    assert "no extra restriction" in table.loc["octagam_5", "at_risk_cap"]
    assert "lower than the usual maximum" in table.loc["octagam_10", "at_risk_cap"]
    assert "none in the label read" in table.loc["privigen", "at_risk_cap"]


def test_sorted_suitable_then_check_then_second_choice_then_unsuitable():
    for needs in itertools.combinations(screening.NEEDS, 2):
        for prefers in ((), ("no_sugar",)):
            statuses = list(screening.product_suitability(needs, prefers=prefers)["status"])
            rank = [screening.STATUSES.index(s) for s in statuses]
            assert rank == sorted(rank)


def test_diabetes_and_renal_impairment_never_put_a_sugared_product_above_a_sugar_free_one():
    """The issue's case: sugar-free products first, maltose and glucose products only as second
    choices, and a product whose sugars are unknown in between (read its label)."""
    result = screening.screen(["diabetes", "renal_impairment"])
    assert result.needs == ("no_sucrose",)
    assert set(result.prefers) >= {"no_maltose", "no_glucose", "no_sugar"}
    table = screening.product_suitability(result.needs, prefers=result.prefers).set_index("product_id")
    sugar = products()["sugar"]
    for pid, row in table.iterrows():
        if sugar[pid] == "none":
            assert row["status"] == "suitable", pid
        elif sugar[pid] in ("maltose", "glucose", "sorbitol"):
            assert row["status"] == "second_choice", pid
    # a sucrose-free product with other sugars not stated is 'check', not penalised for sucrose
    assert table.loc["gamunex_c", "status"] == "check" and "no sucrose" not in table.loc["gamunex_c", "unknown"]
    order = list(table["status"])
    assert order.index("check") > order.index("suitable")
    assert max(i for i, s in enumerate(order) if s == "check") < order.index("second_choice")


def test_a_gdh_pqq_meter_rules_maltose_out_and_explains_why():
    result = screening.screen(["diabetes", "glucose_meter_gdh_pqq"])
    assert "no_maltose" in result.needs and "no_maltose" not in result.prefers
    table = screening.product_suitability(result.needs, prefers=result.prefers).set_index("product_id")
    assert table.loc["octagam_5", "status"] == table.loc["octagam_10", "status"] == "unsuitable"
    assert "GDH-PQQ" in table.loc["octagam_10", "reasons"]
    assert table.loc["gammagard_sd", "status"] == "second_choice"   # glucose: a preference only


def test_the_two_label_contraindications_rule_out_only_their_products():
    proline = screening.screen(["hyperprolinaemia"])
    assert proline.rules_out_products and not proline.contraindicated
    table = screening.product_suitability(proline.needs).set_index("product_id")
    assert set(table.index[table["status"] == "unsuitable"]) == {"privigen"}
    assert "hyperprolinaemia" in table.loc["privigen", "reasons"]
    hfi = screening.screen(["hereditary_fructose_intolerance"])
    table = screening.product_suitability(hfi.needs).set_index("product_id")
    assert set(table.index[table["status"] == "unsuitable"]) == {"flebogamma_5_dif", "flebogamma_10_dif"}
    assert "fructose" in table.loc["flebogamma_5_dif", "reasons"]


def test_every_sugar_need_has_a_reason_from_the_stabilisers_table():
    for need in screening.EXCLUDED_STABILISER:
        assert len(screening.stabiliser_reason(need)) > 40, need
    assert screening.stabiliser_reason("low_iga") == ""


@pytest.mark.parametrize("call, message", [
    (lambda: screening.screen(["martian_blood"]), "Unknown patient factor"),
    (lambda: screening.product_suitability(["gluten_free"]), "Unknown product need"),
    (lambda: screening.product_suitability(["low_iga"], iga_max_ug_per_ml=-5), "IgA limit must be between"),
    (lambda: screening.product_suitability(["low_osmolality"], osmolality_max_mosm_per_kg="low"),
     "osmolality limit must be a number"),
])
def test_bad_input_is_explained(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_renal_and_thrombotic_risk_factors_put_the_patient_at_risk():
    # The boxed-warning risk factors (kidney or clot) make the patient 'at risk'; a meter or a
    # migraine does not.
    assert screening.screen(["estrogen_use"]).at_risk
    assert screening.screen(["renal_impairment", "migraine"]).at_risk
    assert not screening.screen(["glucose_meter_gdh_pqq", "migraine"]).at_risk
    assert not screening.screen([]).at_risk
