"""The one text normalisation used both to train the models and to serve them.

Training (``worker.train``) and the learned checks (``worker.checks.learned``)
call the same functions, so a model never sees text prepared differently from
the text it was trained on; the text rules (``worker.checks.text_rules``) read
the same links. One module per noun, each building on the one before:

- ``readable``: ``clean_text``, what a reader would read, as plain Unicode;
- ``links``: what a link is and where a text's links are (``linked_text``);
- ``cues``: self-promotion phrasing and the spam cues (``SPAM_CUES``);
- ``model_text``: the text a model sees (``model_text``, ``model_text_parts``);
- ``features``: its hashed n-grams (``FeatureSpec``, ``FEATURES_VERSION``).
"""
