"""The audit trail: an append-only, hash-chained record of every look at and change to data.

`earlyhelp.audit.log.record` writes an event; `earlyhelp audit verify` checks the chain.
"""
