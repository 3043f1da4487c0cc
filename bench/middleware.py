"""What each middleware costs a request (issue 23.7): the project page for the signed-in
coordinator and the 404 page for a visitor without a session, asked in process many times
with the whole stack and with one middleware left out at a time; the process's CPU time
per request (user + system, all threads: the test client's share is the same in every
variant, so the differences are the middleware's).

    .venv/bin/python bench/middleware.py --url sqlite:////tmp/fed-0.1.db

The session middleware cannot simply be left out (the coordinator is signed in by it): its
variant hands every request the session it would have read from the cookie, without
reading or signing a cookie, which is what the middleware's own work costs.
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from itsdangerous import TimestampSigner  # noqa: E402
from pages import PASSWORD, USER, targets  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402
from starlette.middleware.gzip import GZipMiddleware  # noqa: E402
from starlette.middleware.sessions import SessionMiddleware  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from webapp.app import Tafel, create_app  # noqa: E402
from webapp.limits import BodyLimit  # noqa: E402
from webapp.request_log import RequestLog  # noqa: E402
from webapp.security import SecurityHeaders  # noqa: E402


class GivenSession:
    """Stands in for SessionMiddleware: every request gets this session, no cookie."""

    def __init__(self, app, session: dict):
        self.app, self.session = app, session

    async def __call__(self, scope, receive, send):
        if scope["type"] in ("http", "websocket"):
            scope["session"] = dict(self.session)
        await self.app(scope, receive, send)


def variant(app, leave_out: str, session: dict):
    """The app's middleware stack rebuilt without `leave_out` ("" keeps everything)."""
    kept = []
    for middleware in app.user_middleware:
        if middleware.cls is GZipMiddleware and leave_out == "gzip":
            continue
        if middleware.cls is BodyLimit and leave_out == "body limit":
            continue
        if middleware.cls is SessionMiddleware and leave_out == "session":
            middleware = Middleware(GivenSession, session=session)
        kept.append(middleware)
    app.user_middleware = kept
    settings = app.settings

    def build():
        stack = super(Tafel, app).build_middleware_stack()
        if leave_out != "security headers":
            stack = SecurityHeaders(stack, https=settings.https)
        if leave_out != "request log":
            stack = RequestLog(stack, production=settings.production, reraise=True)
        return stack

    app.build_middleware_stack = build
    app.middleware_stack = None
    return app


def cpu_per_request(client: TestClient, path: str, status: int, requests: int) -> float:
    for _ in range(5):
        assert client.get(path).status_code == status
    start = time.process_time()
    for _ in range(requests):
        client.get(path)
    return (time.process_time() - start) * 1000 / requests


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    pages, _year = targets(args.url)
    project = pages["project page"]
    names = ["", "gzip", "body limit", "session", "security headers", "request log"]
    best: dict[str, dict[str, float]] = {name: {} for name in names}
    with TestClient(create_app(args.url)) as signing_in:
        token = re.search(r'name="csrf_token" value="([^"]+)"', signing_in.get("/login").text)
        signing_in.post(
            "/login", data={"username": USER, "password": PASSWORD, "csrf_token": token.group(1)},
            follow_redirects=False,
        )  # fmt: skip
        cookie = signing_in.cookies.get("tafel_session")
        app = signing_in.app
        signer = TimestampSigner(str(app.settings.secret_key))
        session = json.loads(base64.b64decode(signer.unsign(cookie.encode())))
    for _round in range(args.rounds):
        for name in names:
            app = variant(create_app(args.url), name, session)
            with TestClient(app) as client:
                if name != "session":
                    client.cookies.set("tafel_session", cookie)
                page = cpu_per_request(client, project, 200, args.requests)
            with TestClient(variant(create_app(args.url), name, {})) as anonymous:
                missing = cpu_per_request(anonymous, "/nothing-here", 404, args.requests)
                assert not anonymous.cookies
            for key, value in (("project page", page), ("404, no session", missing)):
                best[name][key] = min(best[name].get(key, value), value)
    print(
        "| left out | project page, CPU ms | its cost | 404 without a session, CPU ms | its cost |"
    )
    print("| --- | --- | --- | --- | --- |")
    whole = best[""]
    for name in names:
        row = best[name]
        page, missing = row["project page"], row["404, no session"]
        print(
            f"| {name or 'nothing (the whole stack)'} | {page:.2f} | "
            f"{whole['project page'] - page:+.2f} | "
            f"{missing:.2f} | {whole['404, no session'] - missing:+.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
