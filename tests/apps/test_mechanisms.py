"""Notebook 02: the bag (product card and composition tables), the mechanism map and the FcRn
app, headless, with their readouts for predict-first boxes."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivigkit import data, dosing, pk
from ivigkit.apps.mechanisms import BagApp, FcRnApp, MechanismMapApp, composition_panel
from ivigkit.apps.predict import predict
from ivigkit.data import catalog
from ivigkit.figures.mechanism import NODES, path_nodes
from ivigkit.data.vocab import MAP_NODES


def test_map_nodes_match_the_schema_vocabulary():
    assert set(NODES) == set(MAP_NODES)
    with pytest.raises(ValueError, match="Unknown map node"):
        path_nodes("ivig;spleen")


def test_every_mechanism_has_a_drawable_path_and_sources():
    table = data.load("mechanisms")
    assert len(table) >= 6
    for row in table.itertuples():
        assert path_nodes(row.map_path)[0] == "ivig"
        assert data.cite(row.source_ids).shape[0] >= 1
    assert "hypothesis" in set(table["certainty_in_ms"])


def test_selecting_a_mechanism_highlights_its_path_and_shows_its_card():
    app = MechanismMapApp()
    table = data.load("mechanisms").set_index("mechanism_id")
    for mechanism_id in table.index[:3]:
        app.mechanism.value = mechanism_id
        assert table.loc[mechanism_id, "name"] in app.card.value
        arrows = app.panel.figure.layout.annotations
        assert len(arrows) == len(path_nodes(table.loc[mechanism_id, "map_path"])) - 1
        assert table.loc[mechanism_id, "name"] in app.panel.figure.layout.title.text


def test_composition_panel_lists_components_and_products():
    html = composition_panel().value
    assert "What is in a bag" in html and "How the products differ" in html
    assert "Privigen" in html


def test_bag_app_shows_the_chosen_products_label_and_reads_its_sugar():
    app = BagApp()
    assert app.result.product_id == "octagam_10" and app.readouts["sugar"].read(app.result) == "maltose"
    assert "Octagam 10%" in app.card.value and "maltose 90 mg/mL" in app.card.value
    for product in catalog.products():
        app.product.value = product.product_id
        assert app.result == product
        assert app.readouts["sugar"].read(app.result) == product.sugar
        assert product.name in app.card.value
    app.product.value = "gammagard_sd"
    assert "at most 1 µg/mL" in app.card.value  # IgA with its basis, as the label gives it
    assert "How the products differ" in app.tables.value  # the tables show under the card


def test_a_prediction_about_the_bag_compares_with_the_chosen_product():
    app = BagApp()
    box = predict(app, "sugar", "Privigen: which sugar?", choices=("none", "maltose"))
    box.answer.value = "none"
    box.button.click()
    app.product.value = "privigen"
    box.button.click()
    assert box.comparisons == [("none", "none")] and "the same." in box.message.value


def test_mechanism_map_reads_the_certainty_of_the_chosen_mechanism():
    app = MechanismMapApp("remyelination")
    table = data.load("mechanisms").set_index("mechanism_id")
    assert app.readouts["certainty"].read(app.result) == "not supported by the evidence"
    for mechanism_id in table.index:
        app.mechanism.value = mechanism_id
        assert app.result["mechanism_id"] == mechanism_id
        certainty = app.readouts["certainty"].read(app.result)
        assert certainty in app.certainties and certainty in app.card.value
    app.mechanism.value = "fcrn_saturation"
    assert app.readouts["certainty"].read(app.result) == "a hypothesis"


def test_a_prediction_about_a_mechanism_compares_with_the_map():
    app = MechanismMapApp("remyelination")
    box = predict(app, "certainty", "FcRn saturation in MS?", choices=app.certainties)
    box.answer.value = "shown in patients"
    box.button.click()
    app.mechanism.value = "fcrn_saturation"
    box.button.click()
    assert box.comparisons == [("shown in patients", "a hypothesis")]
    assert "not what you predicted" in box.message.value


def test_a_prediction_about_a_lower_dose_compares_with_the_fcrn_app():
    app = FcRnApp()
    box = predict(app, "lowest_pct", "0.4 g/kg: the lowest level?")
    box.answer.value = "95"
    box.button.click()
    app.dose.value = 0.4
    box.button.click()
    shown = app.result.lows[app.result.chosen_g_per_kg].lowest_pct
    assert box.comparisons == [(95.0, shown)] and shown < 95 and "too high" in box.message.value


def test_fcrn_app_falls_further_with_a_higher_dose():
    app = FcRnApp(dose_g_per_kg=0.4)
    low_04 = app.result.lows[app.result.chosen_g_per_kg].lowest_pct
    app.dose.value = 2.0
    low_2 = app.result.lows[app.result.chosen_g_per_kg].lowest_pct
    assert low_2 < low_04 < 100
    assert "falls to" in app.card.value and "Bleeker" in app.card.value
    assert len(app.panel.figure.data) == 3  # 0.4, 1 and 2 g/kg (the chosen dose is one of them)
    app.dose.value = 1.5
    assert len(app.panel.figure.data) == 4


def test_fcrn_app_bad_weight_is_explained_and_the_plot_stays():
    app = FcRnApp()
    figure = app.panel.figure
    app.weight.value = 0
    assert "Weight must be between" in app.message.value
    assert app.panel.figure is figure


@settings(max_examples=25, deadline=None)
@given(low=st.floats(0.2, 1.9), step=st.floats(0.05, 1.0), days=st.integers(1, 5),
       volume=st.floats(0.03, 0.2))
def test_autoantibody_falls_further_with_a_higher_dose_and_stays_positive(low, step, days, volume):
    high = min(low + step, 2.0)
    lows = []
    for g_per_kg in (low, high):
        plan = dosing.plan_infusions(70, g_per_kg / days, days)
        profile = pk.autoantibody_profile(plan, 70, volume_l_per_kg=volume, days=84)
        assert (profile["autoantibody_pct"] > 0).all()
        lows.append(pk.autoantibody_low(profile).lowest_pct)
    assert lows[1] <= lows[0] + 1e-9


def test_autoantibody_low_rejects_other_tables():
    with pytest.raises(ValueError, match="autoantibody_pct"):
        pk.autoantibody_low(pk.igg_profile([(0, 28)], 70))
