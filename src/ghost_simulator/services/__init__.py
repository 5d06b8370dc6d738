"""The operations the app offers, with no Flask request: the pages, the JSON API
and the command line all call them (imports flow web/api/cli → services →
store → engine)."""
