"""Readers' own data (GDPR articles 15, 17 and 20): what Parley holds about a reader, as one
JSON document (``data``), and erasing it (``erase``) by the reader's own token, by a signed
link mailed to a guest's address (``links``), or by an owner (``parley erase``)."""
