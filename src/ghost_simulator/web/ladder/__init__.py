"""Ghost ladders: start one, follow it, shoot its next match."""
