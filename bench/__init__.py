"""Benchmarks for ownership.stats; never part of the test suite's timing."""
