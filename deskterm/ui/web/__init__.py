"""The workspace in a browser (`deskterm web`): one app process per browser session, signed
in with the agent's own token, on that agent's own replica store."""
