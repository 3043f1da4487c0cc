"""Moved to models/accounts/passwords.py; the lead removes this shim."""

from models.accounts.passwords import (  # noqa: F401
    MAX_LENGTH,
    MIN_LENGTH,
    common_passwords,
    context,
    dummy_hash,
    hash_password,
    password_problem,
    use_light_hashing,
    verify_password,
)
