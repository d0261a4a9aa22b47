"""Spam cues: phrasings that pool many wordings of one intent into one token.

``SELF_PROMOTION_RE`` (asking readers to follow the writer's own channel or
page) is read by the text rules and adds ``selfpromotok`` to the model text;
each ``SPAM_CUES`` pattern adds its token (``subtok``, ``likeasktok``,
``pleatok``...) to the spam model's text. All are matched against lower-cased
text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from worker.text.prefilter import may_match

# Asking readers to subscribe to / visit / follow the writer's own channel,
# page or account ("sucscribe to me" and other misspellings too), and
# "sub4sub"-style trades. Hand-written, generic phrasing; it matches no ham
# comment in the YouTube data and ~33% of its spam.
_SELF_PROMOTION = re.compile(
    r"""\b(?:check(?:ing)?|visit|watch|see|view|look\s+at|listen\s+to|hear|go\s+to
        |sub(?:scribe|scrib|cribe|sribe|s)?\w*\s*(?:to|2)?|follow|like|share|support
        |come\s+(?:to|and\s+\w+))
      \s+(?:out\s+)?(?:my|our|me\s+on\s+my)\s+(?:\w+\s+){0,3}?
      (?:chann?el|chanel|vids?|videos?|page|music|songs?|tracks?|playlist|blog|website
        |site|covers?|raps?|mixtape|album|stuff|content|profile|account|twitter
        |instagram|facebook|fb)\b
    |\bsubs?\s+(?:to\s+)?(?:me|my|us|our)\b
    |\bsub\s*(?:4|for)\s*sub\b|\bfollow\s*(?:4|for)\s*follow\b|\blike\s*(?:4|for)\s*like\b
    |\bfollow\s+(?:me|us)\s+(?:on|@)
    |\bcheck\s+(?:me|us)\s+out\b
    |\bsu\w{0,3}cri[bp]e?\s+(?:to\s+|for\s+|2\s+)?(?:me|my|us|our)\b
    |\b(?:on|to|visit|in|at)\s+my\s+(?:new\s+|youtube\s+|yt\s+)?chann?el\b
    |\b(?:made|started|have|got)\s+(?:a|my)\s+(?:new\s+|own\s+)?(?:\w+\s+)?chann?el\b
    |\bcheck(?:ing)?\s+(?:out\s+)?my\s+(?:\w+\s+){0,2}?
      (?:sound|beats?|mix|art|work|stories|story|book)\b""",
    re.VERBOSE,  # matched against lower-cased text, as SPAM_CUES are
)
# "They have a help channel", "it has a channel": someone else's channel, described.
_THIRD_PERSON_HAS = re.compile(r"(?:\bthey|\bit|\bhe|\bshe|\bwho|\bwhich|\bthat)\s+$")
_HAS_A_CHANNEL = re.compile(r"(?:made|started|have|got)\s")


class _SelfPromotionPattern:
    """``_SELF_PROMOTION`` less a channel someone else has. Checked after a match rather
    than by look-behinds in the pattern, which cost at every position of every comment."""

    def search(self, lower: str) -> re.Match[str] | None:
        for m in _SELF_PROMOTION.finditer(lower):
            if not (
                _HAS_A_CHANNEL.match(m.group(0))
                and _THIRD_PERSON_HAS.search(lower, max(0, m.start() - 8), m.start())
            ):
                return m
        return None


SELF_PROMOTION_RE = _SelfPromotionPattern()

# A pattern that starts with a literal is found by a fast scan for it; one that
# starts with \b or a lookbehind is tried at every position, ten times slower.
# Without its leading assertions a pattern can only match more, so it makes a
# gate: the whole pattern runs only on a text its gate matched.
_LEADING_ASSERTIONS = re.compile(r"^(?:\\b|\(\?<[!=][^()]*\))+")


class Cue(NamedTuple):
    token: str
    pattern: re.Pattern[str]
    gate: re.Pattern[str]
    # Wordings of the same verbs that are a reader's, not a promoter's ("check
    # out the docs", "subscribe to the RSS feed"): cut out before the pattern runs.
    unless: re.Pattern[str] | None = None

    @classmethod
    def of(cls, token: str, patterns: Sequence[str], unless: str | None = None) -> Cue:
        gate = "|".join(_LEADING_ASSERTIONS.sub("", p) for p in patterns)
        return cls(
            token,
            re.compile("|".join(patterns)),
            re.compile(gate),
            re.compile(unless) if unless else None,
        )

    def search(self, lower: str) -> bool:
        if not may_match(self.gate, lower) or self.gate.search(lower) is None:
            return False
        if self.unless is not None:
            lower = self.unless.sub(" ", lower)
        return self.pattern.search(lower) is not None


# What a reader points others at: a reference the link rules vouch for (the
# model text writes it ``reflink``), or a page of the discussion or the
# documentation. "Check out the docs" is how blog readers cite; "check out
# this video", "check out my channel" is how YouTube spam promotes.
_REFERENCE = (
    r"(?:reflink|docs?|documentation|manual|thread|comments?|article|paper|issue|bug|post"
    r"|discussion|wiki|faq|guide|tutorial|talk|changelog|release\s+notes|source|code|repo"
    r"|study|report|spec|rfc|answer|settings|menu|page\s+\d+|section|chapter|appendix|footnote)"
)
_POINTING_AT_REFERENCE = (
    r"\b(?:check\s+(?:\w+\s+)?out|take\s+a\s+look\s+at|go\s+to|see|visit|read|click)\s+"
    r"(?:on\s+)?(?:(?:the|this|that|their|his|her|your|its|these|those|an?)\s+(?:[\w'-]+\s+){0,3}?)?"
    + _REFERENCE
    + r"s?\b"
)
# Subscribing to a feed or a newsletter is how readers follow a blog.
_READER_SUBSCRIPTION = (
    r"\bsub\w*\s+(?:to\s+)?(?:the|your|this|their|a|an|our)?\s*(?:\w+\s+){0,2}?"
    r"(?:newsletter|feed|rss|atom|mailing\s+list|list|podcast|blog|magazine|digest|plan|tier"
    # Following a bug tracker's item: "subscribe to the issue", "worth subscribing to."
    r"|issue|ticket|bug|pr|pull\s+request|thread|discussion|repo|releases?)s?\b"
    r"|\bsubscrib(?:ed|ing)\s+to(?:\s+(?:it|that))?\s*(?:[.!]|$)"
)

# The same, compiled: ``worker.checks.learned.points_nowhere`` leaves a reader's
# subscription out before it looks for the words of channel promotion.
READER_SUBSCRIPTION_RE = re.compile(_READER_SUBSCRIPTION)


# Spam cues beyond self-promotion, each added to the model text as one token
# when the cleaned text matches, so the model can pool the many wordings of one
# intent ("check men out", "take a listen", "sub 2 me") instead of learning each
# n-gram per campaign. Written to be generic: "subscribers" talk, "money" and
# "please" alone are left out, as ordinary comments use them too, and so are
# phrases common in ordinary messages ("are you free now?", "text me", "it only
# takes a minute", "I'd vote for B", "I like this post"). With the first seven
# the spam model's leave-one-video-out F1 rose from 0.936 to 0.953; asking for
# likes on one's own comment, votes, pleas, contact asks and bare video ids
# (and a hold point at 0.75% of ham) took every video to 0.95 (docs/checks.md).
# Written in lower case and matched against the lower-cased text, as is
# SELF_PROMOTION_RE: a third faster than re.IGNORECASE, and the same matches on
# every text of the shared data.
SPAM_CUES: tuple[Cue, ...] = tuple(
    Cue.of(token, *spec)
    for token, *spec in (
        # Engagement bait: "like this comment if...", "thumbs up if...".
        (
            "likebaittok",
            (
                r"\blike\s+(?:this|my|the)\s+(?:comment|post)",
                r"\bthumbs?\s+up\s+(?:if|for|this)",
                r"\blike\s+(?:this\s+)?if\b",
                r"\bgive\s+(?:it|this|me)\s+a\s+(?:like|thumbs)",
                r"\bhow\s+many\s+(?:likes|thumbs)",
            ),
        ),
        # Asking for likes on the writer's own comment, page or post, as opposed to
        # "thumbs up if you're watching in 2015", which readers write too.
        (
            "likeasktok",
            (
                # Not "I like this post" / "we really like this page": a reader's opinion.
                r"(?<!\bi\s)(?<!\bwe\s)(?<!\breally\s)(?<!\balso\s)(?<!\bi'd\s)"
                r"\blikes?\s+(?:on\s+)?(?:this|my|our)\s+(?:\w+[\s-]+)?"
                r"(?:comments?|posts?|page|poster|photos?|pics?|status|tweets?)\b",
                r"\b(?:leave|put|drop)\s+(?:me\s+)?a\s+(?:like|thumbs)",
                r"\blike\s+(?:and|&|n)\s+(?:share|subscribe|sub|comment)\b",
                r"\b(?:share|subscribe|sub)\s+(?:and|&|n)\s+like\b",
            ),
        ),
        # Asking readers to share, not any mention of sharing ("could you share the numbers?").
        (
            "sharetok",
            (
                r"\bshare\s+(?:this|it|my|our)\b",
                r"\bshare\s+the\s+(?:video|song|link|channel|page|love)",
                r"\bshare\s+(?:with|to)\s+(?:your|all|every)",
                # Not "please share the slides": an ask to share something of the writer's.
                r"\bplease\s+share(?!\s+(?:the|your|some|any|a|an|more|how|what|which|if|when)\b)",
                r"\bspread\s+the\s+word",
                r"\bshare\s+(?:\w+\s+)?on\s+(?:fb|facebook|twitter|g\+|google|instagram|tumblr)",
            ),
        ),
        # Pointing readers somewhere else.
        (
            "checkouttok",
            (
                r"\bcheck\s+(?:\w+\s+)?out\b",
                r"\btake\s+a\s+(?:look|listen)",
                r"\blook\s+(?:it\s+|me\s+|us\s+)?up\b",
                r"\bsearch\s+(?:for\s+)?[\"'\u201c]",
                # Sending readers to a site, not "go to the settings" or "click the icon".
                r"\bgo\s+to\s+(?:my|our|https?|www|this\s+(?:site|link|website|page|channel)"
                r"|the\s+(?:link|site|website|channel)|[a-z0-9-]+\.(?:com|net|org|info)\b)",
                r"\bclick\s+(?:here|this|my|below|on\s+(?:my|this|here|the\s+link)|the\s+link)\b",
                r"\bvisit\s+(?:my|our|us|this|here|now|today|https?|www"
                r"|the\s+(?:link|site|website|page|channel|store|shop)|[a-z0-9-]+\.[a-z]{2,}\b)",
            ),
            _POINTING_AT_REFERENCE,
        ),
        # Asking for subscriptions (not talk about a channel's subscriber count),
        # misspelt ("subscrible", "suscribe") or in other languages.
        (
            "subtok",
            (
                r"\bsub(?:scribe|s)?\s+(?:to|2|me|my|us|our|and|for|plz|please|pls|now|guys|if"
                r"|back)\b",
                r"\b(?:please|plz|pls|and|guys|go|to|u|you)\s+sub(?:scribe|s)?\b",
                r"\bsubscri(?:bed|bing)\b",
                r"\bsuscri\w*",
                r"\bsubcrib\w*",
                r"\bsub\s*(?:4|for)\s*sub",
                r"\bsu\w{0,2}cri[bp](?!e\b|ers?\b|tions?\b)\w+",
                r"\binscreva",  # "se inscreva"
                r"\babonn(?:ez|e[rz]?)\b",
                r"\babonniert?\b",
            ),
            _READER_SUBSCRIPTION,
        ),
        # Free stuff and prize draws. Not "dollars" or "earn": the model would then
        # file a new money-scam wave as spam by itself, before moderators have
        # labelled it, and it would score "how much do artists earn" too.
        (
            "moneytok",
            (
                # "free gift cards", "for free", not "are you free now?".
                r"\bfor\s+free\b",
                r"\bfree\s+(?!(?:now|today|tonight|tomorrow|time|next|this|then|later|to|for|of"
                r"|and|or|at|in|on|as|from|with|when|if|so|but|tier|plan|version|edition|trial"
                r"|account|software|license|licence|speech|will|market|space|memory|disk"
                # Free to read or to know, not an offer: "free tip:", "free online".
                r"|tips?|advice|online|reading|resources?)\b)[a-z$]",
                r"\bgift\s*cards?\b",
                r"\bbitcoins?\b",
                r"\bpay\s*pal\b",
                r"\bprize\b",
                r"\bgive\s*aways?\b",
                r"\bchances?\s+to\s+win\b",
                r"\bto\s+win\s+(?:a|an|free)\b",
                r"\b(?:easy|extra|quick)\s+money\b",
                r"\bmoney\s+online\b",
                r"\bwork(?:ing)?\s+from\s+home\b",
            ),
        ),
        # Campaigns: "vote for ...", "please vote", "donate".
        (
            "votetok",
            (
                # Not "I'd vote for option B": an ask, or a vote for the writer.
                r"\bvote\s+(?:for\s+(?:me|us|my|our)|daily|now|here)\b",
                r"\b(?:please|plz|pls|go)\s+vote\b",
                # "Vote: <link>", not "an account of the vote:".
                r"(?<!the\s)(?<!\ba\s)(?<!this\s)(?<!that\s)(?<!their\s)\bvote\s*[:!]",
                r"\b(?:please|plz|pls)\s+donate\b",
                r"\bdonat(?:e|ions?)\s+(?:to\s+)?(?:me|us|my|our)\b",
                r"\bsign\s+(?:the|this|my|our)\s+petition\b",
                # "VOTE SHELDON PLEASE", "vote for Sones please", "#votekatyperry".
                r"\bvote\s+(?:for\s+)?[\w#]+\s+(?:please|plz|pls)\b",
                r"#vote\w+",
                r"\b(?:please|plz|pls)\s+(?:\w+\s+)?(?:vote|donate)\b",
            ),
        ),
        # Pleading for attention: "sorry for the spam", "take a moment to...",
        # "I know no one will read this", "help me reach 100 subscribers".
        (
            "pleatok",
            (
                r"\bsorry\s+(?:for|about|bout)\s+(?:the|this|my)\s+spam",
                r"\b(?:i'?m|im|i\s+am|i\s+know)\s+(?:\w+\s+){0,2}spamm?(?:ing|ed)?\b",
                # A plea, not "it only takes a minute to set up".
                r"\b(?:please|pls|plz|just|can\s+you|could\s+you)\s+(?:just\s+)?"
                r"(?:take|spare|spend|spent)\s+(?:a|one|1|2|two|a\s+few|few)\s+"
                r"(?:sec|secs|second|seconds|min|mins|minute|minutes|moment|moments)\b",
                r"\bspare\s+(?:a|one|1)\s+(?:sec|second|min|minute|moment)\b",
                r"\b(?:nobody|no\s+one|no1)\s+(?:\w+\s+){0,2}(?:read|see)s?\s+this\b",
                r"\bgive\s+(?:me|us)\s+a\s+chance\b",
                r"\bplease\s+read\s+this\b",
                r"\*\s*please\s+read\s*\*",
                r"\bhelp\s+(?:me|us)\s+(?:to\s+)?(?:get|getting|reach|hit|grow)\s+(?:to\s+)?"
                r"(?:\d|my|our|more|some)",
                r"\bsupport\s+(?:me|us)\b",
                # Subscriber goals: "if I get 100 subscribers I will...", "my first
                # subscriber", "I'd appreciate it if I got some subs" (not a count alone).
                r"\bif\s+(?:i|we)\s+(?:can\s+)?(?:get|gets|got|reach|hit|make\s+it\s+to)\s+"
                r"(?:to\s+)?\d[\d,.]*k?\s+(?:subs|subscribers|likes|followers|views)\b",
                r"\bmy\s+first\s+(?:\d+\s+)?(?:subs|subscribers?|followers?)\b",
                r"\b(?:get|got|getting|gain|need|want)\s+(?:some|more|a\s+few|a\s+lot\s+of|\d+)\s+"
                r"(?:more\s+)?(?:subs|subscribers|followers)\b",
            ),
        ),
        # Contact or follow the writer elsewhere: "follow me", "add me", "hit me up".
        (
            "contacttok",
            (
                r"\bfollow\s+(?:me|us)\b",
                r"\badd\s+me\b",
                r"\bhit\s+me\s+up\b",
                r"\b(?:contact|message|inbox)\s+me\b",
            ),
        ),
        # The writer's own output: "my channel", "i'm a rapper", "i made".
        (
            "mytok",
            (
                # Not "my favourite song": a fan's, not the writer's own.
                r"\bmy\s+(?!fav|best\b|all[\s-]time\b|most\b|top\b)(?:\w+\s+)?"
                r"(?:channel|chanel|videos?|songs?|music|page|raps?|covers?|band"
                r"|mixtape|album|beats?)\b",
                r"\bi\s+(?:make|made|rap|sing|produce|upload)\b",
                r"\bi'?m\s+(?:just\s+|only\s+)?(?:a|an)\s+(?:\w+\s+)?(?:rapper|singer|artist|producer"
                r"|youtuber)\b",
                r"\b(?:mi|meu|mon|ma|mein(?:em)?|moj)\s+(?:canal|cha[iî]ne|kanal)\b",
            ),
        ),
        # A video id with the site's address missing or broken ("/watch?v=...",
        # "youtu be/..."): a pointer to another video the link rules cannot see.
        ("vidreftok", (r"(?<![\w./])/?watch\?v=[\w-]{6,}", r"\byoutu\s+be/[\w-]{6,}")),
        ("viewtalktok", (r"\b\d[\d.,]*\s*(?:m|b|million|billion)?\s*(?:views|subscribers)\b",)),
    )
)
