"""Video providers: the OpenAI Video API shape (relays) and the embedded fake."""
