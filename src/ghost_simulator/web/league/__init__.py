"""Postal leagues: a club's seasons of ghost nights, their standings (on the
page and printable), setting one up and deleting it."""
