"""Tests of the Django reference host."""
