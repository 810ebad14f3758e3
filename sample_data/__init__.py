"""The bundled sample province (graph-shaped CSV) and the blank import template."""

from pathlib import Path

#: The folder holding the sample CSV files; shipped inside the wheel as package data.
SAMPLE_DIR = Path(__file__).resolve().parent
