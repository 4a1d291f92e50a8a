"""leaflet: one patient leaflet source, every format, every language."""

__version__ = "0.1.0"
