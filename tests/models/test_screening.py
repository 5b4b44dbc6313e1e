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


def test_every_factor_cites_sources_and_the_required_ones_exist():
    table = screening.factors()
    for fid in ("iga_deficiency_anti_iga", "renal_impairment", "diabetes", "age_over_65", "dehydration",
                "heart_failure", "thrombosis_risk", "estrogen_use", "migraine", "non_o_blood_group",
                "live_vaccine", "glucose_meter_gdh_pqq"):
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


def test_rate_cap_need_marks_products_without_a_recorded_cap_for_checking():
    table = screening.product_suitability(["rate_cap"]).set_index("product_id")
    caps = products()["at_risk_max_rate_mg_per_kg_min"]
    for pid in products().index:
        assert table.loc[pid, "status"] == ("suitable" if pd.notna(caps[pid]) else "check")


def test_sorted_suitable_then_check_then_unsuitable():
    for needs in itertools.combinations(screening.NEEDS, 2):
        statuses = list(screening.product_suitability(needs)["status"])
        rank = [("suitable", "check", "unsuitable").index(s) for s in statuses]
        assert rank == sorted(rank)


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
