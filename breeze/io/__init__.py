"""The one door to the outside world: the session, its runner, engine and files."""
