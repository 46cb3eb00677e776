"""Blob storage: local files served by the app (embedded default), in memory for tests, S3-compatible."""
