"""The data map: one registry of where each person's data lives (issue 12).

Each app declares, in its `holdings.py`, every model that holds data about a person. Subject
access, erasure, retention, sharing, merging and the audit categories of each page walk it.
"""
