"""Coordinated disclosure: cases, CRA Art. 14 clocks, report payloads, advisories."""
