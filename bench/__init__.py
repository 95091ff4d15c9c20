"""Benchmarks: scripts (not tests) that measure us and a peer in the same run; see docs/benchmarks.md."""
