"""The kiosk's tests, by kind: unit, web, integration, e2e; bench holds the benchmarks and
helpers what they share."""
