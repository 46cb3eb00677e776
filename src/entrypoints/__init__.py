"""Entrypoints: the Flask HTTP API, the `skyriff` command line, and the container that wires them."""
