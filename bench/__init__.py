"""`make bench`: the benchmark of docs/benchmarks.md (python -m bench)."""
