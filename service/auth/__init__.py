"""Sign-in: identities, providers, profiles, and the reader tokens signed-in readers hold.

Who may moderate or own a site is ``service.access``.
"""
