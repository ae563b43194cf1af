"""The common standard as data: requirements, their mappings, the probe vocabulary, exporters."""
