"""The One Stop Service kiosk of a Thai provincial police station."""

__version__ = "0.1.0"
