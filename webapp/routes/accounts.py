"""Accounts: invite and reset links, rights, the audit log, my account and removal requests."""

import datetime as dt
import json
import re

import segno
from peewee import JOIN, fn
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from wtforms import PasswordField, SelectField, StringField, ValidationError, validators

from models import audit
from models.accounts import RIGHTS, Account, Grant, UserSession
from models.audit import SECRET_KEYS, AuditEntry
from models.clock import now
from models.db import database
from models.logins import AccessLink, link_url, make_link
from models.organisation import Project
from models.passwords import hash_password, password_problem, verify_password
from models.people import Membership, RoleStep
from models.person import Person
from models.personal_data import extra_sections
from webapp.access import (
    ADMIN,
    ANY_COORDINATOR,
    PUBLIC,
    SIGNED_IN,
    Routes,
    Rule,
    start_session,
)
from webapp.forms import TafelForm, bind, date_range_message, posted_date, posted_id
from webapp.i18n import _, lazy_gettext
from webapp.templating import render

routes = Routes()

# Confirming a removal erases someone's identity: organisation coordinators and administrators.
REMOVAL_MANAGER = Rule(
    "organisation coordinator or administrator", lambda v, p: v.is_org_coordinator or v.is_admin
)

RIGHT_LABELS = {
    "admin": lazy_gettext("Administrator"),
    "coordinator": lazy_gettext("Coordinator"),
    "treasurer": lazy_gettext("Treasurer"),
    "privacy": lazy_gettext("Privacy right"),
}
# Plain words for the audit log's actions of this area; other actions show their code.
ACTION_LABELS = {
    "account.create": lazy_gettext("Made an account"),
    "account.reset_password": lazy_gettext("Chose a new password with a link"),
    "account.change_password": lazy_gettext("Changed their password"),
    "link.invite": lazy_gettext("Made an invite link"),
    "link.reset": lazy_gettext("Made a new-password link"),
    "right.grant": lazy_gettext("Gave a right"),
    "right.withdraw": lazy_gettext("Withdrew a right"),
    "person.create": lazy_gettext("Added a person"),
    "person.ask_removal": lazy_gettext("Asked to be removed"),
    "person.erase": lazy_gettext("Removed a person"),
}
AUDIT_PAGE_SIZE = 50
# Values in audit lines about a person that go when their identity is erased.
ERASED_KEYS = frozenset({"client_background", "consent_on", "username", "contact"})
USERNAME_PATTERN = re.compile(r"^[a-z0-9._-]{3,60}$")


# --- forms ---------------------------------------------------------------------------------


def new_password_rule(form, field):
    """Length 10 or more and not one of the most common passwords."""
    username = form.username.data if hasattr(form, "username") else ""
    problem = password_problem(field.data or "", username or "")
    if problem == "short":
        raise ValidationError(
            _("Choose a password of at least 10 characters, for example a short sentence.")
        )
    if problem == "long":
        raise ValidationError(_("Choose a password of at most 1000 characters."))
    if problem == "common":
        raise ValidationError(
            _("Many people use this password, so choose another one, for example a short sentence.")
        )


def password_fields():
    return (
        PasswordField(
            lazy_gettext("New password"),
            [
                validators.InputRequired(message=lazy_gettext("Fill in a new password.")),
                new_password_rule,
            ],
            description=lazy_gettext("At least 10 characters. A short sentence works well."),
        ),
        PasswordField(
            lazy_gettext("New password again"),
            [
                validators.InputRequired(message=lazy_gettext("Type the new password again.")),
                validators.EqualTo(
                    "password", message=lazy_gettext("Type the same password twice.")
                ),
            ],
        ),
    )


def username_rule(form, field):
    value = (field.data or "").strip().lower()
    if not USERNAME_PATTERN.match(value):
        raise ValidationError(_("Use 3 to 60 letters or digits for your username, without spaces."))
    if Account.select().where(Account.username == value).exists():
        raise ValidationError(_("Someone already has this username, so choose another one."))


class NewAccountForm(TafelForm):
    username = StringField(
        lazy_gettext("Username"),
        [validators.InputRequired(message=lazy_gettext("Fill in a username.")), username_rule],
        description=lazy_gettext("You log in with this name. Letters and digits, no spaces."),
    )
    password, repeat = password_fields()


class ResetForm(TafelForm):
    password, repeat = password_fields()


class ChangePasswordForm(TafelForm):
    current = PasswordField(
        lazy_gettext("Your password now"),
        [validators.InputRequired(message=lazy_gettext("Fill in your password now."))],
    )
    password, repeat = password_fields()


class LinkForm(TafelForm):
    person = SelectField(lazy_gettext("Person"), coerce=int, validate_choice=True)


class GrantForm(TafelForm):
    account = SelectField(lazy_gettext("Person"), coerce=int)
    right = SelectField(lazy_gettext("Right"), choices=[(r, RIGHT_LABELS[r]) for r in RIGHTS])
    project = SelectField(
        lazy_gettext("For which project (coordinators only)"),
        coerce=int,
        description=lazy_gettext("Choose the whole organisation or one project."),
    )


# --- invite and reset links ------------------------------------------------------------------


def invitable_people(viewer):
    """People this viewer may make links for, with whether they have an account.

    Organisation coordinators and administrators: everyone; project coordinators: the
    people of their projects. Accounts with rights: administrators only."""
    query = (
        Person.select(Person, fn.COUNT(Account.id).alias("has_account"))
        .join(Account, JOIN.LEFT_OUTER, on=(Account.person == Person.id))
        .where(Person.display_name.is_null(False))
        .group_by(Person.id)
        .order_by(Person.display_name)
    )
    if not viewer.is_admin:
        # A new-password link takes over an account: for accounts holding a right (admin,
        # coordinator, treasurer, privacy) only an administrator may make one.
        with_rights = Account.select(Account.person).join(Grant, on=(Grant.account == Account.id))
        query = query.where(Person.id.not_in(with_rights))
    if not (viewer.is_org_coordinator or viewer.is_admin):
        in_my_projects = Membership.select(Membership.person).where(
            Membership.project.in_(list(viewer.coordinates) or [0])
        )
        query = query.where(Person.id.in_(in_my_projects))
    return list(query)


@routes.get("/accounts/links", rule=ANY_COORDINATOR)
def links_page(request: Request, viewer):
    """Make an invite or a new-password link for someone."""
    people = invitable_people(viewer)
    form = LinkForm()
    form.person.choices = _person_choices(people)
    return render(request, "accounts/links.html", {"form": form})


def _person_choices(people):
    return [
        (
            p.id,
            p.display_name
            + " · "
            + (_("has an account") if p.has_account else _("no account yet")),
        )
        for p in people
    ]


@routes.post("/accounts/links", rule=ANY_COORDINATOR)
def make_link_route(request: Request, viewer):
    people = invitable_people(viewer)
    form = bind(LinkForm, request)
    form.person.choices = _person_choices(people)
    if not form.validate():
        return render(request, "accounts/links.html", {"form": form}, status_code=400)
    person = next(p for p in people if p.id == form.person.data)
    with database.atomic():
        link, token = make_link(person, created_by=viewer.account_id)
        audit.record(
            viewer.account_id,
            f"link.{link.kind}",
            link,
            person=person.id,
            after={"kind": link.kind, "expires_at": link.expires_at},
        )
    request.session["new_link"] = {"id": link.id, "token": token}
    return RedirectResponse(f"/accounts/links/{link.id}", status_code=303)


def _link_param(request: Request) -> int | None:
    link_id = request.path_params["link_id"]
    return link_id if AccessLink.select().where(AccessLink.id == link_id).exists() else None


def _sees_link(viewer, link_id: int) -> bool:
    """Who a link was made for is seen by its maker and those who may make every link."""
    if viewer.is_admin or viewer.is_org_coordinator:
        return True
    maker = AccessLink.select(AccessLink.created_by).where(AccessLink.id == link_id).scalar()
    return viewer.is_any_coordinator and maker == viewer.account_id


LINK_VIEWER = Rule("the link's maker or an organisation coordinator", _sees_link, _link_param)


@routes.get("/accounts/links/{link_id:int}", rule=LINK_VIEWER)
def link_slip(request: Request, viewer):
    """The link on screen and on a printable slip with a QR code (shown to its maker only)."""
    link = (
        AccessLink.select(AccessLink, Person)
        .join(Person)
        .where(AccessLink.id == request.path_params["link_id"])
        .first()
    )
    if link is None:
        raise HTTPException(404)
    stored = request.session.get("new_link") or {}
    url = qr = None
    if stored.get("id") == link.id and link.usable:
        url = link_url(str(request.base_url), stored["token"])
        qr = segno.make(url, error="m").svg_data_uri(scale=4, border=2)
    return render(request, "accounts/slip.html", {"link": link, "url": url, "qr": qr})


def _open_link(request: Request):
    link = AccessLink.find(request.path_params["token"])
    if link is None:
        return None, render(request, "accounts/link_gone.html", {}, status_code=404)
    return link, None


@routes.get("/welcome/{token}", rule=PUBLIC)
def welcome_page(request: Request, viewer):
    """Opening an invite or reset link: choose a username (invite) and a password."""
    link, gone = _open_link(request)
    if gone:
        return gone
    form = NewAccountForm() if link.kind == "invite" else ResetForm()
    return render(request, "accounts/welcome.html", {"link": link, "form": form})


@routes.post("/welcome/{token}", rule=PUBLIC)
def welcome(request: Request, viewer):
    link, gone = _open_link(request)
    if gone:
        return gone
    form = bind(NewAccountForm if link.kind == "invite" else ResetForm, request)
    if not form.validate():
        return render(
            request, "accounts/welcome.html", {"link": link, "form": form}, status_code=400
        )
    with database.atomic():
        used = (
            AccessLink.update(used_at=now())
            .where((AccessLink.id == link.id) & AccessLink.used_at.is_null())
            .execute()
        )
        if used != 1:
            return render(request, "accounts/link_gone.html", {}, status_code=404)
        account = Account.get_or_none(Account.person == link.person_id)
        if link.kind == "invite" and account is None:
            account = Account.create(
                person=link.person_id,
                username=form.username.data.strip().lower(),
                password_hash=hash_password(form.password.data),
                language=request.session.get("lang") or "nl",
            )
            for right in filter(None, link.rights.split(",")):
                Grant.create(account=account, right=right, granted_by=link.created_by_id)
            audit.record(
                account.id,
                "account.create",
                account,
                person=link.person_id,
                after={"username": account.username, "rights": link.rights},
            )
        elif account is not None:
            Account.update(password_hash=hash_password(form.password.data)).where(
                Account.id == account.id
            ).execute()
            # A new password ends every other session of the person.
            UserSession.delete().where(UserSession.account == account.id).execute()
            audit.record(account.id, "account.reset_password", account, person=link.person_id)
        else:
            return render(request, "accounts/link_gone.html", {}, status_code=404)
        start_session(request, account)
    return RedirectResponse("/", status_code=303)


# --- rights --------------------------------------------------------------------------------


def _rights_context(form=None, error=None):
    accounts = list(
        Account.select(Account, Person).join(Person).order_by(Person.display_name, Account.id)
    )
    grants = {}
    for grant in (
        Grant.select(Grant, Project)
        .join(Project, JOIN.LEFT_OUTER)
        .order_by(Grant.right, Project.name)
    ):
        grants.setdefault(grant.account_id, []).append(grant)
    projects = list(Project.by_name())
    form = form or GrantForm()
    form.account.choices = [(a.id, f"{a.person.display_name} ({a.username})") for a in accounts]
    form.project.choices = [(0, _("The whole organisation"))] + [(p.id, p.name) for p in projects]
    return {
        "accounts": accounts,
        "grants": grants,
        "form": form,
        "error": error,
        "labels": RIGHT_LABELS,
    }


@routes.get("/admin/rights", rule=ADMIN)
def rights_page(request: Request, viewer):
    """Who holds which right; grant and withdraw rights."""
    return render(request, "accounts/rights.html", _rights_context())


@routes.post("/admin/rights/grant", rule=ADMIN)
def grant_right(request: Request, viewer):
    form = bind(GrantForm, request)
    context = _rights_context(form)
    if not form.validate():
        return render(request, "accounts/rights.html", context, status_code=400)
    account = next(a for a in context["accounts"] if a.id == form.account.data)
    project = form.project.data if form.right.data == "coordinator" and form.project.data else None
    exists = Grant.select().where(
        (Grant.account == account.id)
        & (Grant.right == form.right.data)
        & (Grant.project.is_null() if project is None else Grant.project == project)
    )
    if not exists.exists():
        with database.atomic():
            grant = Grant.create(
                account=account.id,
                right=form.right.data,
                project=project,
                granted_by=viewer.account_id,
            )
            audit.record(
                viewer.account_id,
                "right.grant",
                grant,
                project=project,
                person=account.person_id,
                after={"right": form.right.data, "username": account.username},
            )
    return RedirectResponse("/admin/rights", status_code=303)


@routes.post("/admin/rights/{grant_id:int}/withdraw", rule=ADMIN)
def withdraw_right(request: Request, viewer):
    grant = (
        Grant.select(Grant, Account)
        .join(Account, on=(Grant.account == Account.id))
        .where(Grant.id == request.path_params["grant_id"])
        .first()
    )
    if grant is None:
        raise HTTPException(404)
    with database.atomic():
        if grant.right == "admin" and _admin_count() <= 1:
            error = _("This is the last administrator. First make someone else administrator.")
            return render(
                request, "accounts/rights.html", _rights_context(error=error), status_code=400
            )
        grant.delete_instance()
        audit.record(
            viewer.account_id,
            "right.withdraw",
            grant,
            project=grant.project_id,
            person=grant.account.person_id,
            before={"right": grant.right, "username": grant.account.username},
        )
    return RedirectResponse("/admin/rights", status_code=303)


def _admin_count() -> int:
    return Grant.select().where(Grant.right == "admin").count()


# --- the audit log ---------------------------------------------------------------------------


def _date_filter(params, name: str, errors: dict) -> dt.date | None:
    """The date filter `name`; a date out of range is ignored and explained next to it."""
    text = (params.get(name) or "").strip()
    day = posted_date(text)
    if text and day is None:
        errors[name] = date_range_message()
    return day


@routes.get("/audit", rule=ANY_COORDINATOR)
def audit_page(request: Request, viewer):
    """Changes to accounts, rights, people and projects: who, when, what, before and after."""
    params = request.query_params
    person_id = posted_id(params.get("person"))
    project_id = posted_id(params.get("project"))
    errors = {}
    since, until = _date_filter(params, "from", errors), _date_filter(params, "to", errors)
    page = posted_id(params.get("page")) or 1

    actor, actor_person, subject = Account.alias(), Person.alias(), Person.alias()
    query = (
        AuditEntry.select(AuditEntry, actor, actor_person, subject, Project)
        .join(actor, JOIN.LEFT_OUTER, on=(AuditEntry.actor == actor.id), attr="actor_account")
        .join(actor_person, JOIN.LEFT_OUTER, on=(actor.person == actor_person.id), attr="who")
        .switch(AuditEntry)
        .join(subject, JOIN.LEFT_OUTER, on=(AuditEntry.person == subject.id), attr="subject")
        .switch(AuditEntry)
        .join(Project, JOIN.LEFT_OUTER, on=(AuditEntry.project == Project.id), attr="about")
    )
    if not (viewer.is_org_coordinator or viewer.is_admin):
        query = query.where(AuditEntry.project.in_(list(viewer.coordinates) or [0]))
    if not viewer.has_privacy_right:
        # That someone's client background changed at all is theirs to tell (health data).
        query = query.where(~AuditEntry.action.startswith("person.background"))
    if not viewer.is_treasurer:
        # Who claimed a reimbursement is for the treasurer and the sub-budget's manager only.
        query = query.where(~AuditEntry.action.startswith("budget.claim."))
    if person_id:
        query = query.where(AuditEntry.person == person_id)
    if project_id:
        query = query.where(AuditEntry.project == project_id)
    if since:
        query = query.where(AuditEntry.at >= dt.datetime.combine(since, dt.time()))
    if until:
        query = query.where(
            AuditEntry.at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time())
        )
    rows = list(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset((page - 1) * AUDIT_PAGE_SIZE)
        .limit(AUDIT_PAGE_SIZE + 1)
    )
    more = len(rows) > AUDIT_PAGE_SIZE
    privacy = viewer.has_privacy_right
    entries = [
        {
            "entry": e,
            "before": _shown(e.values("before", privacy)),
            "after": _shown(e.values("after", privacy)),
        }
        for e in rows[:AUDIT_PAGE_SIZE]
    ]
    people = list(
        Person.select(Person.id, Person.display_name)
        .where(Person.display_name.is_null(False))
        .order_by(Person.display_name)
    )
    projects = list(Project.select(Project.id, Project.name).order_by(Project.name))
    filters = {
        "person": person_id or "",
        "project": project_id or "",
        "from": since.isoformat() if since else "",
        "to": until.isoformat() if until else "",
    }
    query_string = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    return render(
        request,
        "accounts/audit.html",
        {
            "entries": entries,
            "people": people,
            "projects": projects,
            "filters": filters,
            "errors": errors,
            "page": page,
            "more": more,
            "query_string": query_string,
            "actions": ACTION_LABELS,
        },
    )


def _shown(values: dict) -> dict:
    """Values as shown: never a secret, even when an old line holds one."""
    return {k: v for k, v in values.items() if k not in SECRET_KEYS}


# --- my account --------------------------------------------------------------------------------


def _my_account_context(viewer, form=None, message=None):
    account = (
        Account.select(Account, Person).join(Person).where(Account.id == viewer.account_id).get()
    )
    return {"account": account, "form": form or ChangePasswordForm(), "message": message}


@routes.get("/account", rule=SIGNED_IN)
def my_account(request: Request, viewer):
    """My account: password, language, my data, removal."""
    message = _("Your password is changed.") if request.query_params.get("changed") else None
    return render(request, "accounts/account.html", _my_account_context(viewer, message=message))


@routes.post("/account/password", rule=SIGNED_IN)
def change_password(request: Request, viewer):
    form = bind(ChangePasswordForm, request)
    account = Account.get_by_id(viewer.account_id)
    valid = form.validate()
    if valid and not verify_password(form.current.data, account.password_hash)[0]:
        form.current.errors = [_("This is not your password now. Try again.")]
        valid = False
    if not valid:
        return render(
            request, "accounts/account.html", _my_account_context(viewer, form), status_code=400
        )
    with database.atomic():
        Account.update(password_hash=hash_password(form.password.data)).where(
            Account.id == account.id
        ).execute()
        # Other browsers signed in as this person are signed out.
        UserSession.delete().where(
            (UserSession.account == account.id) & (UserSession.id != viewer.extra.get("session_id"))
        ).execute()
        audit.record(viewer.account_id, "account.change_password", account, person=viewer.person_id)
    return RedirectResponse("/account?changed=1", status_code=303)


def personal_data(person_id: int) -> dict:
    """Everything Tafel holds about one person, and nothing about anyone else."""
    person = Person.get_by_id(person_id)
    account = Account.get_or_none(Account.person == person_id)
    memberships = (
        Membership.select(Membership, Project, RoleStep)
        .join(Project)
        .switch(Membership)
        .join(RoleStep)
        .where(Membership.person == person_id)
        .order_by(Project.name)
    )
    rights = []
    if account is not None:
        rights = [
            {"right": g.right, "project": g.project.name if g.project else None}
            for g in Grant.select(Grant, Project)
            .join(Project, JOIN.LEFT_OUTER)
            .where(Grant.account == account.id)
        ]
    lines = AuditEntry.select().where(AuditEntry.person == person_id).order_by(AuditEntry.at)
    data = {
        "made_at": now().isoformat(),
        "person": {
            "display_name": person.display_name,
            "contact": person.contact,
            "client_background": person.client_background,
            "background_consent_on": person.background_consent_on,
            "wants_paid_work": person.wants_paid_work,
            "dream": person.dream,
            "learn": person.learn,
            "removal_requested_at": person.removal_requested_at,
            "created_at": person.created_at,
        },
        "memberships": [
            {
                "project": m.project.name,
                "layer": m.layer,
                "step": m.step.name,
                "status": m.status,
                "since": m.since,
                "chair_since": m.chair_since,
                "minutes_since": m.minutes_since,
                "tasks": m.tasks,
                "has_duo_partner": m.duo_partner_id is not None,
            }
            for m in memberships
        ],
        "account": None
        if account is None
        else {
            "username": account.username,
            "language": account.language,
            "created_at": account.created_at,
            "last_login_at": account.last_login_at,
            "rights": rights,
        },
        "history": [
            {
                "at": line.at,
                "action": line.action,
                "before": line.values("before", True),
                "after": line.values("after", True),
            }
            for line in lines
        ],
    }
    data.update(extra_sections(person_id))
    return data


@routes.get("/account/download", rule=SIGNED_IN)
def download(request: Request, viewer):
    """My data as a JSON file."""
    data = personal_data(viewer.person_id)
    body = json.dumps(data, default=str, ensure_ascii=False, indent=2)
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="mijn-gegevens-tafel.json"'},
    )


@routes.post("/account/removal", rule=SIGNED_IN)
def ask_removal(request: Request, viewer):
    """Ask a coordinator to remove me."""
    with database.atomic():
        Person.update(removal_requested_at=now()).where(
            (Person.id == viewer.person_id) & Person.removal_requested_at.is_null()
        ).execute()
        audit.record(viewer.account_id, "person.ask_removal", person=viewer.person_id)
    return RedirectResponse("/account", status_code=303)


# --- removals (coordinators) -------------------------------------------------------------------


def _removals_context(error=None):
    people = list(
        Person.select()
        .where(Person.removal_requested_at.is_null(False) & Person.erased_at.is_null())
        .order_by(Person.removal_requested_at)
    )
    return {"people": people, "error": error}


@routes.get("/removals", rule=REMOVAL_MANAGER)
def removals_page(request: Request, viewer):
    """People who asked to be removed."""
    return render(request, "accounts/removals.html", _removals_context())


def erase_person(person: Person) -> None:
    """Erase a person's identity; memberships and history stay as "former member"."""
    account = Account.get_or_none(Account.person == person.id)
    if account is not None:
        account.delete_instance(recursive=False)  # sessions and grants go with it (CASCADE)
    AccessLink.delete().where(AccessLink.person == person.id).execute()
    Membership.update(status="ended").where(
        (Membership.person == person.id) & (Membership.status != "ended")
    ).execute()
    Person.update(
        display_name=None,
        contact="",
        client_background="not_said",
        background_consent_on=None,
        background_recorded_by=None,
        wants_paid_work=False,
        dream="",
        learn="",
        erased_at=now(),
    ).where(Person.id == person.id).execute()
    # The history stays, but not their answers or the name they chose as a username.
    for line in AuditEntry.select().where(AuditEntry.person == person.id):
        before, after = (
            {k: v for k, v in json.loads(text or "{}").items() if k not in ERASED_KEYS}
            for text in (line.before, line.after)
        )
        AuditEntry.update(
            before=json.dumps(before, ensure_ascii=False, sort_keys=True),
            after=json.dumps(after, ensure_ascii=False, sort_keys=True),
        ).where(AuditEntry.id == line.id).execute()


@routes.post("/removals/{person_id:int}/confirm", rule=REMOVAL_MANAGER)
def confirm_removal(request: Request, viewer):
    person = Person.get_or_none(Person.id == request.path_params["person_id"])
    if person is None:
        raise HTTPException(404)
    if person.removal_requested_at is None or person.erased_at is not None:
        error = _("This person did not ask to be removed.")
        return render(request, "accounts/removals.html", _removals_context(error), status_code=400)
    with database.atomic():
        holds_admin = (
            Grant.select()
            .join(Account, on=(Grant.account == Account.id))
            .where((Account.person == person.id) & (Grant.right == "admin"))
            .exists()
        )
        if holds_admin and _admin_count() <= 1:
            error = _("This is the last administrator. First make someone else administrator.")
            return render(
                request, "accounts/removals.html", _removals_context(error), status_code=400
            )
        erase_person(person)
        audit.record(viewer.account_id, "person.erase", person, person=person.id)
    return RedirectResponse("/removals", status_code=303)
