"""Probes turn facts into findings for every requirement of the catalog."""
