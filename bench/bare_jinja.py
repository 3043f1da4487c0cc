"""A real bare Starlette + Jinja app: the baseline for what a page costs without Tafel.

It renders the same template as Tafel's page, with the same data, with Tafel's own Jinja
environment (filters, translations), in the same thread pool (`run_in_threadpool`, as
webapp/access.py runs every handler), and answers it through Starlette, with no middleware,
no session, no access rule and no SQL. The data is Tafel's: at start-up the app asks Tafel
for the page once (in process, logged in as the demo's coordinator) and keeps the template's
name and context as Tafel's handler handed them to `render`; every request renders them anew.

`prepare(url, path)` gives (template name, context, language); pages.py renders once in
process to show that rendering runs no query and gives Tafel's HTML (CSRF tokens aside).

Served by pages.py as: python bench/bare_jinja.py URL PATH PORT
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def prepare(url: str, path: str, user: str = "", password: str = "") -> tuple[str, dict, str]:
    """Ask Tafel for `path` once and keep what its handler gave the template."""
    from pages import PASSWORD, USER
    from starlette.testclient import TestClient

    from models.db import database
    from webapp import templating
    from webapp.app import create_app
    from webapp.i18n import current_language

    app = create_app(url)
    seen = {}
    original = templating.templates.TemplateResponse

    def keep(request, name, context, **kwargs):
        seen.update(name=name, context={**context, "request": request},
                    language=current_language.get())  # fmt: skip
        return original(request, name, context, **kwargs)

    templating.templates.TemplateResponse = keep
    try:
        host = os.environ.get("TAFEL_BENCH_HOST", "")  # one organisation of several
        base = f"http://{host}" if host else "http://testserver"
        with TestClient(app, base_url=base) as client:
            page = client.get("/login").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
            client.post(
                "/login",
                data={"username": user or USER, "password": password or PASSWORD,
                      "csrf_token": token},
                follow_redirects=False,
            )  # fmt: skip
            seen.clear()
            answer = client.get(path)
            if answer.status_code != 200 or "name" not in seen:
                raise SystemExit(f"Tafel's {path} answered {answer.status_code}")
    finally:
        templating.templates.TemplateResponse = original
    database.close()
    return seen["name"], seen["context"], seen["language"]


def render(name: str, context: dict, language: str) -> str:
    """The page's HTML from Tafel's template and environment (call in a worker thread)."""
    from webapp.i18n import current_language
    from webapp.templating import env

    current_language.set(language)
    return env.get_template(name).render(context)


def make_app(name: str, context: dict, language: str):
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import HTMLResponse
    from starlette.routing import Route

    async def page(request):
        html = await run_in_threadpool(render, name, context, language)
        return HTMLResponse(html)

    return Starlette(routes=[Route("/", page)])


def main() -> None:
    import uvicorn

    url, path, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    name, context, language = prepare(url, path)
    uvicorn.run(make_app(name, context, language), port=port, log_level="warning",
                access_log=False)  # fmt: skip


if __name__ == "__main__":
    main()
