"""Meetings and consensus: series, rota, agendas, proposals, minutes, actions, signals."""

from webapp.routes import meetings

routes = meetings.routes
