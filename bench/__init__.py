"""Benchmarks: `make bench` (python -m bench.run) and `make bench-smoke` (--smoke)."""
