"""compass."""
