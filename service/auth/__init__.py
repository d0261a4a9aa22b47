"""Who is asking: signed-in readers (bearer tokens) and moderators."""
