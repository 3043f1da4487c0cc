"""Tafel's web layer: the app factory, routes, forms, access rules and the `tafel` command."""
