"""Steward: one machine-checkable standard for secure open-source development, with CRA evidence.

``__version__`` is the single source of the package version (pyproject.toml reads it from
here): a literal, so that every command can name its version without importing
``importlib.metadata`` at start-up.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
