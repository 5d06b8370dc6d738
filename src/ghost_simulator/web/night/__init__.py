"""Ghost nights: a club's events, their leaderboards (on the page, for a
screen at the range, printable) and joining one."""
