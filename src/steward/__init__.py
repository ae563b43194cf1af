"""Steward: one machine-checkable standard for secure open-source development, with CRA evidence."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("steward-cra")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
