"""Screens, forms and APIs through Flask's test client."""
