"""Screens only team leads open: the escalation board, quality, goodwill oversight.

The people screens every agent uses (mood, kudos, rejected changes) and their shared
base and keys sit one folder up, in ui/screens/.
"""
