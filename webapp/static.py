"""Static files: addresses that name their version, cached for a year; everything else briefly.

htmx is vendored with its version in the file name (static/js/htmx-2.0.11.min.js); our own
files get the start of their content hash in the address (`static_url("css/tafel.css")` gives
`/static/css/tafel.css?v=…`), so a changed file is a new address and browsers may keep every
address for good. Compression is GZipMiddleware's job (webapp/app.py).
"""

import hashlib
import os
import re
import time
from functools import lru_cache
from urllib.parse import parse_qs

from starlette.staticfiles import StaticFiles

from webapp.settings import ROOT

STATIC = ROOT / "static"
LONG_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=300"
# "htmx-2.0.11.min.js": a released version in the name never changes its content.
VERSIONED_NAME = re.compile(r"-\d+(?:\.\d+)+(?:\.min)?\.[a-z0-9]+$")


def static_url(path: str) -> str:
    """The address of a file in static/, carrying its version or content hash.

    Every page asks for four of these: each address is kept and looked at again (a `stat`
    of the file) only when it is older than RECHECK_SECONDS, so an edited file still gets its
    new address in development.
    """
    moment = time.monotonic()
    kept = _addresses.get(path)
    if kept is not None and moment - kept[0] < RECHECK_SECONDS:
        return kept[1]
    if VERSIONED_NAME.search(path):
        address = f"/static/{path}"
    else:
        address = f"/static/{path}?v={content_hash(path)}"
    _addresses[path] = (moment, address)
    return address


RECHECK_SECONDS = 2.0
_addresses: dict[str, tuple[float, str]] = {}


def content_hash(path: str) -> str:
    """The first 12 hex digits of the file's SHA-256, recomputed when the file changes."""
    full = STATIC / path
    return _hash_of(full, full.stat().st_mtime_ns)


@lru_cache(maxsize=256)
def _hash_of(full, mtime_ns: int) -> str:
    return hashlib.sha256(full.read_bytes()).hexdigest()[:12]


def cache_control(path: str, query_string: bytes) -> str:
    """Long caching when the address names this exact content; short caching otherwise."""
    if VERSIONED_NAME.search(path):
        return LONG_CACHE
    version = parse_qs(query_string.decode("latin-1")).get("v", [""])[0]
    if version and version == content_hash(path):
        return LONG_CACHE
    return SHORT_CACHE


class CachedStaticFiles(StaticFiles):
    """Starlette's StaticFiles plus a Cache-Control header chosen by `cache_control`."""

    def file_response(self, full_path, stat_result, scope, status_code=200):
        response = super().file_response(full_path, stat_result, scope, status_code)
        path = os.path.relpath(full_path, self.directory).replace(os.sep, "/")
        response.headers["Cache-Control"] = cache_control(path, scope.get("query_string", b""))
        return response
