"""Templates: Jinja2 with htmx fragments, translations and Dutch formatting of dates and money."""

import datetime as dt
import time
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

import jinja2
from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal
from jinja2_fragments.starlette import Jinja2Blocks
from starlette.requests import Request
from starlette.responses import Response

from models.rules.money import format_amount
from webapp.access import ANONYMOUS, LazyCsrfToken
from webapp.i18n import catalog, current_language, gettext, language_choices
from webapp.settings import ROOT
from webapp.static import RECHECK_SECONDS, static_url

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class TemplateFiles(jinja2.FileSystemLoader):
    """Jinja's loader of the templates folder, except that whether a template's file changed
    is looked at (a `stat`) at most every RECHECK_SECONDS, as static_url does: every page
    asked it five to eight times (each include and import), a twelfth of the project page's
    rendering (issue 23). An edited template still shows within two seconds."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        checked = [time.monotonic(), True]

        def fresh() -> bool:
            moment = time.monotonic()
            if moment - checked[0] >= RECHECK_SECONDS:
                checked[0], checked[1] = moment, uptodate()
            return checked[1]

        return source, filename, fresh


env = jinja2.Environment(
    loader=TemplateFiles(str(ROOT / "templates")),
    autoescape=jinja2.select_autoescape(["html"]),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
# Jinja fills in the variables itself (num and any other), so its ngettext only picks the form.
env.install_gettext_callables(
    gettext, lambda singular, plural, n: catalog().ngettext(singular, plural, n), newstyle=True
)


# A page asks `_()` for the same few texts again and again (a table's column name per row:
# 182 times on /representation, a fifth of its CPU). Jinja's newstyle gettext makes each a
# new Markup and formats it (`%` with no values, so "51%%" reads "51%"); without values the
# answer depends only on the catalog, the text and autoescaping, so it is kept (a catalog
# loaded anew is a new key). With values it is Jinja's own, unchanged.
_jinja_gettext = env.globals["gettext"]
_kept_texts: dict = {}


@jinja2.pass_context
def template_gettext(__context, __string, **variables):
    if variables:
        return _jinja_gettext(__context, __string, **variables)
    key = (catalog(), __context.eval_ctx.autoescape, __string)
    text = _kept_texts.get(key)
    if text is None:
        if len(_kept_texts) > 50_000:  # catalogs loaded again and again (tests)
            _kept_texts.clear()
        text = _kept_texts[key] = _jinja_gettext(__context, __string)
    return text


# `_` straight to it: Jinja's `_` looks `gettext` up in the context and calls it, per use.
env.globals.update(gettext=template_gettext, _=template_gettext)
templates = Jinja2Blocks(env=env)


def _lang() -> str:
    return current_language.get()


def show_date(value: dt.date | None, style: str = "long") -> str:
    """A date the Dutch way: "23 november 2026"."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = local(value).date()
    pattern = {"long": "d MMMM y", "short": "d MMM", "weekday": "EEEE d MMMM y"}.get(style, style)
    return _formatted_date(value, pattern, _lang())


@lru_cache(maxsize=8192)
def _formatted_date(value: dt.date, pattern: str, language: str) -> str:
    # A ledger page shows hundreds of lines over a few hundred days: Babel once per day.
    return format_date(value, pattern, locale=language)


def show_time(value: dt.time | dt.datetime | None) -> str:
    """A time the Dutch way: "19.30 uur"; in English "7:30 PM"."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = local(value).time()
    if _lang() == "nl":
        return format_time(value, "H.mm", locale="nl") + " uur"
    return format_time(value, "short", locale="en")


def local(value: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) moment in Dutch time."""
    return value.replace(tzinfo=dt.UTC).astimezone(AMSTERDAM)


def show_moment(value: dt.datetime | None) -> str:
    """A stored moment as date and time in Dutch time."""
    if value is None:
        return ""
    moment = local(value)
    # Babel's "d MMMM y, H.mm", the date part through the kept dates (Babel once per day):
    # Babel for every moment was a tenth of /audit's CPU (tests/core: the same text).
    day = _formatted_date(moment.date(), "d MMMM y", _lang())
    return f"{day}, {moment.hour}.{moment.minute:02d}"


def show_money(cents: int | None) -> str:
    """Integer cents as money: "€ 1.234,56"; a minus amount with its sign before the euro,
    as Dutch writes it: "-€ 12,49", not "€ -12,49" (docs/words.md)."""
    if cents is None:
        return ""
    if isinstance(cents, int) and not isinstance(cents, bool):
        if cents < 0:
            return "-" + format_amount(-cents, _lang())
        return format_amount(cents, _lang())
    return format_currency(Decimal(cents).scaleb(-2), "EUR", locale=_lang())


def show_number(value) -> str:
    """A number the local way (decimal comma in Dutch)."""
    return format_decimal(value, locale=_lang())


env.filters.update(
    date=show_date,
    time=show_time,
    moment=show_moment,
    money=show_money,
    number=show_number,
)
env.globals["htmx_file"] = "js/htmx-2.0.11.min.js"
env.globals["static_url"] = static_url
env.globals["language_choices"] = language_choices


def is_fragment_request(request: Request) -> bool:
    """True for an htmx request that wants a part of a page, not a whole page."""
    headers = request.headers
    return (
        headers.get("hx-request") == "true"
        and headers.get("hx-boosted") != "true"
        and headers.get("hx-history-restore-request") != "true"
    )


def render(
    request: Request,
    name: str,
    context: dict | None = None,
    *,
    block: str | None = None,
    status_code: int = 200,
    headers: dict | None = None,
):
    """Render a page, or only `block` of it for an htmx request that asks for a part."""
    ctx = {
        "viewer": getattr(request.state, "viewer", ANONYMOUS),
        "csrf_token": LazyCsrfToken(request) if "session" in request.scope else "",
        "lang": _lang(),
        "path": request.url.path,
    }
    ctx.update(context or {})
    all_headers = {"Vary": "HX-Request"}
    all_headers.update(headers or {})
    if block and is_fragment_request(request):
        return templates.TemplateResponse(
            request, name, ctx, status_code=status_code, headers=all_headers, block_name=block
        )
    return templates.TemplateResponse(
        request, name, ctx, status_code=status_code, headers=all_headers
    )


EXCEL_BOM = "\ufeff"


def download_name(filename: str, data: bytes) -> str:
    """The file name a download gets: the "for Excel" variant of a CSV file (UTF-8 with a
    BOM and semicolons, the only CSV Tafel writes with a BOM: models.rules.csvfile.write_csv)
    is named apart from the plain one, `members.csv` and `members-excel.csv`, so both can
    sit side by side in a downloads folder (issue 22, section 2)."""
    if filename.endswith(".csv") and data.startswith(EXCEL_BOM.encode("utf-8")):
        return filename.removesuffix(".csv") + "-excel.csv"
    return filename


def file_download(body: str | bytes, filename: str, media_type: str = "text/csv; charset=utf-8"):
    """A file to download (CSV by default): the one way every download is answered. The
    Excel variant of a CSV file gets its own name (`download_name`)."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{download_name(filename, data)}"'},
    )
