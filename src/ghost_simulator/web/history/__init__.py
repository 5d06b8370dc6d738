"""The archer's history: every match kept, filters, progress on a round."""
