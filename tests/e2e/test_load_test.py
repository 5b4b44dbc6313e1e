"""`make load` works end to end, tiny: 2 students on one Voilà server, then the culler."""
import math

import pytest

from benchmarks import load_test as lt


@pytest.mark.voila
@pytest.mark.timeout(120)
def test_two_students_render_move_controls_and_their_kernels_are_culled(tmp_path):
    result = lt.run(2, ["00_start_here", "no_such_notebook"], moves=2, ramp_s=1, timeout_s=90,
                    cull_idle_s=10, cull_interval_s=1, out_dir=tmp_path,
                    log_name="voila-load-pytest.log")

    real, bogus = result.students
    assert real.render_ok and real.render_s > 0 and real.kernel_id, real.failures
    assert not real.failures
    assert real.page_complete and real.page_widgets == real.kernel_widgets > 0
    assert len(real.moves) == 2 and all(m.latency_ms > 0 and m.messages > 0 for m in real.moves)
    assert any(m.figure for m in real.moves), "a move on 00_start_here should redraw its figure"
    # The bogus notebook is a 404, counted as a failure, so the run as a whole fails.
    assert not bogus.render_ok and any("HTTP 404" in f for f in bogus.failures), bogus.failures
    assert not result.ok and len(result.failures) == 1
    assert result.peak_kernels >= 1 and result.peak_rss_mib > 0
    assert result.kernels_left == 0 and not math.isnan(result.cull_s)
    assert (tmp_path / "load.csv").read_text().count("\n") == 4  # header, 2 notebooks, all


def test_controls_are_found_in_the_apps_a_page_shows():
    box, slider, out, layout, note = (c * 32 for c in "abcde")
    states = {
        box: {"model_name": "VBoxModel", "state": {"children": [f"IPY_MODEL_{slider}",
                                                                f"IPY_MODEL_{out}"],
                                                   "layout": f"IPY_MODEL_{layout}"}},
        slider: {"model_name": "FloatSliderModel",
                 "state": {"value": 0.4, "min": 0.1, "max": 2.0, "step": 0.05}},
        out: {"model_name": "OutputModel", "state": {}},
        layout: {"model_name": "LayoutModel", "state": {}},
        note: {"model_name": "HTMLModel", "state": {"value": "<p>hi</p>"}},
    }
    assert sorted(lt.widget_tree(states)[1]) == [box, note]  # what the cells displayed
    assert lt.movable_controls(states, shown={box, note}) == [slider]
    assert lt.movable_controls(states, shown={note}) == []  # the app is missing from the page
    change = lt.new_value(states[slider], lt.random.Random(1))["value"]
    assert 0.1 <= change <= 2.0 and change != 0.4


@pytest.mark.voila
@pytest.mark.timeout(180)
def test_a_small_lecture_gets_pooled_kernels_and_every_closed_tab_frees_its_kernel(tmp_path):
    result = lt.run(2, ["00_start_here"], moves=2, ramp_s=1, timeout_s=150, out_dir=tmp_path,
                    log_name="voila-lecture-pytest.log", lecture_mode=True)

    assert result.mode == "lecture" and result.failures == [], result.failures
    assert all(s.render_ok and s.page_complete and len(s.moves) == 2 for s in result.students)
    log = (lt.LOG_DIR / "voila-lecture-pytest.log").read_text()
    assert log.count("Using pre-heated kernel") == 2, "each student took a kernel from the pool"
    assert result.kernels_left == 0, "a student kernel outlived its closed tab"
    assert result.pool_kernels_after == lt.lecture.spare_kernels(2), "the spares wait for latecomers"
    assert (tmp_path / "lecture.csv").exists() and (tmp_path / "lecture_summary.json").exists()


def test_a_lecture_pool_uses_unix_sockets_on_linux():
    """A pool of some 44 kernels starting at once over TCP lost jupyter_client's port race
    (jupyter/jupyter_client#487: a kernel died with "Address already in use" and the pool
    never filled); the lecture's kernels talk over Unix sockets instead."""
    import sys

    args = lt.lecture.pool_args("04_dose_and_cost.ipynb", 40)
    assert ("--KernelManager.transport=ipc" in args) == sys.platform.startswith("linux")
    assert '"pool_size": 44' in next(a for a in args if "kernel_pools_config" in a)
