"""Helpers shared by several test modules (no tests, no fixtures)."""
