"""The archer's account: signing in and out, registering, the settings page,
API tokens, and their data (export and import)."""
