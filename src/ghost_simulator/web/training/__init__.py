"""The training log: bows, arrow sets, sight marks, arrows counted by hand."""
