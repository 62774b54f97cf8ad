"""Streaming readers of the public registers (RNA, SIRENE) and of generic partnership files."""
