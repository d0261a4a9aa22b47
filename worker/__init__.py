"""Parley's worker: RQ jobs that check comments and decide their status."""
