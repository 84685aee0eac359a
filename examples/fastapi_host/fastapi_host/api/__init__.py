"""One router per integration; each endpoint is a thin call to a library service."""
