"""Collection rules for the whole checkout (tests/conftest.py holds the fixtures)."""

# Streamlit scripts run when imported: --doctest-modules must not import the router or pages.
collect_ignore = ["app/main.py", "app/views"]
