"""The team lead's screens: escalation board, quality, team mood, goodwill oversight."""
