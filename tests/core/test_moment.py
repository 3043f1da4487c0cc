"""A moment on a page (the `moment` filter) is Babel's "d MMMM y, H.mm" in Dutch time, in
every language, though only its date part is asked of Babel (webapp/templating.py)."""

import datetime as dt

from babel.dates import format_datetime

from webapp.i18n import available_languages, current_language
from webapp.templating import local, show_moment


def test_a_moment_reads_as_babel_writes_it_in_every_language():
    start = dt.datetime(2026, 3, 28, 22, 59)  # across the change to summer time
    moments = [start + dt.timedelta(minutes=37 * i) for i in range(120)]
    moments += [dt.datetime(2026, 10, 25, 0, 30), dt.datetime(2026, 12, 31, 23, 5)]
    for language in available_languages():
        token = current_language.set(language)
        try:
            for moment in moments:
                babel = format_datetime(local(moment), "d MMMM y, H.mm", locale=language)
                assert show_moment(moment) == babel, (language, moment)
        finally:
            current_language.reset(token)
    assert show_moment(None) == ""
