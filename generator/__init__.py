"""privacy-notices: privacy notices as an accessible static site, from one source of truth."""

__version__ = "0.1.0"
