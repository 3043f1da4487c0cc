"""The installation as a whole: home and first run, health, projects and notices."""

from webapp.core import home, projects

routes = [*home.routes, *projects.routes]
