"""territory."""
