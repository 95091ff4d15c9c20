"""Peers the benchmarks measure us against, copied from Blooio's own Python guide."""
