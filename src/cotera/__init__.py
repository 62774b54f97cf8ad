"""Cotera: co-construction in French territories, measurable and actionable."""

__version__ = "0.1.0"
