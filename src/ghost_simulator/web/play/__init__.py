"""Playing against the ghost: the new-match form, the match page and its
entries, the original's old links, the printed score sheet, offline play."""
