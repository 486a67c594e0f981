"""Many hosts: userscripts from git, one recorded version on every process, the process table.

``gitsource`` reads a branch with dulwich, ``sync`` records a commit as the version to run,
``converge`` brings this process to the recorded version, ``processes`` keeps this process's
row in the table fresh, and ``models`` holds both tables.
"""
