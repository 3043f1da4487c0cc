"""Moved to models/accounts/ (tables, throttle, links); the lead removes this shim."""

from models.accounts.links import LINK_KINDS, LINK_LIFETIME, invite, link_url, make_link  # noqa: F401
from models.accounts.tables import AccessLink, LoginThrottle  # noqa: F401
from models.accounts.throttle import (  # noqa: F401
    FIRST_WAIT,
    FORGET_AFTER,
    FREE_FAILURES,
    LONGEST_WAIT,
    clear_failures,
    count_failure,
    seconds_to_wait,
    throttle_keys,
    wait_after,
)
