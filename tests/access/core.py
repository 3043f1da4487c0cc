"""Access to the foundation's routes: home, health, language, login, projects, notices."""

from models.organisation import Project

OK, LOGIN, NO = "ok", "login", 403

#            anonymous, member, coordinator, other project's member
ACCESS = {
    "GET /": (OK, OK, OK, OK),
    "GET /healthz": (OK, OK, OK, OK),
    "GET /favicon.ico": (OK, OK, OK, OK),
    "GET /robots.txt": (OK, OK, OK, OK),
    "POST /language": (OK, OK, OK, OK),
    "GET /login": (OK, OK, OK, OK),
    "GET /accessibility": (OK, OK, OK, OK),
    "POST /login": (OK, OK, OK, OK),
    "POST /logout": (LOGIN, OK, OK, OK),
    "GET /projects": (LOGIN, OK, OK, OK),
    "GET /projects/new": (LOGIN, NO, OK, NO),
    "POST /projects/new": (LOGIN, NO, OK, NO),
    "GET /projects/{project_id:int}": (LOGIN, OK, OK, OK),
    "GET /projects/{project_id:int}/edit": (LOGIN, NO, OK, NO),
    "POST /projects/{project_id:int}/edit": (LOGIN, NO, OK, NO),
    "GET /projects/{project_id:int}/notices": (LOGIN, OK, OK, NO),
    "POST /projects/{project_id:int}/notices": (LOGIN, NO, OK, NO),
    "GET /organisation/edit": (LOGIN, NO, OK, NO),
    "POST /organisation/edit": (LOGIN, NO, OK, NO),
    "GET /manage": (LOGIN, NO, OK, NO),
}

PARAMS = {
    "project_id": lambda: Project.get(Project.name == "Uitgeverij Woordwerk").id,
}
