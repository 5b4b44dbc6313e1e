"""Notebook 02: the composition panel, the mechanism map and the FcRn app, headless."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ivigkit import data, dosing, pk
from ivigkit.apps.mechanisms import FcRnApp, MechanismMapApp, composition_panel
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
