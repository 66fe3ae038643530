"""The Faust app and its agents: thin loops around the pure stages in ``pipeline``."""
