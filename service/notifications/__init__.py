"""Notifications: moderator mail digests with one-click links, reply mail, webhooks."""
