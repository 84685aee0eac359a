"""The reference host's app: the platform's tables, port adapters, and thin DRF views over profiler_core."""
