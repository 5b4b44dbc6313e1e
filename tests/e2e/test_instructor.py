"""The instructor folder on live servers: a student server (Voila over notebooks/, as `make app`
runs it) answers 404 for the case key, and `make instructor` serves the key, the session plans and
the class report, which reads answer files that learners' pages downloaded in Chromium.

One instructor server for the module; the student pages come from the session's Voila server.
Explicit waits only."""
from __future__ import annotations

import re
import shutil
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.e2e.test_make_app import INSTRUCTOR_PATHS
from tests.support import ASSESSMENTS, REPO
from tests.support.browser import AppPage, offline_page
from tests.support.pages import FIRST_RENDER_MS, OUTPUTS_RENDERED, UPDATE_MS, assert_clean, check_first_question
from tests.support.pages import open_page
from tests.support.rendered import fetch, scan
from tests.support.servers import HOST, LOG_DIR, free_port, kernel_id_of, running_server, shutdown_kernel

pytestmark = [pytest.mark.voila]

PAGES = ("case_key.ipynb", "class_report.ipynb", "session_plans.ipynb")


@pytest.fixture(scope="module")
def instructor_url():
    """`make instructor` on a free port (127.0.0.1), for the module."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    port = free_port()
    base = f"http://{HOST}:{port}"
    with running_server(["make", "--no-print-directory", "instructor", f"INSTRUCTOR_PORT={port}"], base_url=base,
                        cwd=REPO, log_path=LOG_DIR / "make-instructor.log", startup_timeout=180):
        yield base


def test_the_student_server_answers_404_for_the_key(voila_url):
    for path in INSTRUCTOR_PATHS:
        assert fetch(voila_url + path)[0] == 404, path
    status, tree = fetch(voila_url + "/")
    assert status == 200 and "case_key" not in tree and "instructor" not in tree


def test_the_assessment_page_is_served_to_students(voila_url):
    (page_path,) = ASSESSMENTS
    status, page = fetch(f"{voila_url}/voila/render/assessment/{quote(page_path.name)}")
    shutdown_kernel(voila_url, kernel_id_of(page))
    text, problems = scan(page)
    assert status == 200 and not problems, problems
    assert "Pre/post test" in text and "pre_post_test()" not in text


def test_make_instructor_serves_the_key_and_not_the_files(instructor_url):
    status, tree = fetch(instructor_url + "/")
    assert status == 200
    assert sorted(set(re.findall(r'href="[^"]*?/([^/"?]+\.ipynb)\??"', tree))) == sorted(PAGES)
    status, page = fetch(instructor_url + "/voila/render/case_key.ipynb")
    shutdown_kernel(instructor_url, kernel_id_of(page))
    text, problems = scan(page)
    assert status == 200 and not problems, problems
    assert "Instructor key: patient cases" in text and "cdn.jsdelivr.net" not in page
    for path in ("/voila/files/keys/pre_post_a.yaml", "/voila/files/plans/03_evidence_lecture.md",
                 "/voila/files/case_key.ipynb"):
        assert fetch(instructor_url + path)[0] in (403, 404), path
    assert f"http://{HOST}:" in (LOG_DIR / "make-instructor.log").read_text()


@pytest.fixture
def instructor_page(chromium, instructor_url):
    context, page, log = offline_page(chromium, viewport={"width": 1280, "height": 900})
    yield AppPage(page, log, instructor_url)
    context.close()


def open_instructor(app_page, name: str) -> None:
    open_page(app_page, f"{app_page.base_url}/voila/render/{name}",
              lambda page: page.wait_for_function(OUTPUTS_RENDERED, timeout=FIRST_RENDER_MS, polling=100))


@pytest.mark.browser
@pytest.mark.timeout(240)
def test_a_session_plan_renders_offline(instructor_page):
    page = instructor_page.page
    open_instructor(instructor_page, "session_plans.ipynb")
    app = page.locator(".ivig-app-SessionPlanApp")
    app.get_by_label("Notebook").select_option(label="03: What the evidence shows: trials, pooling and checking claims")
    app.get_by_role("button", name="Seminar, 2 hours").click()
    plan = app.locator(".ivig-plan")
    expect(plan.locator("h1")).to_contain_text("Seminar, 2 hours", timeout=UPDATE_MS)
    expect(plan.locator("table").first).to_contain_text("Total")
    expect(plan.get_by_text("Model answer:").first).to_be_visible()
    assert plan.locator("h2").count() >= 7
    assert_clean(instructor_page, app_errors_expected=False)


def hand_in_the_test(learner: AppPage, folder):
    """Take form A as a learner: answer two questions, hand in, save the CSV and the JSON."""
    page = learner.page
    open_page(learner, f"{learner.base_url}/voila/render/assessment/pre_post_test.ipynb",
              lambda p: p.wait_for_function(OUTPUTS_RENDERED, timeout=FIRST_RENDER_MS, polling=100))
    test = page.locator(".ivig-test")
    test.get_by_label(re.compile("Form A")).check()
    test.locator(".ivig-test-start").click()
    questions = test.locator(".ivig-quiz-question")
    expect(questions).to_have_count(20, timeout=UPDATE_MS)
    questions.nth(0).locator(".widget-radio-box input").first.check()
    numeric = questions.nth(1).locator(".widget-text input")
    numeric.fill("32.8")
    numeric.press("Enter")
    hand_in = test.locator(".ivig-test-hand-in")
    hand_in.click()
    expect(test.locator(".ivig-test-status")).to_contain_text("press Hand in again", timeout=UPDATE_MS)
    hand_in.click()
    expect(test.locator(".ivig-test-status")).to_contain_text("Handed in: 2 of 20", timeout=UPDATE_MS)
    saved = [download(page, test.locator(f'.ivig-quiz-download a[download$=".{kind}"]').first, folder)
             for kind in ("csv", "json")]
    assert_clean(learner, app_errors_expected=False)
    return saved


def download(page, link, folder):
    with page.expect_download(timeout=30_000) as info:
        link.click()
    saved = folder / info.value.suggested_filename
    info.value.save_as(saved)
    return saved


@pytest.mark.browser
@pytest.mark.timeout(300)
def test_the_class_report_reads_files_exported_by_the_pages(chromium, app_page, instructor_page, tmp_path):
    """Answer a self-check and hand in the pre/post test as a learner does, save the downloads
    (CSV and JSON) to a folder, then read that folder in the instructor's class report."""
    from ivigkit import report
    from ivigkit.data import answer_files

    folder = tmp_path / "answers"
    folder.mkdir()
    page = app_page.page
    # 1. A self-check: answer question 1, then download both files.
    notebook = REPO / "notebooks" / "00_start_here.ipynb"
    open_page(app_page, f"{app_page.base_url}/voila/render/{notebook.name}",
              lambda p: p.wait_for_function(OUTPUTS_RENDERED, timeout=FIRST_RENDER_MS, polling=100))
    spec, quiz = check_first_question(app_page, notebook)
    saved = [download(page, quiz.locator(f'.ivig-quiz-download a[download$=".{kind}"]').first, folder)
             for kind in ("csv", "json")]
    assert saved[0].stem == saved[1].stem and saved[0].name.startswith("00_start_here_")
    assert_clean(app_page, app_errors_expected=False)
    # 2. The pre/post test, in a tab of its own: form A, two answers, hand in, download both files.
    context, page, log = offline_page(chromium, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    learner = AppPage(page, log, app_page.base_url)
    try:
        saved += hand_in_the_test(learner, folder)
    finally:
        kernel_id = kernel_id_of(page.content())
        page.close(run_before_unload=True)
        context.close()
        shutdown_kernel(app_page.base_url, kernel_id)
    # 3. The files as the report reads them, in this process.
    texts, unread = answer_files.read_answer_folder(folder)
    assert not unread and len(texts) == 4
    selfcheck = report.class_report("00_start_here", texts)
    assert len(selfcheck.files) == 1 and selfcheck.questions[0].learners == 1
    assert {s.reason.split(":")[0] for s in selfcheck.skipped} == {"duplicate", "it holds answers for pre_post_a, not for 00_start_here"}
    prepost = report.class_report(report.PRE_POST, texts)
    (handed,) = prepost.files
    assert handed.notebook == "pre_post_a" and len(handed.records) == 2
    assert all(not r.graded for r in handed.records)
    right_dose = next(r for r in prepost.questions if r.question_id == "a_dose_grams")
    assert (right_dose.learners, right_dose.first_right) == (1, 1)  # 32.8 g, graded by the key

    # 4. The same folder in the instructor's class report page.
    ipage = instructor_page.page
    open_instructor(instructor_page, "class_report.ipynb")
    app = ipage.locator(".ivig-app-ClassReportApp")
    box = app.get_by_label("Folder of answer files")
    box.fill(str(folder))
    box.press("Enter")
    summary = app.locator(".ivig-result").first
    expect(summary).to_contain_text("1 learner file used, 3 skipped", timeout=UPDATE_MS)
    skipped = app.locator(".ivig-report-skipped")
    expect(skipped).to_contain_text("not for pre_post_a or pre_post_b")
    expect(skipped).to_contain_text("duplicate: the same answers as")
    expect(app.locator(".ivig-report-pairs")).to_contain_text("Only one form so far")
    app.get_by_label("Report on").select_option(label="Self-check 00_start_here")
    expect(summary).to_contain_text("1 learner file used, 3 skipped", timeout=UPDATE_MS)
    expect(app.locator(".ivig-report-learners")).to_contain_text(selfcheck.files[0].learner_code)
    expect(app.locator(".ivig-figure .js-plotly-plot")).to_have_count(1, timeout=UPDATE_MS)
    assert_clean(instructor_page, app_errors_expected=False)
