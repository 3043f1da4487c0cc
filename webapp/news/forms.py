"""The form of the page where a person allows Tafel to notify their phone: the browser's push
address and keys, which the page's script fills in (static/js/push.js)."""

import re

from wtforms import HiddenField, validators

from webapp.forms import TafelForm
from webapp.i18n import lazy_gettext

# A key of the Push API as the browser gives it: base64url without padding.
BASE64URL = re.compile(r"^[A-Za-z0-9_-]+$")
NO_PUSH = lazy_gettext(
    "Your browser did not give an address for messages. Use the button on a phone or "
    "browser with JavaScript switched on."
)


class PhoneForm(TafelForm):
    endpoint = HiddenField(
        lazy_gettext("Address for messages"),
        [
            validators.InputRequired(message=NO_PUSH),
            validators.Length(max=500, message=NO_PUSH),
            validators.URL(require_tld=False, message=NO_PUSH),
        ],
    )
    p256dh = HiddenField(
        lazy_gettext("Key"),
        [
            validators.InputRequired(message=NO_PUSH),
            validators.Length(min=80, max=100, message=NO_PUSH),
            validators.Regexp(BASE64URL, message=NO_PUSH),
        ],
    )
    auth = HiddenField(
        lazy_gettext("Secret"),
        [
            validators.InputRequired(message=NO_PUSH),
            validators.Length(min=16, max=40, message=NO_PUSH),
            validators.Regexp(BASE64URL, message=NO_PUSH),
        ],
    )
