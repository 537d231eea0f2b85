"""The audit trail: an append-only record of every look at and change to data, chained by a
keyed hash (HMAC-SHA256 under a key outside the database) and anchored outside the database.

`earlyhelp.audit.log.record` writes an event; `earlyhelp audit anchor` (cron) signs where the
chain ends; `earlyhelp audit verify` checks the chain against the latest anchor.
"""
