"""QuickSelect (webapp/forms.py) draws exactly WTForms' own Select HTML, faster (issue 23)."""

import pytest
from wtforms import Form
from wtforms.widgets import Select

from webapp.forms import IdChoiceField, QuickSelect


class _Form(Form):
    choice = IdChoiceField("Choice", validate_choice=False)


CASES = [
    (3, [(0, "Nobody"), (3, 'Jo "x" <b>&amp;'), (4, ""), (5, "Ann")]),
    (0, [(0, "Nobody"), (True, "yes"), (7, "Bo")]),
    (None, [("", "Choose a decision"), ("7", "a decision")]),
    (7, [("", "Choose a decision"), ("7", "a decision")]),
    (2, [(1, "a", {"disabled": True}), (2, "b")]),  # an option with its own attributes
    (1, []),
]


@pytest.mark.once
@pytest.mark.parametrize("data, choices", CASES)
def test_quick_select_draws_what_wtforms_draws(data, choices):
    form = _Form(data={"choice": data})
    form.choice.choices = choices
    attrs = {"aria-describedby": "choice-hint choice-error", "aria-invalid": "true"}
    assert QuickSelect()(form.choice, **attrs) == Select()(form.choice, **attrs)
    assert QuickSelect()(form.choice) == Select()(form.choice)
