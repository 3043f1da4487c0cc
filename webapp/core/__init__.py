"""The installation as a whole: home and first run, signing in, projects and notices."""

from webapp.core import home, projects, session

routes = [*home.routes, *session.routes, *projects.routes]
