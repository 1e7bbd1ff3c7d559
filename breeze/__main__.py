"""`python -m breeze`."""

from breeze.main import entry

entry()
