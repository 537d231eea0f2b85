"""earlyhelp: case recording for a council's Early Help service, run by its privacy notice."""
