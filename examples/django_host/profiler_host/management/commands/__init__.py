"""``load_sample_platform``."""
