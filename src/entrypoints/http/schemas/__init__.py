"""Pydantic schemas: request bodies and queries (validated) and response data (documented), per spec module."""
