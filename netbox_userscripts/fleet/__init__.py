"""Many hosts: userscripts from git, one recorded version on every process, the process table.

``gitsource`` reads a branch with dulwich, ``sync`` records a commit as the version to run once
``trial`` imported it in a process of its own (one sync per host at a time: ``synclock``),
``converge`` brings this process to the recorded version, ``processes`` keeps this process's
row in the table fresh, and ``models`` holds both tables.
"""
