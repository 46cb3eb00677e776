"""SkyRiff's business rules: money, policy, entities, use cases and the ports they need.

Framework-free: imports only the standard library and attrs, so other services can use it as a library.
"""
