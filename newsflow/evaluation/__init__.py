"""Accuracy evaluations on the real data in ../shared/data (never shipped, read by path)."""
