"""Every page checked (issue 26, point 3): a browser visits every page Tafel serves, as each
role that may open it (each of the access tables' four viewers it lets in: no account, a
member, a coordinator, a member of another project; and the administrator, the treasurer or
the trusted person where only they may), in Dutch and in English, at 320 and at 1280 CSS
pixels, and finds
- nothing by axe-core (all rules at 320 px; at 1280 px again what depends on the width:
  scrolling regions, and contrast in tables, whose rows are cards on a phone),
- no target (link, button, field) smaller than 24 by 24 CSS pixels (WCAG 2.2, 2.5.8; a link
  inside a sentence is the exception the rule allows),
- nothing that scrolls sideways, at either width,
- with the text at 200% (WCAG 1.4.4, at 1280 px): still nothing sideways and no text cut off,
and the W3C Nu HTML checker finds nothing in the HTML served.

Cheap by design (docs/accessibility.md): one browser context per role, signed in once and
switched to English half-way; each page loaded once per language, checked at the width the
page before ended at, then resized once and checked at the other (one call into the page per
width); axe-core handed to the browser once per context; each page's HTML handed to the
process's Nu checker service (tests/html_checker.py) as it is loaded, checked beside the walk.
The figures (how many pages, visits, targets) are written to
webapp/accessibility_figures.json, which the accessibility statement (/accessibility) shows;
the test fails while the committed file differs from what it measured (commit the new one).

VISITS names every GET route: the roles beyond the four viewers that visit it (the four
come from the access tables), or why it is no page. A new route fails
test_every_route_has_a_visit until it has its line here. This walk is also where every
page's HTML meets the Nu checker as each role sees it (tests/web/test_valid_html.py checks
what is no page here: fragments and the like).
"""

import json
import os
import re

import pytest

from models.db import database
from models.records.federation import set_federation_right
from tests.browser.conftest import sign_in
from tests.html_checker import described
from tests.web.test_access import app_routes, tables, url_for
from webapp.settings import ROOT

FIGURES = ROOT / "webapp" / "accessibility_figures.json"

# Who visits (demo accounts, tests/conftest.py PASSWORDS; "anonymous": nobody signed in).
MEMBER, COORDINATOR, ADMIN, TREASURER, NOBODY, OTHER = (
    "anouk",
    "coordinator",
    "beheer",
    "penningmeester",
    "anonymous",
    "priya",  # a member of another project
)
# The access tables' four viewers, in their columns' order (tests/access/*.py).
VIEWER_ROLES = (NOBODY, MEMBER, COORDINATOR, OTHER)


def no_page(why: str) -> str:
    """A GET route that serves no page (a file, a feed, a fragment): why, in a few words."""
    return why


# Every GET route: the roles that visit it (a tuple) or, for a route without a page, why.
VISITS = {
    "GET /": (NOBODY, MEMBER, COORDINATOR),
    "GET /login": (NOBODY,),
    "GET /healthz": no_page("JSON for monitors"),
    "GET /favicon.ico": no_page("an icon"),
    "GET /robots.txt": no_page("text for crawlers"),
    "GET /accessibility": (NOBODY, MEMBER),
    "GET /welcome/{token}": (NOBODY,),
    "GET /projects": (MEMBER,),
    "GET /projects/new": (COORDINATOR,),
    "GET /projects/{project_id:int}": (MEMBER,),
    "GET /projects/{project_id:int}/edit": (COORDINATOR,),
    "GET /projects/{project_id:int}/notices": (COORDINATOR,),
    "GET /organisation/edit": (COORDINATOR,),
    "GET /manage": (COORDINATOR,),
    # accounts
    "GET /account": (MEMBER,),
    "GET /account/download": no_page("a zip file"),
    "GET /account/my-data": (MEMBER,),
    "GET /account/links-made": (MEMBER,),
    "GET /accounts/links": (COORDINATOR,),
    "GET /accounts/links/{link_id:int}": (COORDINATOR,),
    "GET /accounts/held": (ADMIN,),
    "GET /accounts/held/{person_id:int}": (ADMIN,),
    "GET /admin/rights": (ADMIN,),
    "GET /audit": (COORDINATOR,),
    "GET /removals": (COORDINATOR,),
    "GET /people/{person_id:int}/removal": (COORDINATOR,),
    # people
    "GET /my-path": (MEMBER,),
    "GET /my-path/share": (MEMBER,),
    "GET /people": (COORDINATOR,),
    "GET /people/{person_id:int}": (COORDINATOR,),
    "GET /people/import": (COORDINATOR,),
    "GET /people/import/template.csv": no_page("a CSV file"),
    "GET /people/export/members.csv": no_page("a CSV file"),
    "GET /projects/{project_id:int}/people": (COORDINATOR,),
    "GET /projects/{project_id:int}/memberships/new": (COORDINATOR,),
    "GET /memberships/{membership_id:int}/change": (COORDINATOR,),
    "GET /projects/{project_id:int}/representation": (MEMBER,),
    "GET /representation": (MEMBER, ADMIN),
    "GET /representation.csv": no_page("a CSV file"),
    "GET /ladder": (ADMIN,),
    "GET /projects/{project_id:int}/vacancies": (COORDINATOR,),
    "GET /vacancies/{vacancy_id:int}/fill": (COORDINATOR,),
    "GET /checks": (COORDINATOR,),
    "GET /checks/{check_id:int}": (COORDINATOR,),
    # meetings
    "GET /projects/{project_id:int}/meetings": (MEMBER,),
    "GET /meetings/{meeting_id:int}": (MEMBER, COORDINATOR),
    "GET /proposals/{proposal_id:int}": (MEMBER,),
    "GET /proposals/{proposal_id:int}/tally": no_page("a fragment the proposal page reloads"),
    "GET /projects/{project_id:int}/decisions": (MEMBER,),
    "GET /projects/{project_id:int}/decisions.csv": no_page("a CSV file"),
    "GET /projects/{project_id:int}/rota.csv": no_page("a CSV file"),
    "GET /meetings/{meeting_id:int}/minutes": (COORDINATOR,),
    "GET /meetings/{meeting_id:int}/minutes/facts": no_page("a fragment the minutes reload"),
    "GET /meetings/{meeting_id:int}/print": (MEMBER,),
    "GET /actions/mine": (MEMBER,),
    "GET /projects/{project_id:int}/signals": (MEMBER,),
    "GET /projects/{project_id:int}/calendar.ics": no_page("a calendar file"),
    "GET /meetings/{meeting_id:int}/calendar.ics": no_page("a calendar file"),
    "GET /feed/{feed_token}/tafel.ics": no_page("a calendar feed"),
    "GET /meetings/{meeting_id:int}/change": (COORDINATOR,),
    "GET /projects/{project_id:int}/meetings/extra": (COORDINATOR,),
    "GET /projects/{project_id:int}/proposals": (MEMBER,),
    "GET /meetings/{meeting_id:int}/paper": (MEMBER,),
    "GET /meetings/{meeting_id:int}/slips": (MEMBER,),
    # a quiet concern (the demo's trusted person is the treasurer, Rik)
    "GET /concerns/new": (MEMBER,),
    "GET /concerns/read": (NOBODY,),
    "GET /concerns/heard": (TREASURER,),
    "GET /concerns": (TREASURER,),
    "GET /concerns/{concern_id:int}": (TREASURER,),
    # news
    "GET /news": (MEMBER,),
    "GET /news/phone": (MEMBER,),
    # the federation administrator's page: the test gives the demo's administrator the right
    "GET /federation": (ADMIN,),
    "GET /manifest.webmanifest": no_page("the web app manifest (JSON)"),
    "GET /push-worker.js": no_page("the service worker (a script)"),
    # budget
    "GET /budget": (MEMBER, TREASURER),
    "GET /budget/posts/{post_id:int}": (MEMBER,),
    "GET /budget/sub-budgets/{sub_budget_id:int}": (TREASURER,),
    "GET /budget/claims": (MEMBER, TREASURER),
    "GET /budget/claims/{claim_id:int}": (MEMBER,),
    "GET /budget/claims/{claim_id:int}/receipt": no_page("a receipt file"),
    "GET /budget/entries/{entry_id:int}/receipt": no_page("a receipt file"),
    "GET /budget/files": (TREASURER,),
    "GET /budget/export/ledger.csv": no_page("a CSV file"),
    "GET /budget/export/budget.csv": no_page("a CSV file"),
    "GET /budget/export/budget-summary.csv": no_page("a CSV file"),
}

LANGUAGES = {"nl": "Nederlands", "en": "English"}
NARROW, WIDE = 320, 1280
# At 1280 px axe-core runs again only where the outcome can differ with the width: regions that
# scroll, on the whole page, and contrast in tables (below 50rem a table's rows are cards on a
# soft background; no other colour changes with the width, tafel.css). The other rules read the
# document, the same at every width; target sizes are measured at both widths by PROBLEMS
# (stricter than axe's target-size, which allows small targets with space around them).
WIDE_RULES = ["scrollable-region-focusable"]
TABLE_RULES = ["color-contrast"]

# Targets smaller than 24 by 24 CSS px (WCAG 2.2, 2.5.8), what scrolls sideways and, with
# `cut`, text that its box cuts off. A link inside a sentence (inline, with text beside it
# in its block) is the exception 2.5.8 allows.
PROBLEMS = """(cut) => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) {
    problems.push(`scrolls sideways: ${root.scrollWidth}px in ${root.clientWidth}px`);
  }
  const unseen = (el) => {
    for (; el; el = el.parentElement) {
      const style = getComputedStyle(el);
      if (style.position === "absolute" && style.clip !== "auto") return true;
      if (style.visibility === "hidden") return true;
    }
    return false;
  };
  const inSentence = (el) => {
    if (getComputedStyle(el).display !== "inline") return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith("inline")) {
      block = block.parentElement;
    }
    return block && block.textContent.trim().length > el.textContent.trim().length;
  };
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  let targets = 0;
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not shown
    if (unseen(el)) continue;
    targets += 1;
    if ((box.width < 24 || box.height < 24) && !inSentence(el)) {
      const name = (el.textContent || el.name || el.id || "").trim().slice(0, 40);
      problems.push(`target <${el.localName}> "${name}" is ` +
                    `${Math.round(box.width)}x${Math.round(box.height)}px`);
    }
  }
  if (cut) {
    for (const el of document.body.querySelectorAll("*")) {
      const style = getComputedStyle(el);
      if (!["hidden", "clip"].includes(style.overflowX) || unseen(el)) continue;
      if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
        problems.push(`text cut off at 200%: <${el.localName}> ` +
                      `"${el.textContent.trim().slice(0, 40)}"`);
      }
    }
  }
  return {problems, targets};
}"""


def routes_of(app) -> dict[str, object]:
    return {key: route for key, route in app_routes(app) if key.startswith("GET ")}


@pytest.mark.once
def test_every_route_has_a_visit(app):
    """A GET route without its line in VISITS fails here: say who visits it, or why it is no
    page. A visitor among the table's four kinds must be one the access table lets in."""
    access, _ = tables()
    gets = routes_of(app)
    missing = sorted(set(gets) - set(VISITS))
    assert not missing, f"no visit in tests/browser/test_every_page.py VISITS: {missing}"
    gone = sorted(set(VISITS) - set(gets))
    assert not gone, f"VISITS lists routes that are gone: {gone}"
    kinds = {NOBODY: 0, MEMBER: 1, COORDINATOR: 2}
    for key, visit in VISITS.items():
        if isinstance(visit, tuple):
            for role in visit:
                if role in kinds:
                    assert access[key][kinds[role]] == "ok", f"{key}: {role} may not open it"


def roles_of(key: str, visit: tuple, access: dict) -> list[str]:
    """Every role that may open the page: each of the access table's four viewers it lets
    in, and the roles VISITS names besides (the administrator, the treasurer, the trusted
    person: rights the four viewers do not hold)."""
    allowed = [role for role, seen in zip(VIEWER_ROLES, access[key], strict=True) if seen == "ok"]
    return allowed + [role for role in visit if role not in allowed]


def visits(app) -> dict[str, list[str]]:
    """Each role's URLs to visit: every page as each role that may open it."""
    access, params = tables()
    gets = routes_of(app)
    urls: dict[str, list[str]] = {}
    with database.connection_context():
        for key, visit in VISITS.items():
            if isinstance(visit, tuple) and key in gets:
                url = url_for(gets[key].path, params)
                for role in roles_of(key, visit, access):
                    urls.setdefault(role, []).append(url)
    return urls


def open_as(browser, base: str, role: str, axe_script: str):
    """One browser context for a role, signed in, at 320 px, with axe-core in every page it
    loads (an init script: handed to the browser once, not once per page)."""
    context = browser.new_context(viewport={"width": NARROW, "height": 800}, locale="nl-NL")
    context.add_init_script(script=axe_script)
    page = context.new_page()
    page.set_default_timeout(10_000)
    if role != NOBODY:
        sign_in(page, base, role)
    else:
        page.goto(f"{base}/")
    return context, page


def speak(page, language: str) -> None:
    """Switch the page's session to a language with the switch at the foot of the page."""
    if page.locator("html").get_attribute("lang") != language:
        with page.expect_navigation():
            page.click(f"footer button[value={language}]")
    assert page.locator("html").get_attribute("lang") == language


# What the walk checks at each width, in one call into the page (axe-core is there already: an
# init script). At 320 px: all of axe's rules, and PROBLEMS (targets, sideways). At 1280 px:
# the width's axe rules (WIDE_RULES on the page, TABLE_RULES within tables when there are any),
# PROBLEMS, then the text at 200% (the root's 112.5% doubled) and PROBLEMS with `cut`; the text
# goes back to 100% after, so the page can be checked at 320 px next.
CHECK_AT = f"""async ([width, wideRules, tableRules]) => {{
  const problemsOf = {PROBLEMS};
  const found = (context, rules) => axe.run(context, {{
    resultTypes: ["violations"], ...(rules ? {{runOnly: {{type: "rule", values: rules}}}} : {{}})
  }}).then(r => r.violations.map(
    v => `${{v.id}}: ${{v.nodes.length}} × ${{v.help}} (${{v.nodes[0].target}})`));
  const root = document.documentElement;
  if (width === {NARROW}) {{
    const axeFound = await found(document, null);
    const seen = problemsOf(false);
    return {{axe: axeFound, problems: seen.problems, targets: seen.targets, big: []}};
  }}
  const axeFound = await found(document, wideRules);
  if (document.querySelector("table")) {{
    axeFound.push(...await found({{include: [["table"]]}}, tableRules));
  }}
  const seen = problemsOf(false);
  root.style.fontSize = "225%";
  const big = problemsOf(true).problems;
  root.style.fontSize = "";
  return {{axe: axeFound, problems: seen.problems, targets: seen.targets, big}};
}}"""


def check_at(page, width: int, where: str, count: dict) -> list[str]:
    """The page, already at `width`, checked as CHECK_AT says; its problems, each with where."""
    found = page.evaluate(CHECK_AT, [width, WIDE_RULES, TABLE_RULES])
    if width == NARROW:
        count["targets"] += found["targets"]
    at = f"{where} at {width}px"
    return (
        [f"{at}: axe: {v}" for v in found["axe"]]
        + [f"{at}: {p}" for p in found["problems"]]
        + [f"{at}, text 200%: {p}" for p in found["big"]]
    )


def test_every_page_in_two_languages_at_two_widths(live_server, browser, app, vnu):
    from axe_playwright_python.sync_playwright import Axe

    axe_script = Axe().axe_script
    axe_version = re.search(r"axe v([\d.]+)", axe_script).group(1)
    with database.connection_context():
        # The federation administrator's page: no demo account holds the right (the cross-
        # organisation walk signs in as the demo's administrator), so it is given here.
        set_federation_right("beheer")
    urls = visits(app)
    problems: list[str] = []
    html = {}  # each page's check by the Nu HTML checker, under way beside the walk
    count = {"visits": 0, "targets": 0}
    for role, role_urls in urls.items():
        context, page = open_as(browser, live_server, role, axe_script)
        for language in LANGUAGES:
            speak(page, language)
            for url in role_urls:
                where = f"{url} as {role} in {language}"
                # Loaded at the width the page before ended at, checked there, resized to the
                # other width and checked again: one resize per visit.
                response = page.goto(live_server + url)
                if response is None or response.status != 200:
                    problems.append(f"{where}: status {response and response.status}")
                    continue
                count["visits"] += 1
                html[where] = vnu.submit(response.text())
                first = page.viewport_size["width"]
                problems += check_at(page, first, where, count)
                second = WIDE if first == NARROW else NARROW
                page.set_viewport_size({"width": second, "height": 800})
                problems += check_at(page, second, where, count)
        context.close()
    for where, checked in html.items():
        problems += described(where, checked.result())
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)

    pages = {key for key, visit in VISITS.items() if isinstance(visit, tuple)}
    figures = {
        "routes": len(VISITS),
        "pages": len(pages),
        "not_pages": len(VISITS) - len(pages),
        "roles": sorted(urls),
        "languages": list(LANGUAGES),
        "widths": [NARROW, WIDE],
        "visits": count["visits"],
        "page_checks": count["visits"] * 3,
        "targets_measured": count["targets"],
        "axe_version": axe_version,
        "html_pages_checked": len(html),
        "problems_found": 0,
    }
    written = json.loads(FIGURES.read_text()) if FIGURES.exists() else None
    if written != figures:
        # Outside CI the file is rewritten, so the next run passes once it is committed.
        if os.environ.get("CI") != "true":
            FIGURES.write_text(json.dumps(figures, indent=2) + "\n")
        pytest.fail(f"{FIGURES} is not current (the statement shows it): {figures}; commit it")
