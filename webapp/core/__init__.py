"""The installation as a whole: home and first run, projects and notices, health, manage."""

from webapp.routes import core, projects

routes = [*core.routes, *projects.routes]
