"""The Flask HTTP API under /v1."""
