"""Careers models live on the careers branch; this placeholder keeps the import line valid."""
