"""In-memory fakes of the repositories and stores, behaving like the SQL ones (tests, local experiments)."""
