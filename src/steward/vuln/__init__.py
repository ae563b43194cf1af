"""Vulnerabilities: OSV database, per-ecosystem version schemes, matching, VEX, exploited feeds."""
