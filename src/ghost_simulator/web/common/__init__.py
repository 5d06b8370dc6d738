"""What every area of the web layer shares: errors, throttles, templates'
helpers, charts, kept pages, and who the viewer is."""
