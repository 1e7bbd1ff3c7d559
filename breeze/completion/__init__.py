"""Shell completion: a precomputed index answers TAB without importing typer, rich or docker."""
