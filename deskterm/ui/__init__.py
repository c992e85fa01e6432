"""The Textual workspace. Only the entry point imports this package."""
