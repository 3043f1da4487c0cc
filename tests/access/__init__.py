"""Who may use which route: one module per area, each with ACCESS and optionally PARAMS.

ACCESS maps "METHOD path" (the route's path as declared) to the expected outcome for the
four viewers (anonymous, member, coordinator, member of another project only):
"ok" (allowed), "login" (sent to the login page) or 403. PARAMS maps a path parameter to a
function returning a demo value for it (called inside a database connection); the member's
project is "Uitgeverij Woordwerk", the other viewer's project "Fietswerkplaats Op Weg".
"""
