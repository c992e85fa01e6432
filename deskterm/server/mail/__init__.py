"""The desk's mail: reading a mailbox into tickets and contacts, and sending answers."""
