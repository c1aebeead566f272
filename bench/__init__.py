"""Benchmarks that drive the whole platform on this machine (see bench/README.md)."""
