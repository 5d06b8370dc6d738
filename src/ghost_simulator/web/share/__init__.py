"""Shared rounds: sharing a finished round, and shooting against one."""
