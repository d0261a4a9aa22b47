"""Comments: submission, status, thread listing and counts."""
