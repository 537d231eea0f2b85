"""The privacy notice as code.

A policy file (TOML) states what the service's privacy notice states. This package reads and
checks it (``loader``), answers questions from it (``decisions``) and renders the notice and
the Article 30 record from it (``render``). Nothing here touches Django or a database.
"""
