"""Competition days: make one, follow its bracket, shoot its matches."""
