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
width, tests/browser/page_checks.py); axe-core handed to the browser once per context; each
page's HTML handed to the process's Nu checker service (tests/html_checker.py) as it is
loaded, checked beside the walk.
The figures (how many pages, visits, targets) are written to
webapp/accessibility_figures.json, which the accessibility statement (/accessibility) shows;
the test fails while the committed file differs from what it measured (commit the new one).

VISITS names every GET route: the roles beyond the four viewers that visit it (the four
come from the access tables), or why it is no page. A new route fails
test_every_route_has_a_visit until it has its line here. A role beyond the four visits where
its right changes what the page shows. STATES visits a page once more where what it shows
changes with the state of its object (an open proposal has stance buttons, a closed one not).
This walk is also where every page's HTML meets the Nu checker as each role sees it
(tests/web/test_valid_html.py checks what is no page here: fragments and the like).
"""

import json
import os
import re

import pytest

from models.budget import Claim
from models.db import database
from models.meetings import AgendaItem, Meeting, Proposal
from models.records.federation import set_federation_right
from tests.browser.conftest import sign_in
from tests.browser.page_checks import NARROW, WIDE, check_at
from tests.html_checker import described
from tests.meetings.conftest import project_id
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
# Beyond the four viewers a role visits where its right changes what the page shows; where it
# changes nothing (My account, the news: one's own, whatever one's rights), it does not.
VISITS = {
    # "Voor jou": the administrator's (the privacy right's 51% checks, links reported as not
    # used), the treasurer's (claims to pay, concerns for the trusted person, their link).
    "GET /": (NOBODY, MEMBER, COORDINATOR, ADMIN, TREASURER),
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
    "GET /manage": (COORDINATOR, ADMIN),  # the administrator's tools: rights, the ladder
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
    "GET /people": (COORDINATOR, ADMIN),  # the administrator's button to the ladder
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
    # the coordinator who asked, and the privacy right (the administrator) who answers
    "GET /checks": (COORDINATOR, ADMIN),
    "GET /checks/{check_id:int}": (COORDINATOR, ADMIN),
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
    # the treasurer books on a post, adds a sub-budget and proposes a planned amount
    "GET /budget/posts/{post_id:int}": (MEMBER, TREASURER),
    "GET /budget/sub-budgets/{sub_budget_id:int}": (TREASURER,),
    "GET /budget/claims": (MEMBER, TREASURER),
    "GET /budget/claims/{claim_id:int}": (MEMBER,),  # the treasurer: STATES
    "GET /budget/claims/{claim_id:int}/receipt": no_page("a receipt file"),
    "GET /budget/entries/{entry_id:int}/receipt": no_page("a receipt file"),
    "GET /budget/files": (TREASURER,),
    "GET /budget/export/ledger.csv": no_page("a CSV file"),
    "GET /budget/export/budget.csv": no_page("a CSV file"),
    "GET /budget/export/budget-summary.csv": no_page("a CSV file"),
}


def open_proposal() -> int:
    """The member's project's proposal at its next meeting, open for answers (seeds/meetings.py)."""
    return (
        Proposal.select(Proposal.id)
        .join(AgendaItem, on=(Proposal.agenda_item == AgendaItem.id))
        .join(Meeting, on=(AgendaItem.meeting == Meeting.id))
        .where(
            (Proposal.state == "open")
            & Proposal.closes_at.is_null()
            & (Meeting.state == "planned")
            & (Meeting.project == project_id())
        )
        .scalar()
    )


def between_proposal() -> int:
    """The member's project's proposal between meetings, open for a week; the member has not
    answered it yet (seeds/between.py)."""
    return (
        Proposal.select(Proposal.id)
        .where(
            (Proposal.state == "open")
            & Proposal.closes_at.is_null(False)
            & (Proposal.project == project_id())
        )
        .scalar()
    )


def name_asking_invite() -> str:
    """An invite in which the person writes their own name (the first administrator of an
    organisation added without one, `tafel org add`): made here, its token."""
    from models.accounts.links import invite

    _person, _link, token = invite(None)
    return token


def approved_claim() -> int:
    """The demo's approved claim (Dewi's), waiting for the treasurer to pay it."""
    return Claim.get(Claim.status == "approved").id


# Pages visited once more on another demo object than the access tables' PARAMS give, where
# what the page shows changes with the object's state: the route, the roles, the parameter's
# value, why, and what the page must show in that state (a CSS selector; the walk fails
# when the visit does not find it, so a demo that changed cannot make the state go unseen).
STATES = [
    (
        "GET /proposals/{proposal_id:int}",
        (MEMBER, COORDINATOR),
        {"proposal_id": open_proposal},
        "open (PARAMS: a closed one): the stance buttons and their 'Lees voor'; the chair's or"
        " coordinator's answers so far, an answer written down for someone, closing",
        "form[action$='/stance'] button[value=agree]",
    ),
    (
        "GET /proposals/{proposal_id:int}",
        (MEMBER, COORDINATOR),
        {"proposal_id": between_proposal},
        "between meetings, open: its own page, the stance buttons, an answer written down",
        "form[action$='/stance'] button[value=agree]",
    ),
    (
        "GET /budget/claims/{claim_id:int}",
        (TREASURER,),
        {"claim_id": approved_claim},
        "approved (PARAMS: submitted, the manager's approve form): the treasurer's pay form",
        "form[action$='/pay']",
    ),
    (
        "GET /welcome/{token}",
        (NOBODY,),
        {"token": name_asking_invite},
        "an invite that asks the person's own name (PARAMS: one for a named person)",
        "input[name=name]",
    ),
]

LANGUAGES = {"nl": "Nederlands", "en": "English"}


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
    named = [(key, visit) for key, visit in VISITS.items() if isinstance(visit, tuple)]
    for key, roles, *_ in STATES:
        assert isinstance(VISITS.get(key), tuple), f"STATES visits {key}, which is no page"
        named.append((key, roles))
    for key, roles in named:
        for role in roles:
            if role in kinds:
                assert access[key][kinds[role]] == "ok", f"{key}: {role} may not open it"


def roles_of(key: str, visit: tuple, access: dict) -> list[str]:
    """Every role that may open the page: each of the access table's four viewers it lets
    in, and the roles VISITS names besides (the administrator, the treasurer, the trusted
    person: rights the four viewers do not hold)."""
    allowed = [role for role, seen in zip(VIEWER_ROLES, access[key], strict=True) if seen == "ok"]
    return allowed + [role for role in visit if role not in allowed]


def visits(app) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Each role's URLs to visit: every page as each role that may open it, and the pages
    of STATES in their other state; and what each of those must show (a CSS selector)."""
    access, params = tables()
    gets = routes_of(app)
    urls: dict[str, list[str]] = {}
    shows: dict[str, str] = {}
    with database.connection_context():
        for key, visit in VISITS.items():
            if isinstance(visit, tuple) and key in gets:
                url = url_for(gets[key].path, params)
                for role in roles_of(key, visit, access):
                    urls.setdefault(role, []).append(url)
        for key, roles, other, _why, selector in STATES:
            url = url_for(gets[key].path, {**params, **other})
            assert "None" not in url, f"{key}: no demo object in that state ({url})"
            shows[url] = selector
            for role in roles:
                urls.setdefault(role, []).append(url)
    return urls, shows


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


def test_every_page_in_two_languages_at_two_widths(live_server, browser, app, vnu):
    from axe_playwright_python.sync_playwright import Axe

    axe_script = Axe().axe_script
    axe_version = re.search(r"axe v([\d.]+)", axe_script).group(1)
    with database.connection_context():
        # The federation administrator's page: no demo account holds the right (the cross-
        # organisation walk signs in as the demo's administrator), so it is given here.
        set_federation_right("beheer")
    urls, shows = visits(app)
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
                if url in shows and not page.locator(shows[url]).count():
                    problems.append(f"{where}: not in its state, no {shows[url]}")
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
    written = json.loads(FIGURES.read_text()) if FIGURES.exists() else {}
    # The day of the run the statement names is set by hand: a day the test wrote would make
    # the file stale every day. It stays as it is written, and it must be there.
    tested_on = written.pop("tested_on", None)
    if written != figures:
        # Outside CI the file is rewritten, so the next run passes once it is committed.
        if os.environ.get("CI") != "true":
            kept = {"tested_on": tested_on or "set by hand: YYYY-MM-DD", **figures}
            FIGURES.write_text(json.dumps(kept, indent=2) + "\n")
        pytest.fail(
            f"{FIGURES} is not current (the statement shows it): {figures}; set its tested_on"
            " to the day of this run and commit it"
        )
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", tested_on or ""), (
        f"{FIGURES}: tested_on is the day of the run the figures are from (YYYY-MM-DD, by hand)"
    )
