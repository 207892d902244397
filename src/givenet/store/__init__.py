"""Every query and write, each taking a SQLModel ``Session`` that ``db.session`` opened.

Reads that feed listings and the ranking use plain SQL and return plain values;
writes go through the models. Nothing here prints or reads the clock for the
rules: ``today`` is an argument.
"""
