"""claimtrack serve in a real headless Chromium: a reader's path from the home page to a claim and the report.

Needs the system's Chromium and ChromeDriver (Debian: chromium, chromium-driver; .ci/run installs them).
Screenshots of each page are kept in the test's tmp_path.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile

import pytest

from conftest import ok
from web_server import EXAMPLE, running

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="browser tests skipped: no Chromium and ChromeDriver found (apt-get install chromium chromium-driver)",
)


@pytest.fixture
def browser(tmp_path):
    """Headless Chromium driven by ChromeDriver, with a new empty profile and no network of its own."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(dir=tmp_path, prefix="profile-")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1280,1600"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def served(db_path):
    ok("import", str(EXAMPLE))
    ok("evidence", "add", "1", "--url", "https://example.org/rebuttal", "--stance", "refutes", "--outlet", "Example",
       "--title", "A rebuttal", "--quote", "China's labs shipped video models within weeks")
    ok("verdict", "1", "refuted")
    with running(db_path) as base:
        yield base


def _shot(browser, tmp_path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    assert browser.save_screenshot(str(path)) and path.stat().st_size > 1000


def _only_this_machine(browser, base: str) -> None:
    """Every resource the page loaded came from the server under test: nothing reaches elsewhere."""
    loaded = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert all(url.startswith(base) or url.startswith("data:") for url in loaded), loaded


def test_a_reader_searches_facets_opens_a_claim_and_follows_a_report_footnote(served, browser, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(served + "/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Claims"
    assert "8" in browser.find_element(By.ID, "counts").text
    assert browser.find_elements(By.CSS_SELECTOR, "svg.chart rect.bar")
    _only_this_machine(browser, served)
    _shot(browser, tmp_path, "1-home")

    box = browser.find_element(By.ID, "search")
    box.send_keys("cold water")
    box.submit()
    assert "/record/claim_list" in browser.current_url and "_search=cold+water" in browser.current_url
    rows = browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")
    assert len(rows) == 1 and "cold water" in rows[0].text
    _shot(browser, tmp_path, "2-search")

    browser.get(served + "/record/claim_list?_facet=verdict")
    facet = browser.find_element(By.CSS_SELECTOR, ".facet-info[data-column='verdict']")
    facet.find_element(By.PARTIAL_LINK_TEXT, "refuted").click()
    assert "verdict=refuted" in browser.current_url
    rows = browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")
    assert len(rows) == 1 and "refuted" in rows[0].text
    _shot(browser, tmp_path, "3-facet")

    rows[0].find_element(By.CSS_SELECTOR, "td.col-id a").click()
    assert browser.current_url.endswith("/claim/1")
    timeline = browser.find_element(By.ID, "timeline").text
    assert "said" in timeline and "refutes" in timeline and "unverified → refuted" in timeline
    citations = browser.find_element(By.ID, "citations")
    assert "A rebuttal" in citations.text and "https://example.org/rebuttal" in citations.text
    _only_this_machine(browser, served)
    _shot(browser, tmp_path, "4-claim")

    browser.find_element(By.PARTIAL_LINK_TEXT, "Report on Zhou Hongyi").click()
    assert "/report" in browser.current_url
    report = browser.find_element(By.ID, "report")
    assert "Scope: speaker Zhou Hongyi" in report.text
    reference = report.find_element(By.CSS_SELECTOR, "sup.footnote-ref a")
    target = reference.get_attribute("href").split("#", 1)[1]
    reference.click()
    assert browser.current_url.endswith("#" + target)
    note = browser.find_element(By.ID, target)
    assert "http" in note.text and browser.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight;", note)
    assert browser.find_element(By.ID, "download").get_attribute("href").startswith(served + "/report.md?")
    _shot(browser, tmp_path, "5-report")


def test_a_speakers_page_charts_their_claims_per_month(served, browser, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(served + "/speaker/1")
    assert browser.find_element(By.ID, "speaker-name").text == "Zhou Hongyi"
    bars = browser.find_elements(By.CSS_SELECTOR, "svg.chart rect.bar")
    assert {b.get_attribute("data-verdict") for b in bars} == {"unverified", "refuted"}
    assert len(browser.find_elements(By.CSS_SELECTOR, "#claims tbody tr")) == 3
    _shot(browser, tmp_path, "speaker")


def test_serving_the_network_without_access_control_is_refused(db_path):
    ok("import", str(EXAMPLE))
    result = subprocess.run([sys.executable, "-m", "claimtrack", "--db", str(db_path), "serve", "--host", "0.0.0.0"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "without an access control" in result.stderr and "Traceback" not in result.stderr
