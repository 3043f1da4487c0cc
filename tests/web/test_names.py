"""Names (issue 11, point 10): a name that is empty after trimming is refused, and so is one
with a character that turns the writing direction, in every form that names something and in
the CSV imports (models/rules/names.py, webapp.forms.Name)."""

import pytest
from starlette.datastructures import FormData

from models import clock
from models.budget import BudgetYear, Post, SubBudget, exchange
from models.organisation import Project
from models.rules import names
from models.rules.csvfile import EMPTY_NAME, CsvError
from tests.conftest import MEMBER_PROJECT, post
from webapp.core.forms import OrganisationForm, ProjectForm
from webapp.forms import BIDI_IN_NAME
from webapp.meetings.forms import PlanForm
from webapp.people.forms import MembershipNewForm, StepForm

YEAR = clock.today().year
BIDI = ["\u202e", "\u202a", "\u202b", "\u202c", "\u202d", "\u2066", "\u2067", "\u2068",
        "\u2069", "\u200e", "\u200f"]  # fmt: skip
EMPTY = [" ", "   ", "\t", "\u00a0", "\u200b", " \u200b\u3000 "]


def test_the_rule_trims_and_refuses_direction_controls():
    assert names.clean_name("  Feest\u200b ") == "Feest"
    assert names.clean_name("Caf\u00e9 \u0627\u0644\u0628\u064a\u062a") == (
        "Caf\u00e9 \u0627\u0644\u0628\u064a\u062a"  # Arabic letters are welcome
    )
    for text in EMPTY:
        assert names.clean_name(text) == ""
    for char in BIDI:
        with pytest.raises(names.RuleError):
            names.clean_name(f"gpj{char}.exe")
    assert str(BIDI_IN_NAME) != "" and names.BIDI_IN_NAME.startswith("Remove the hidden")


def test_a_post_or_sub_budget_of_spaces_or_with_an_override_is_refused(as_viewer, db):
    treasurer = as_viewer("penningmeester")
    count = Post.select().count()
    for name in [*EMPTY, "\u202eteef", "Feest\u2067"]:
        response = post(treasurer, "/budget/posts", {"name": name, "year": str(YEAR)})
        assert response.status_code == 400, repr(name)
        assert 'id="name-error"' in response.text
    assert Post.select().count() == count
    response = post(treasurer, "/budget/posts", {"name": "\u202eteef", "year": str(YEAR)})
    assert "schrijfrichting" in response.text  # the plain sentence, in Dutch
    response = post(treasurer, "/budget/posts", {"name": "  Feest \u200b", "year": str(YEAR)},
                    follow_redirects=False)  # fmt: skip
    assert response.status_code == 303
    party = Post.get(Post.name == "Feest")
    subs = SubBudget.select().count()
    for name in (" ", "\u200f"):
        response = post(treasurer, f"/budget/posts/{party.id}/sub-budgets",
                        {"name": name, "manager": "", "project": ""})  # fmt: skip
        assert response.status_code == 400
    assert SubBudget.select().count() == subs


def _form(form_class, data, **options):
    return form_class(formdata=FormData(data), **options)


def test_every_form_that_names_something_uses_the_rule(db):
    project = Project.get(Project.name == MEMBER_PROJECT)
    cases = [
        (ProjectForm, {"name": "{}", "steering_type": "client_steered", "ladder_level": "4"},
         "name", {}),
        (OrganisationForm, {"name": "{}"}, "name", {}),
        (StepForm, {"name": "{}", "position": "9", "category": "volunteer"}, "name", {}),
        (MembershipNewForm, {"new_person": "{}", "person": "0"}, "new_person",
         {"project_id": project.id}),
        (PlanForm, {"start": clock.today().isoformat(), "count": "1", "place": "{}"}, "place",
         {}),
    ]  # fmt: skip
    for form_class, data, field, options in cases:
        for value, refused in [(" ", field != "place"), ("\u202eevil", True), (" Zaal ", False)]:
            filled = {k: v.format(value) if k == field else v for k, v in data.items()}
            form = _form(form_class, filled, **options)
            form.validate()
            errors = getattr(form, field).errors
            assert bool(errors) == refused, (form_class.__name__, value, errors)
            if "\u202e" in value:
                assert errors == [str(BIDI_IN_NAME)]
            if not refused:
                assert getattr(form, field).data == value.strip()


def test_the_budget_import_refuses_such_names(db):
    raw = (
        "year;post;sub_budget;planned\n"
        f"{YEAR};Goed;;10\n"
        f"{YEAR};\u202eteef;;10\n"
        f"{YEAR};Goed;\u200b;10\n"
    ).encode()
    with pytest.raises(CsvError) as caught:
        exchange.import_budget(raw, None, None)
    assert [(p.line, p.column, p.template) for p in caught.value.problems] == [
        (3, "post", names.BIDI_IN_NAME),
        (4, "sub_budget", EMPTY_NAME),
    ]
    assert not Post.select().join(BudgetYear).where(Post.name == "Goed").exists()
