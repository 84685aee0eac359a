"""The Django project of the reference host: settings, URLs, WSGI entry point."""
