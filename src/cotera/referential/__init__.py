"""Referential of the PHARE method, as versioned data (fragilities, families…)."""
