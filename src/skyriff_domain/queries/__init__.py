"""Read models for the operators' console: pages assembled from read-only units of work, apart from the commands
(cosmicpython's views.py). Nothing here changes anything."""
