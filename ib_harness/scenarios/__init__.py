"""Placeholder package; built in later issues."""
