"""The records area: what gathers across the other areas, so it sits above all of them
(issue 20, areas without circles).

Every other area may be imported from here; nothing in another area imports this package
(models/for_you.py, itself a gatherer beside it, aside). Its capabilities:

- privacy: a person's own data ("Mijn gegevens") gathered from every area, and the erasure;
- removal: asking for, starting and confirming a removal (the erasure, the 51% what-if and
  the re-planned rotas of the person's projects);
- audit_log: reading the audit log (the lines, the names they point at, the person filter);
- links: whom a coordinator may make a link for (their projects' people), and handing it out;
- setup: the first run (the organisation, the default ladder, the first administrator).

The accounts area below it keeps what only concerns accounts: passwords, sessions, the login
and its throttle, one-time links, rights, the calendar address and writing audit lines.
"""
