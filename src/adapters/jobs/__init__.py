"""Background work: run task submission now in this process, or leave it to the worker loop."""
