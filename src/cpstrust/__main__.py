"""`python -m cpstrust`: the same as the `cpstrust` command."""

from cpstrust.cli.app import main

main()
