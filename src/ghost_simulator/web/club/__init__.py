"""Clubs: the archer's clubs, a club's page (members, invitations, settings)
and the invitation link that lets an archer join."""
