"""Step Up: a chat coach for pharmacy technicians."""

__version__ = "0.1.0"
