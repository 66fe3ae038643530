"""Reproducible training commands for the models the pipeline ships (reads ../shared/data by path)."""
