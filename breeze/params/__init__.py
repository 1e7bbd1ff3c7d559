"""Frozen parameter objects built by the CLI and consumed by the services."""
