# The `browser` fixture (the system's Chromium) is in tests/conftest.py, shared with
# tests/security.
