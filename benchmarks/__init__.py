"""Benchmarks: ``make bench`` (``python -m benchmarks``).

Every section measures its baseline in the same run and prints ratios, so
numbers from different machines or loads stay comparable.
"""
