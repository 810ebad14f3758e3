"""``python -m wushe.app`` runs the wushe CLI."""

from wushe.app.cli import main

main()
