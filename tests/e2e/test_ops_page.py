"""The branch dashboard in headless Chromium (Debian's, driven by Selenium): an officer logs in
on /ops through the edge, reads the segment table, approves a request waiting for review, and
the member is told in their inbox. Screenshots of the page in both languages are saved under the
test's tmp dir; with OPS_PAGE_SCREENSHOT=1 the English one replaces docs/ops-page.png.

The stream worker's counts are not checked here (tests/integration/ops/ does): the page must show
what GET /v1/ops/figures answers."""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from devstack.browser import ensure_chromium_installed
from tests.e2e.conftest import take
from tests.e2e.members import follow, logged_in, officer_auth
from tests.e2e.platform import Platform

# The README's picture is refreshed only when asked (OPS_PAGE_SCREENSHOT=1): a test run
# leaves the checkout as it found it.
DOCS_SHOT = Path(__file__).resolve().parents[2] / "docs" / "ops-page.png"
REFRESH_DOCS_SHOT = os.environ.get("OPS_PAGE_SCREENSHOT") == "1"
T = TypeVar("T")


def eventually(probe: Callable[[], T | None], what: str, timeout: float = 60) -> T:
    """Bounded polling until probe answers something truthy."""
    deadline = time.monotonic() + timeout
    last: object = None
    while True:
        try:
            if got := probe():
                return got
        except StaleElementReferenceException as exc:  # the page re-rendered meanwhile
            last = exc
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} after {timeout} s (last: {last!r})")
        time.sleep(0.25)


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    chromium, chromedriver = ensure_chromium_installed()
    opts = Options()
    opts.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000", "--lang=id-ID"):
        opts.add_argument(arg)
    opts.add_experimental_option("prefs", {"intl.accept_languages": "id-ID,id"})
    driver = webdriver.Chrome(service=Service(chromedriver), options=opts)
    try:
        yield driver
    finally:
        driver.quit()


def _digits(text: str) -> int:
    return int(re.sub(r"\D", "", text) or 0)


def page_segments(driver: WebDriver) -> dict[str, tuple[int, int]]:
    """(participants, app users) per segment as the page's table shows them."""
    out = {}
    for row in driver.find_elements(By.CSS_SELECTOR, "#segments tbody tr[data-segment]"):
        cells = row.find_elements(By.TAG_NAME, "td")
        out[row.get_attribute("data-segment")] = (_digits(cells[1].text), _digits(cells[2].text))
    return out


def shows_the_arrears(platform: Platform, officer: dict, driver: WebDriver) -> bool:
    """The arrears table holds billing's payers in arrears per segment (or says there are
    none)."""
    r = platform.get("/v1/ops/billing/arrears", headers=officer)
    assert r.status_code == 200, r.text
    api = {s["segment"]: s["payers"] for s in r.json()["by_segment"]}
    rows = driver.find_elements(By.CSS_SELECTOR, "#arrears-segment tbody tr")
    shown = {row.get_attribute("data-segment"):
             _digits(row.find_elements(By.TAG_NAME, "td")[1].text)
             for row in rows if row.get_attribute("data-segment")}
    return shown == api and bool(rows)


def api_segments(platform: Platform, officer: dict) -> dict[str, tuple[int, int]] | None:
    r = platform.get("/v1/ops/figures", headers=officer)
    if r.status_code != 200:
        return None
    return {s["segment"]: (s["participants"], s["app_users"]) for s in r.json()["segments"]}


def shows_the_api(platform: Platform, officer: dict, driver: WebDriver) -> bool:
    """The page's rows hold the API's figures (a segment the API has none of shows zeros)."""
    api = api_segments(platform, officer)
    shown = page_segments(driver)
    return bool(api) and all(shown.get(s) == n for s, n in api.items()) and all(
        n == (0, 0) for s, n in shown.items() if s not in api)


def full_page_shot(driver: WebDriver, path: Path) -> Path:
    """The whole page in one image: the window grown until its viewport holds the document."""
    chrome = driver.execute_script("return window.outerHeight - window.innerHeight")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1400, int(height) + int(chrome) + 20)
    driver.save_screenshot(str(path))
    return path


def inbox(platform: Platform, member: dict) -> list[dict]:
    r = platform.get("/v1/me/notifications", headers=member)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def waiting_for_review(platform: Platform) -> tuple[dict, str]:
    """A new member's name correction, waiting for an officer: (their auth, the request id)."""
    p = take()
    member = logged_in(platform, p)
    r = platform.post("/v1/me/identity-corrections", {
        "field": "full_name", "value": p.full_name + " Putra", "evidence_ref": "ktp-scan-ops"},
        headers=member)
    assert r.status_code == 202, r.text
    follow(platform, member, r.json()["request_id"], "checking")
    return member, r.json()["request_id"]


def test_an_officer_reads_the_segments_approves_a_request_and_the_member_is_told(
        platform: Platform, browser: WebDriver, tmp_path: Path) -> None:
    member, request_id = waiting_for_review(platform)
    complaint = platform.post("/v1/me/complaints", {
        "category": "app", "text": "Kartu digital tidak tampil setelah ganti ponsel."},
        headers=member)
    assert complaint.status_code == 201, complaint.text
    ticket = complaint.json()["ticket_number"]
    officer = officer_auth(platform)
    eventually(lambda: api_segments(platform, officer), "the figures API answered no segments",
               timeout=90)

    browser.get(platform.gateway + "/ops")
    # The browser's language (Indonesian) chooses the page's.
    assert browser.find_element(By.TAG_NAME, "h1").text == "Dasbor cabang JKN"
    browser.find_element(By.ID, "username").send_keys("petugas.bdl")
    browser.find_element(By.ID, "password").send_keys(
        platform.env["MEMBERSHIP_DEMO_OFFICER_PASSWORD"])
    browser.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    token = eventually(lambda: browser.execute_script(
        "return sessionStorage.getItem('ops.token')"), "no staff token in sessionStorage")
    assert token.count(".") == 2  # a JWT, kept for this tab only

    # Read the segment table: it shows what the figures API answers (the page rereads every
    # 10 s, and the worker may still be counting the seed: compare as both settle).
    eventually(lambda: shows_the_api(platform, officer, browser),
               "the segment table never matched GET /v1/ops/figures", timeout=60)
    shown = page_segments(browser)
    assert set(shown) >= {"PBPU", "PPU_BU", "PPU_PN", "PBI_APBD", "PBI_APBN", "BP"}
    assert sum(n for n, _ in shown.values()) > 0
    study = browser.find_element(By.CSS_SELECTOR, "#segments tbody tr[data-segment=PBPU]")
    assert study.find_elements(By.TAG_NAME, "td")[4].text == "6.037"  # Table 1, id-ID digits
    assert browser.find_elements(By.CSS_SELECTOR, "#segments-chart svg rect.bar")

    # The queues and the other sections, each from its API.
    row = f"#requests tr[data-request-id='{request_id}']"
    eventually(lambda: browser.find_elements(By.CSS_SELECTOR, row), "the request is not listed")
    complaint_row = f"#complaints tr[data-ticket='{ticket}']"
    assert browser.find_elements(By.CSS_SELECTOR, complaint_row)
    eventually(lambda: browser.find_elements(By.CSS_SELECTOR, "#health li[data-service=gateway]"),
               "no readiness shown")
    assert browser.find_elements(By.CSS_SELECTOR, "#lag tbody tr")
    eventually(lambda: shows_the_arrears(platform, officer, browser),
               "the arrears table never matched GET /v1/ops/billing/arrears", timeout=30)
    assert browser.find_elements(By.CSS_SELECTOR, "#sms-chart svg")

    shots = [full_page_shot(browser, tmp_path / "ops-page-id.png")]
    browser.find_element(By.ID, "lang").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "JKN branch dashboard"
    assert browser.find_element(By.CSS_SELECTOR, "#segments thead th").text == "Segment"
    shots.append(full_page_shot(browser, tmp_path / "ops-page-en.png"))
    for shot in shots:
        assert shot.stat().st_size > 10_000, shot
    if REFRESH_DOCS_SHOT:
        shutil.copyfile(shots[-1], DOCS_SHOT)
    print(f"screenshots: {', '.join(map(str, shots))}")

    # Approve the member's request on the page (in English now).
    before = {i["id"] for i in inbox(platform, member)}
    browser.find_element(By.CSS_SELECTOR, f"{row} button.approve").click()
    eventually(lambda: not browser.find_elements(By.CSS_SELECTOR, row),
               "the approved request is still listed")
    assert browser.find_element(By.ID, "message").text == "Request approved."
    follow(platform, member, request_id, "applied")

    # The member is told: a new request update in their inbox naming the request.
    ref = request_id[:8]
    told = eventually(lambda: [i for i in inbox(platform, member) if i["id"] not in before
                               and i["kind"] == "request_update"
                               and ref in i["title"] + i["body"]],
                      "the member's inbox has no update of the approved request", timeout=30)
    assert told

    # And the complaint is answered from the page.
    browser.find_element(By.CSS_SELECTOR, f"{complaint_row} textarea").send_keys(
        "Silakan keluar lalu masuk lagi; kartu digital akan tampil.")
    browser.find_element(By.CSS_SELECTOR, f"{complaint_row} button.send-answer").click()
    eventually(lambda: not browser.find_elements(By.CSS_SELECTOR, complaint_row),
               "the answered complaint is still listed")
    answered = platform.get(f"/v1/me/complaints/{ticket}", headers=member).json()
    assert answered["status"] != "open" and answered["answer"]


def test_a_rejection_from_the_page_carries_both_reasons_to_the_member(
        platform: Platform, browser: WebDriver) -> None:
    member, request_id = waiting_for_review(platform)
    browser.get(platform.gateway + "/ops")  # still logged in: the token is in this tab
    row = f"#requests tr[data-request-id='{request_id}']"
    eventually(lambda: browser.find_elements(By.CSS_SELECTOR, row), "the request is not listed")
    browser.find_element(By.CSS_SELECTOR, f"{row} button.reject").click()
    browser.find_element(By.CSS_SELECTOR, f"{row} .reason-en").send_keys(
        "The scan does not show the name.")
    browser.find_element(By.CSS_SELECTOR, f"{row} .reason-id").send_keys(
        "Pindaian tidak memperlihatkan nama.")
    browser.find_element(By.CSS_SELECTOR, f"{row} button.confirm-reject").click()
    eventually(lambda: not browser.find_elements(By.CSS_SELECTOR, row),
               "the rejected request is still listed")
    done = follow(platform, member, request_id, "rejected")
    assert (done["reason_en"], done["reason_id"]) == (
        "The scan does not show the name.", "Pindaian tidak memperlihatkan nama.")


def test_the_page_refuses_a_wrong_password_and_keeps_no_token(
        platform: Platform, browser: WebDriver) -> None:
    browser.get(platform.gateway + "/ops")
    browser.execute_script("sessionStorage.clear()")
    browser.refresh()
    browser.find_element(By.ID, "username").send_keys("petugas.bdl")
    browser.find_element(By.ID, "password").send_keys("not-the-password")
    browser.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    eventually(lambda: browser.find_element(By.ID, "message").text, "no error shown")
    assert "error" in browser.find_element(By.ID, "message").get_attribute("class")
    assert browser.execute_script("return sessionStorage.getItem('ops.token')") is None
    assert not browser.find_element(By.ID, "dashboard").is_displayed()
    # The browser never fetched anything but this origin's files (no CDN, no font).
    origin = platform.gateway
    urls = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)")
    assert urls and all(u.startswith(origin) for u in urls), urls


