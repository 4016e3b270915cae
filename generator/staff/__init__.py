"""Staff tools: what an office clerk runs instead of editing YAML by hand.

Every tool here changes content the same way (see :mod:`.apply`): it reads a file
with ruamel.yaml's round-trip mode, changes only what it must, checks the whole
project as it would be after the change, and writes atomically only when that
check passes. Comments, key order and quoting in the files survive.

Modules: :mod:`.yamlio` (round trip), :mod:`.apply` (check, then write),
:mod:`.scaffold` (``new …``), :mod:`.edits` (fulfil a pledge, close a
rectification …), :mod:`.tables` and :mod:`.imports` (survey and review exports),
:mod:`.codeowners`, :mod:`.decap` (the web editor at /admin/), :mod:`.ci`
(workflow templates), :mod:`.parsers` and :mod:`.commands` (the CLI).
"""
