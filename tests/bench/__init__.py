"""Benchmarks: each prints a table and asserts nothing. Run one with `python -m tests.bench.<name>`."""
