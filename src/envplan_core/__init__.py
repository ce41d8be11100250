"""envplan core."""
