"""I/O with the Docker engine: the one process runner, engine queries and the services."""
