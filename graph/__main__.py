"""``python -m graph`` runs the wushe CLI."""

from graph.cli import main

main()
