"""Use cases, one module per area; each loads, decides in the domain, saves and commits once."""
