"""Benchmarks: figures measured on this machine, printed, never asserted in tests."""
