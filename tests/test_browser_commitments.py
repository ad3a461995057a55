"""End to end, the Commitments page (#18, point 7) in headless Chromium on the sample
corpus: a tally by status, weak evidence of delivery as "unclear", no document as
evidence for its own commitments, statuses and kinds in words, every filter in the URL.

Braintree's 2018-19 commitments are the 2018-19 action plan's rows and the 2018-19
priorities its 2017-18 annual report announces, traced in the 2022-23 annual report.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from browsing import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.e2e,  # each test runs the Streamlit server
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]

BRAINTREE_2018 = "/commitments?district=Braintree&year=2018"
HIDDEN_HARMS = "Increase confidence in identifying and reporting hidden harms"
TRAFFICKING = "Tackle the trafficking of drugs in the community"


EXPANDER_LABELS = '[data-testid="stExpander"] summary [data-testid="stMarkdownContainer"]'


def open_commitments(browser, url: str):
    """The page at `url`, once every commitment it lists is on it."""
    page = browser.new_page(viewport={"width": 1400, "height": 1300})
    page.goto(url)
    wait_for_listing(page)
    return page


def wait_for_listing(page) -> int:
    """How many commitments the page says it lists, once each one's expander is shown."""
    heading = page.get_by_text(re.compile(r"^\d+ commitments? for Braintree 2018-19$")).first
    heading.wait_for(timeout=60_000)
    listed = int(heading.inner_text().split()[0])
    page.wait_for_function(
        f"() => document.querySelectorAll({json.dumps(EXPANDER_LABELS)}).length == {listed}",
        timeout=30_000,
    )
    return listed


def expander_labels(page) -> list[str]:
    return [label.strip() for label in page.locator(EXPANDER_LABELS).all_inner_texts()]


def test_the_commitments_page_tallies_the_statuses_above_the_table(server, browser) -> None:
    page = open_commitments(browser, server + BRAINTREE_2018)
    tally = page.get_by_text("By status:").first
    tally.wait_for(timeout=30_000)
    text = tally.inner_text()
    labels = expander_labels(page)
    # Each count is the number of commitments listed with that status.
    for status in ("in progress", "unclear", "no later mention found"):
        count = sum(label.startswith(f"{status} — ") for label in labels)
        assert count and f"{count} {status}" in text, (status, text)
    table = page.locator('[data-testid="stDataFrame"]').first
    assert tally.bounding_box()["y"] < table.bounding_box()["y"]
    page.close()


def test_weak_evidence_of_delivery_is_unclear_not_delivered(server, browser) -> None:
    """ "Promote safety in our communities" (a 2022-23 priority, confidence 0.39) does not
    say the 2018-19 priority on hidden harms was delivered."""
    page = open_commitments(browser, server + BRAINTREE_2018)
    labels = expander_labels(page)
    assert f"unclear — {HIDDEN_HARMS}" in labels
    assert f"delivered — {HIDDEN_HARMS}" not in labels
    page.locator(EXPANDER_LABELS, has_text=f"unclear — {HIDDEN_HARMS}").click()
    page.get_by_text("unclear: “Promote safety in our communities”").wait_for(timeout=30_000)
    page.close()


def test_a_priority_is_not_carried_forward_by_its_own_years_plan(server, browser) -> None:
    """The 2018-19 action plan, in the same pack as the annual report announcing its
    priorities, states them; it is not evidence of what became of them."""
    page = open_commitments(browser, server + BRAINTREE_2018)
    labels = expander_labels(page)
    assert f"carried forward — {TRAFFICKING}" not in labels
    assert f"no later mention found — {TRAFFICKING}" in labels
    page.locator(EXPANDER_LABELS, has_text=f"no later mention found — {TRAFFICKING}").click()
    page.get_by_text("searched 1 later document: 2022-23").first.wait_for(timeout=30_000)
    assert page.get_by_text("Action Plan 2018-2019 (2018-19").count() == 0
    page.close()


def test_the_csv_gives_kinds_and_statuses_in_words(server, browser) -> None:
    page = open_commitments(browser, server + BRAINTREE_2018)
    with page.expect_download() as download:
        page.get_by_text("Download commitments (CSV)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    rows = {row["commitment"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows[HIDDEN_HARMS]["kind"] == "next year's priority"
    assert rows[HIDDEN_HARMS]["status"] == "unclear"
    assert {row["kind"] for row in rows.values()} <= {"action-plan row", "next year's priority"}
    assert "_" not in "".join(row["kind"] + row["status"] for row in rows.values())
    page.close()


def test_the_status_filter_is_in_the_url_and_survives_a_reload(server, browser) -> None:
    page = open_commitments(browser, server + BRAINTREE_2018)
    every = len(expander_labels(page))
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    page.get_by_role("option", name="unclear").click()
    page.wait_for_url("**status=unclear**", timeout=30_000)
    page.get_by_text("2 commitments for Braintree 2018-19").wait_for(timeout=30_000)
    page.reload()
    page.get_by_text("2 commitments for Braintree 2018-19").wait_for(timeout=60_000)
    wait_for_listing(page)
    labels = expander_labels(page)
    assert len(labels) == 2 < every
    assert all(label.startswith("unclear — ") for label in labels)
    page.close()


def test_a_link_with_statuses_and_a_priority_opens_that_view(server, browser) -> None:
    priority = "priority=Increase+confidence+in+identifying+and+reporting+hidden+harms"
    url = f"{server}{BRAINTREE_2018}&status=no+later+mention+found&status=unclear&{priority}"
    page = open_commitments(browser, url)
    # Of the six on hidden harms alone, four found no later mention and two are unclear.
    page.get_by_text("6 commitments for Braintree 2018-19").wait_for(timeout=30_000)
    labels = expander_labels(page)
    assert sorted(label.split(" — ")[0] for label in labels) == [
        *["no later mention found"] * 4,
        *["unclear"] * 2,
    ]
    assert "status=unclear" in page.url and priority in page.url
    page.close()
