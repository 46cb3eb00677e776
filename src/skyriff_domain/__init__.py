"""SkyRiff's business rules: money, policy, entities, use cases and the ports they need.

Framework-free: imports only the standard library and attrs, so other services can use it as a library
(docs/library.md; adapters.memory.kit builds every use case over in-memory fakes).
"""
