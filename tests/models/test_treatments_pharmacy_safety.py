"""ivigkit.treatments (where IVIG sits), ivigkit.pharmacy (product choice as a decision) and
ivigkit.safety (adverse-event comparisons)."""
import pandas as pd
import pytest

from ivigkit import data, pharmacy, safety, treatments


def test_avoiding_self_injection_leaves_oral_and_infused_options_for_relapsing_ms():
    everything = treatments.select("relapsing_ms")
    no_injection = treatments.select("relapsing_ms", exclude_routes=("self_injection",))
    routes = {t.route for t in no_injection.shown}
    assert routes == {"oral", "infusion"}
    assert 0 < no_injection.approved_count < everything.approved_count
    assert any(t.treatment == "Natalizumab" for t in no_injection.approved)
    assert not any(t.treatment == "Ofatumumab" for t in no_injection.shown)   # injected under the skin


def test_ivig_is_never_counted_as_approved():
    for use in ("relapsing_ms", "ppms", "nmosd", "pregnancy_breastfeeding"):
        selection = treatments.select(use)
        assert all(t.treatment_class != "immunoglobulin" for t in selection.approved), use
        assert any(t.treatment_class == "immunoglobulin" for t in selection.shown), use
        hidden = treatments.select(use, include_ivig=False)
        assert all(t.treatment_class != "immunoglobulin" for t in hidden.shown)


def test_ppms_has_one_approved_medicine_and_nmosd_four():
    assert [t.treatment for t in treatments.select("ppms").approved] == ["Ocrelizumab"]
    assert treatments.select("nmosd").approved_count == 4


def test_selection_table_shows_agency_and_year():
    table = treatments.select("nmosd").table()
    assert "FDA 2019" in set(table["Agency and year"]) and "none" in set(table["Agency and year"])


@pytest.mark.parametrize("call, message", [
    (lambda: treatments.select("migraine"), "Pick a use"),
    (lambda: treatments.select("nmosd", exclude_routes=("teleportation",)), "Unknown route"),
    (lambda: treatments.fact("nope"), "no fact"),
    (lambda: pharmacy.choose_product(["diabetes"], ["a fridge in the car"]), "Unknown setting need"),
])
def test_bad_input_is_explained(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_context_facts_by_topic():
    prevalence = treatments.context("prevalence")
    assert set(prevalence["topic"]) == {"prevalence"} and len(prevalence) >= 4
    assert treatments.fact("world_prevalence_2020")["value"] == 35.9


def test_product_choice_screens_first_then_checks_the_setting():
    plain = pharmacy.choose_product(["diabetes"])
    assert plain.first_choice == "Privigen" and plain.suitable_count >= 3
    no_fridge = pharmacy.choose_product(["diabetes"], ["room_temperature_25"])
    table = no_fridge.table.set_index("product_id")
    assert table.loc["privigen", "status"] == "suitable"                 # EU leaflet: not above 25 C
    assert table.loc["gammagard_liquid", "status"] == "check"            # handling not read
    assert no_fridge.suitable_count < plain.suitable_count
    powder = pharmacy.choose_product([], ["ready_to_use"]).table.set_index("product_id")
    assert powder.loc["gammagard_sd", "status"] == "unsuitable" and "reconstitution" in powder.loc["gammagard_sd", "reasons"]


def test_a_contraindication_stops_the_product_choice():
    choice = pharmacy.choose_product(["iga_deficiency_anti_iga"])
    assert set(choice.table["status"]) == {"unsuitable"} and choice.first_choice == "none"


def test_comparisons_know_their_no_effect_value():
    rows = pd.DataFrame([dict(row_id="a", event="e", denominator="comparison", comparison_value=0.7,
                              comparison_ci_low=-0.2, comparison_ci_high=2.0,
                              comparison_unit="risk_difference_percentage_points", comparison_window="1 year",
                              population="p", verified="yes", source_ids="x"),
                         dict(row_id="b", event="e", denominator="comparison", comparison_value=1.07,
                              comparison_ci_low=1.01, comparison_ci_high=1.2, comparison_unit="relative_risk",
                              comparison_window="days 0-13", population="p", verified="yes", source_ids="x"),
                         dict(row_id="c", event="e", denominator="per_patient", comparison_value=None,
                              comparison_ci_low=None, comparison_ci_high=None, comparison_unit=None,
                              comparison_window=None, population="p", verified="yes", source_ids="x")])
    a, b = safety.comparisons(rows)
    assert (a.no_effect_value, a.significant) == (0.0, False)
    assert (b.no_effect_value, b.significant) == (1.0, True)
    assert "percentage points" in a.sentence() and "1 year" in a.sentence()
    assert len(safety.comparisons(data.load("adverse_events"))) >= 6
