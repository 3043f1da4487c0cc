"""Pages nobody may keep, even for a visitor who is not signed in (issue 19, low): the login
form, the start page and a welcome link's page carry a CSRF token, and a welcome page says
whose link it is. Signed-in responses get `no-store` from webapp/security.py already."""

from starlette.responses import Response


def no_store(response: Response) -> Response:
    """The response with `Cache-Control: no-store` (no browser or proxy keeps it)."""
    response.headers["Cache-Control"] = "no-store"
    return response
