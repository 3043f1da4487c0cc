"""The base for every form: server-side validation with messages in the viewer's language.

CSRF is checked centrally for every unsafe request (webapp.access), so forms don't repeat it.
"""

from starlette.requests import Request
from wtforms import Form

from webapp.i18n import current_language


class TafelForm(Form):
    """A WTForms form whose built-in messages follow the current language."""

    class Meta:
        @property
        def locales(self):
            return [current_language.get(), "en"]


def bind(form_class: type[Form], request: Request, obj=None, **data) -> Form:
    """The form filled from the posted data (POST) or from `obj`/`data` (GET)."""
    formdata = request.state.form if request.method == "POST" else None
    return form_class(formdata=formdata, obj=obj, data=data or None)


def safe_next(value: str | None, default: str = "/") -> str:
    """A local path to go to after a form, never another site."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def posted_id(value) -> int | None:
    """A database id sent in a form, or None when it is not one (too big, negative, text)."""
    from webapp.access import MAX_ID

    text = str(value or "").strip()
    return int(text) if text.isdigit() and int(text) <= MAX_ID else None
