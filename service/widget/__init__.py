"""The embeddable widget: its scripts, live updates (SSE) and the demo pages."""
