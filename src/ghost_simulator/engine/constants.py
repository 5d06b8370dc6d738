"""Names and defaults shared by the engine and its callers (cheap to import)."""

#: Handicap schemes (archeryutils): Archery GB's current and 2013 tables, and
#: Archery Australia's two.
SCHEMES = ("AGB", "AGBold", "AA", "AA2")
DEFAULT_SCHEME = "AGB"

BOWS = ("recurve", "compound", "barebow", "longbow", "traditional")

#: Default day-to-day variation of a ghost's handicap (standard deviation, in
#: handicap points). Arrow-to-arrow chance alone makes a ghost's totals vary
#: less from one round to the next than a real archer's, whose level moves
#: with the day (wind, sleep, nerves). Two points widen the spread of WA 720
#: (70 m) totals at AGB handicap 35 from 12.2 to 18.1 points (standard
#: deviation, exact); an assumption to revisit with the store's real histories.
DEFAULT_FORM = 2.0

#: The largest seed: the ghost's arrow stream takes 0 to 2**63 - 1 (a signed
#: 64-bit integer, as the database keeps it).
MAX_SEED = 2**63 - 1

#: Versions of the ghost model; a ghost made with one always shoots with it
#: (see ``variability``).
MODEL_VERSIONS = (1, 2, 3)
CURRENT_MODEL = 3
