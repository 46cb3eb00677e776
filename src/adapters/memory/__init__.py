"""In-memory fakes of the repositories and stores, behaving like the SQL ones, and the testing kit (`kit`) that
builds every use case over them. Standard library and attrs only: they come with a bare `pip install`."""
