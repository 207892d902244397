"""`python -m givenet`: the same as the `givenet` command."""

from givenet.cli import run

run()
