"""Access to the federation administrator's page (issue 24.4): only an account holding the
federation right, on the first organisation's host; for everyone else it does not exist
(404, not the login page). None of the four viewers holds the right."""

from models import tenancy

NONE = 404

#            anonymous, member, coordinator, other project's member
ACCESS = {
    "GET /federation": (NONE, NONE, NONE, NONE),
    "POST /federation": (NONE, NONE, NONE, NONE),
    "POST /federation/{organisation_id:int}": (NONE, NONE, NONE, NONE),
}

# Not found (rather than refused) for every demo account, before the CSRF token is checked.
HIDDEN = {"POST /federation", "POST /federation/{organisation_id:int}"}

PARAMS = {"organisation_id": lambda: tenancy.directory.first().id}
