"""News: what happened to a person's own requests and turns (the news page), and the ways it
reaches them without email: push messages to a phone (Web Push), the manifest and the
service worker."""

from webapp.news import pages, phone

routes = [*pages.routes, *phone.routes]
