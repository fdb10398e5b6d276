"""Pure functions and modules below the web layer: no server, no test client."""
