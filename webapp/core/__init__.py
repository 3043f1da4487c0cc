"""The installation as a whole: home and first run, health, projects and notices."""

from webapp.core import federation_page, home, projects, statement

routes = [*home.routes, *projects.routes, *statement.routes, *federation_page.routes]
