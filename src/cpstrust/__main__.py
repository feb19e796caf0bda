"""`python -m cpstrust`: the same as the `cpstrust` command."""

from cpstrust.cli.entry import main

main()
