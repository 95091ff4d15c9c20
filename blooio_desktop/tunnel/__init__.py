"""tunnel layer."""
