"""Tafel's data: peewee models per area and the pure rules they follow (models.rules)."""
