"""givenet: a personal networking assistant for people who network by giving."""

__version__ = "0.1.0"
