"""Management commands of the reference host."""
