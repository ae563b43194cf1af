"""SBOMs: lockfiles to components, CycloneDX/SPDX writers and readers, quality checks."""
