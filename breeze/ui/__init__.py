"""I/O with the user: console messages, progress and prompts."""
