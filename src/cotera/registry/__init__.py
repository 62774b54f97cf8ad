"""Partnership observatory: organisations, partnerships, pioneers, matching, barometers (pure)."""
