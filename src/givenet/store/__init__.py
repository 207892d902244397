"""Every query and write the core runs, on the one connection of its transaction.

Reads that feed listings and the ranking use plain SQL and return plain values;
writes go through the models. One convention for which connection a function
takes:

- plain SQL (``store/sql.py``'s helpers and every read module: ``lookup``,
  ``listing``, ``profile``, ``ranking``, ``matches``, ``config``, ``exporting``,
  ``search``, the reads of ``events`` and ``safety``) takes ``db:
  sqlite3.Connection``: the connection of ``core.network.reading``, or
  ``sql(session)`` inside ``writing``;
- a function that writes through the models takes ``session: Session`` only, and
  runs any plain SQL on ``driver(session)``, the sqlite3 connection under it.

Nothing here prints or reads the clock for the rules: ``today`` is an argument.
"""
