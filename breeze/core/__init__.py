"""The pure core: params, mappings and checks as data; standard library only."""
