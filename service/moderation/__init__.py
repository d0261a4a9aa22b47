"""Moderation: the queue of held comments, actions on them, and the audit log."""
