"""The installation as a whole: home and first run, health, projects and notices."""

from webapp.core import home, projects, statement

routes = [*home.routes, *projects.routes, *statement.routes]
