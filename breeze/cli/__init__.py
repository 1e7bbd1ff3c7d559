"""Typer wiring: each command parses options into one params object and calls one service."""
