"""The demo organisation, loaded by `tafel demo` and reused by the tests."""
