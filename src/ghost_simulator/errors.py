"""Exceptions that carry a message a person can act on."""


class GhostSimError(Exception):
    """Base class of the app's own errors."""


class ConfigError(GhostSimError):
    """The configuration cannot be used: a bad data dir, database URL, file, ..."""


class DatabaseError(GhostSimError):
    """The database cannot be reached, or its schema is not this release's."""
