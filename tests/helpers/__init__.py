"""What the tests and benchmarks share: servers, the hub harness, forms, a fake clock, a
filled log. Fixtures live in the conftest.py files; these modules hold plain code."""
