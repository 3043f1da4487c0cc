"""Every table reads on a phone: at 320 px wide no word in a table is broken over two lines,
nothing sticks out sideways, every cell names its column (data-label, shown as the row
becomes a card), screen readers still get a table (Chromium's accessibility tree) without
hearing the label twice, and axe finds nothing. In English (longer labels), and just above
the breakpoint (where tables stay tables), no word is broken either; on paper a table is a
table.

Every template with a <table> must have a page here (TABLE_PAGES); a test keeps that list
complete. One browser, one sign-in for each viewer.
"""

import re
from pathlib import Path

import pytest

from models.db import database
from models.organisation import Project
from tests.browser.conftest import check_axe, sign_in
from tests.conftest import MEMBER_PROJECT

pytestmark = pytest.mark.browser

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# template with a table: (viewer, page showing it). {project}: the member's project.
TABLE_PAGES = {
    "people/overview.html": [("beheer", "/people"), ("coordinator", "/projects/{project}/people")],
    "people/representation.html": [
        ("beheer", "/representation"),  # with the counts (the privacy right)
        ("beheer", "/projects/{project}/representation"),
        ("coordinator", "/representation"),  # without the counts
    ],
    "meetings/list.html": [("coordinator", "/projects/{project}/meetings")],
    "budget/claims.html": [("penningmeester", "/budget/claims")],  # the time to payment
}
# The narrowest width at which tables stay tables (the stacking stops at 50rem = 800 px).
TABLE_WIDTH = 800

# Problems with the tables on the page, as sentences: a word over two lines, something wider
# than the box it is in, a cell without its column's name, the page scrolling sideways.
CHECK_TABLES = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) {
    problems.push(`the page is ${root.scrollWidth}px wide in a ${root.clientWidth}px window`);
  }
  const tables = [...document.querySelectorAll("main table")];
  if (!tables.length) problems.push("no table on the page");
  // Text hidden for the eye but kept for screen readers (the headers, on a phone).
  const unseen = (el) => {
    for (; el; el = el.parentElement) {
      const style = getComputedStyle(el);
      if (style.position === "absolute" && style.clip !== "auto") return true;
    }
    return false;
  };
  for (const table of tables) {
    for (const el of [table, ...table.querySelectorAll("*")]) {
      if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 && !unseen(el)) {
        problems.push(`<${el.localName}> "${el.textContent.trim().slice(0, 40)}" is ` +
                      `${el.scrollWidth}px wide in ${el.clientWidth}px`);
      }
    }
    const box = table.getBoundingClientRect();
    if (box.left < 0 || box.right > root.clientWidth + 1) {
      problems.push(`the table runs from ${box.left}px to ${box.right}px`);
    }
    const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()]
          .filter((rect) => rect.width > 0).map((rect) => Math.round(rect.bottom)));
        if (lines.size > 1) problems.push(`"${word[0]}" is broken over ${lines.size} lines`);
      }
    }
    // A table that no longer looks like one still says it is one (for WebKit's guess).
    if (table.getAttribute("role") !== "table") problems.push('a <table> without role="table"');
    for (const cell of table.querySelectorAll("td")) {
      if (!cell.dataset.label) {
        problems.push(`a cell without data-label: "${cell.textContent.trim().slice(0, 40)}"`);
      }
    }
  }
  return problems;
}"""


def table_templates() -> set[str]:
    return {
        path.relative_to(TEMPLATES).as_posix()
        for path in TEMPLATES.rglob("*.html")
        if re.search(r"<table\b", path.read_text(encoding="utf-8"), re.IGNORECASE)
    }


def test_every_template_with_a_table_has_a_page_in_the_browser_test():
    assert table_templates() == set(TABLE_PAGES), (
        "add the page(s) showing each new table to TABLE_PAGES, with the viewer who sees it"
    )


def screen_reader_table(page) -> tuple[dict[str, int], list[str]]:
    """How many of each role Chromium's accessibility tree (what a screen reader gets) has,
    and the names of its cells."""
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    session.detach()
    roles: dict[str, int] = {}
    cells = []
    for node in nodes:
        role = node.get("role", {}).get("value", "")
        roles[role] = roles.get(role, 0) + 1
        if role == "cell":
            cells.append(node.get("name", {}).get("value", ""))
    return roles, cells


def check_tables(page, where: str) -> list[str]:
    """The problems CHECK_TABLES finds (each once), saying where."""
    found = list(dict.fromkeys(page.evaluate(CHECK_TABLES)))
    return [f"{where} at {page.viewport_size['width']}px: {problem}" for problem in found]


def test_every_table_reads_at_320_px(live_server, browser_page):
    """Every page with a table, as the viewer who sees it (counts, the time to payment):
    no broken word, nothing too wide, labels, a table for screen readers, zero axe
    violations; on paper it is still a table."""
    with database.connection_context():
        project = Project.get(Project.name == MEMBER_PROJECT).id
    visits: dict[str, list[tuple[str, str]]] = {}
    for template, pages in TABLE_PAGES.items():
        for viewer, url in pages:
            visits.setdefault(viewer, []).append((template, url.format(project=project)))
    problems = []
    for viewer, pages in visits.items():
        page = browser_page(320)
        sign_in(page, live_server, viewer)
        for template, url in pages:
            where = f"{url} as {viewer} ({template})"
            response = page.goto(f"{live_server}{url}")
            assert response.status == 200, where
            problems += check_tables(page, where)
            counts = page.evaluate(
                """() => ({rows: document.querySelectorAll("main tr").length,
                           cells: document.querySelectorAll("main td").length,
                           tables: document.querySelectorAll("main table").length,
                           labels: [...new Set([...document.querySelectorAll("td[data-label]")]
                                    .map((cell) => cell.dataset.label))]})"""
            )
            roles, cells = screen_reader_table(page)
            # The label on the screen is not read out: a screen reader says the column header.
            read_twice = [c for c in cells if any(c.startswith(f"{x} ") for x in counts["labels"])]
            if read_twice:
                problems.append(f"{where}: screen readers hear the label too: {read_twice[:3]}")
            if roles.get("table", 0) < counts["tables"] or roles.get("row", 0) < counts["rows"]:
                problems.append(f"{where}: screen readers get no table ({roles})")
            if roles.get("cell", 0) < counts["cells"]:
                problems.append(f"{where}: screen readers get no table cells ({roles})")
            try:
                check_axe(page)
            except AssertionError as report:
                problems.append(f"{where}: {report}")
            page.set_viewport_size({"width": TABLE_WIDTH, "height": 800})
            problems += check_tables(page, where)
            page.set_viewport_size({"width": 320, "height": 800})
        # English labels are longer ("With experience"): they must fit too.
        page.locator("form.language-switch button", has_text="English").click()
        page.wait_for_load_state()
        for template, url in pages:
            page.goto(f"{live_server}{url}")
            assert page.get_attribute("html", "lang") == "en"
            problems += check_tables(page, f"{url} as {viewer} in English ({template})")
        page.emulate_media(media="print")
        shown = page.evaluate("""() => [...document.querySelectorAll("main table, main tr")]
                                   .map((part) => getComputedStyle(part).display)""")
        if set(shown) != {"table", "table-row"}:
            problems.append(f"{page.url} on paper: the table shows as {set(shown)}")
        page.emulate_media(media="screen")
    assert not problems, "\n".join(problems)
