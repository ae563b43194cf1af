"""Fact collectors: the only code that reads a project (files, git, CI config, forge APIs)."""
