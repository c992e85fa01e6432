"""deskterm: a terminal workspace for service-desk agents."""

__version__ = "0.1.0"
