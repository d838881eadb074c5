"""Placeholder so shequ.growth.models imports on the careers branch; the training branch owns this module."""
