"""The portfolio web service and REST API."""
