"""Benchmarks (`make bench`, `make bench-grade`): ratios measured side by side in one run."""
