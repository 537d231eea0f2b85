"""Pure helpers shared by the apps: they import no app and no Django."""
