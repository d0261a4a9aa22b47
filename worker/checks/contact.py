"""The ``contact_channel`` check: spam that asks to be contacted instead of clicked.

Fake support lines, loan and "investment" offers and recovery scams often
carry no link at all: a phone number (found with ``phonenumbers``), a
WhatsApp/Telegram/Signal handle, "contact us at x@y.com", "DM me". Readers
seldom leave a way to reach them in a comment, so any of these holds; with the
vocabulary of those scams around it (support, helpline, refund, loan,
invest, ...) it is filed as spam.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from service import caches
from worker.checks.base import CheckContext, CommentFacts, check
from worker.checks.links import pitch_signs
from worker.text.links import linked_text

# Seven digits or more, however spaced: the only texts worth a phone-number search.
_DIGITS = re.compile(r"(?:\d[\s().\-+]{0,3}){7,}")
_MESSENGER = (
    r"(?:whats\s?app|telegram|signal|viber|we\s?chat|skype|kik|snapchat|line\s+id|zalo"
    r"|kakao\s?(?:talk)?|threema|wickr"
    r"|телеграмм?|вотсап|ватсап|微信|电报|ライン"
    # WhatsApp and Telegram in Hindi, Bengali, Arabic and Urdu script.
    r"|व्हाट्सएप|व्हाट्सऐप|वॉट्सऐप|वाट्सएप|व्हाट्सप|टेलीग्राम|হোয়াটসঅ্যাপ|টেলিগ্রাম"
    r"|واتساب|واتس\s?اب|واٹس\s?ایپ|تيليجرام|تلگرام)"
)
_HANDLE = r"(?:@[\w.]{3,}|\+?\d[\d\s().\-]{6,}\d)"
# (and the same in Hindi and Arabic: "व्हाट्सएप करें 98765 12345", "واتساب على +966…")
_GLUE = r"(?:(?:(?:me|us|on|at|via|id|is|as|number|no)\b|करें|करो|पर|नंबर|على|رقم)\W{0,3}){0,3}"


class _Gated:
    """A pattern that starts with a look-behind (tried at every position) run only on a
    text its gate, which starts with a literal (found by a fast scan), matched."""

    def __init__(self, pattern: str, gate: str) -> None:
        self.pattern = re.compile(pattern, re.I)
        self.gate = re.compile(gate, re.I)

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self.gate.search(text) else None


# (pattern, what it is, score on its own). A reader who leaves an address
# ("email me at ...") is weak evidence; a business asking to be contacted is not.
CHANNELS = (
    # "WhatsApp +1 555 ...", "telegram @crypto_joe", "on Signal: +44 ...", "+1 555 ... (WhatsApp)"
    (re.compile(rf"\b{_MESSENGER}\b[^\w@+]{{0,4}}{_GLUE}{_HANDLE}", re.I), "messenger handle", 0.7),
    (re.compile(rf"{_HANDLE}\s*(?:\(|on\s+|via\s+)?{_MESSENGER}\b", re.I), "messenger handle", 0.7),
    # "Contact: anderson_fx (telegram)", "plug_official on snapchat": a made-up handle first.
    (
        _Gated(
            rf"(?<![\w@.])(?=[a-z0-9._]{{5,}})[a-z0-9._]*[_\d][a-z0-9._]*\s*(?:\(|on\s+|via\s+)\s*"
            rf"{_MESSENGER}\b",
            _MESSENGER,
        ),
        "messenger handle",
        # Readers name others' handles too ("bot_42 on telegram said it's down"): held
        # only next to scam words.
        0.4,
    ),
    # "kik: darkmarket_plug", "snapchat - plug_official": a handle after the messenger's name.
    (
        re.compile(
            rf"(?:\b|(?<=[\u4e00-\u9fff])){_MESSENGER}\s*(?:id)?\s*[:\-：]?\s*@?(?=[a-z0-9._]{{5,}})[a-z0-9._]*[_\d][a-z0-9._]*\b",
            re.I,
        ),
        "messenger handle",
        0.7,
    ),
    # "contact us on WhatsApp": a business moving readers to a messenger; "text me
    # on Telegram", "WhatsApp him" may be a reader (held only with scam words).
    (
        re.compile(
            rf"\b(?:contact|message|text|reach|chat\s+with|write\s+to|call|dm|ping|add|join)\s+"
            rf"us\s+(?:on|via|through|in|at)\s+{_MESSENGER}\b",
            re.I,
        ),
        "asks to move to a messenger",
        0.6,
    ),
    (
        re.compile(
            rf"\b(?:contact|message|text|reach|chat\s+with|write\s+to|call|dm|ping|add)\s+"
            rf"(?:me|him|her|them)\s+(?:on|via|through|in|at)\s+{_MESSENGER}\b"
            rf"|\b{_MESSENGER}\s+(?:me|him|her|us)\b",
            re.I,
        ),
        "asks to move to a messenger",
        0.3,
    ),
    (
        re.compile(r"\b(?:t\.me|telegram\.me|wa\.me|chat\.whatsapp\.com)/[\w+]{3,}", re.I),
        "messenger link",
        0.7,
    ),
    (
        re.compile(
            r"\b(?:contact|reach|write\s+to|email)\s+us\b[^@\n]{0,20}?[\w.+-]+@[\w-]+\.[\w.-]+",
            re.I,
        ),
        "contact email",
        0.6,
    ),
    # "email him: x@y.com", "Contact recovery expert at x@y.com": a verb, a few words, an address.
    (
        re.compile(
            r"\b(?:contact|e-?mail|mail|write|reach|message|text)\b[^@\n]{0,40}?"
            r"[\w.+-]+@[\w-]+\.[\w.-]+",
            re.I,
        ),
        "contact email",
        0.3,
    ),
    (
        re.compile(
            r"\b(?:dm|pm|inbox)\s+(?:me|us|him|her|them|@[\w.]{3,})|\bsend\s+(?:me|us)\s+a\s+(?:dm|pm)\b"
            r"|\b(?:пиши(?:те)?|напиши(?:те)?)\s+в\s+(?:личку|лс|личные)",
            re.I,
        ),
        "asks for a direct message",
        0.3,
    ),
)
# An address written to slip past filters: "name(at)host.com", "name [at] gmail [dot] com",
# "name at gmail dot com". Readers who leave an address write it plainly.
_DISGUISED_EMAIL = re.compile(
    r"\b[\w.+-]{3,}\s*(?:[\(\[\{]\s*at\s*[\)\]\}]|\s+at\s+(?=[\w-]+\s*(?:[\(\[\{]\s*dot"
    r"|\s+dot\s)))\s*[\w-]+\s*(?:\.|[\(\[\{]\s*dot\s*[\)\]\}]|\s+dot\s+)\s*(?:com|net|org|co|io|me"
    r"|info|biz|ru|de|fr|uk|in)\b",
    re.IGNORECASE,
)
CHANNELS += (
    (_DISGUISED_EMAIL, "disguised email address", 0.7),
    # "DM @essaycoach on Instagram", "message @x on IG": moved to a social account's inbox.
    (
        re.compile(
            r"\b(?:dm|pm|message|inbox|contact|text|hmu)\b[^.!?\n]{0,30}?@[\w.]{3,}[^.!?\n]{0,20}?"
            r"\b(?:instagram|insta|ig|tiktok|twitter|snapchat|facebook)\b"
            # "DM her on Instagram @sandra_fx": the platform first, then the handle.
            r"|\b(?:dm|pm|message|inbox|contact|text|hmu)\b[^.!?\n]{0,30}?"
            r"\b(?:instagram|insta|ig|tiktok|twitter|snapchat|facebook)\b\W{0,3}@[\w.]{3,}",
            re.I,
        ),
        "asks for a direct message",
        0.6,
    ),
    # "LINEでお問い合わせ": the messenger named in Japanese or Thai text.
    (re.compile(r"LINE(?=\s?[\u3040-\u30ff\u4e00-\u9fff\u0e00-\u0e7f])"), "messenger handle", 0.6),
)
# Every channel needs an "@", seven digits, a messenger (or a link to one) or "dm"/"pm"/"inbox".
_LINK_OR_DM = re.compile(rf"\.me/|whatsapp\.com/|\b(?:dm|pm|inbox)\b|личк|{_MESSENGER}", re.I)
_DISGUISED_AT = re.compile(r"(?i:[\(\[\{]\s*at\s*[\)\]\}]|\sat\s+[\w-]+\s+dot\s)|LINE")
# Substrings one of which every text ``_LINK_OR_DM`` matches holds (lower-cased): a
# literal scan for them is ten times cheaper than the pattern, which then runs on
# the few texts that have one.
_CHANNEL_STEMS = (
    ".me/", "whats", "telegram", "signal", "viber", "chat", "skype", "kik", "snapchat",
    "line", "zalo", "kakao", "threema", "wickr", "телеграм", "вотсап", "ватсап", "微信",
    "电报", "ライン", "личк", "dm", "pm", "inbox", "व्हाट्स", "वॉट्स", "वाट्स", "टेलीग्राम",
    "হোয়াটস", "টেলিগ্রাম", "واتس", "واٹس", "تيليجرام", "تلگرام",
)  # fmt: skip


def _may_name_a_channel(text: str) -> bool:
    lower = text.lower()
    return any(stem in lower for stem in _CHANNEL_STEMS) and bool(_LINK_OR_DM.search(text))


EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", re.I)
# What support, loan, investment and recovery scams say around their number.
SCAM_CONTEXT = re.compile(
    r"\b(?:(?:customer|tech|technical)\s+(?:care|service|support)|support\s+(?:number|line|team|desk)"
    r"|helpline|help\s+line|hotline|toll[\s-]?free"
    r"|24\s*[/x]\s*7|refund|airlines?|booking|reservations?|recover\w*|stolen|scammed|usdt"
    r"|hack(?:er|ers|ing|s)?|invest(?:ment|ing|or)?s?|profits?|earn(?:ed|ing)?|income|loans?|credit"
    r"|crypto|bitcoin|forex|trading|lottery|prize|spell\s*caster|urgent(?:ly)?|guaranteed"
    r"|call\s+(?:now|us|today)|cheap|followers|wholesale"
    # Escorts, forged papers, and what spell-caster and miracle-cure testimonials promise.
    r"|escorts?|call\s+girls?|fake\s+(?:degrees?|diplomas?|passports?|ids?|documents|certificates?)"
    r"|counterfeit|cvv|cloned?\s+cards?"
    # Search-engine services sold to site owners.
    r"|seo\s+(?:experts?|services?|agency|company|specialists?)|rank\s+your\s+(?:site|website|blog)"
    r"|first\s+page\s+(?:of|on)\s+google|guest\s+posts?|backlinks?"
    r"|spells?|(?:ex|lover|husband|wife|boyfriend|girlfriend)\s+back|herbal\s+(?:cure|medicine|remedy)"
    # The same offers in the languages they most often come in.
    r"|prêts?|préstamos?|kredite?|pinjaman|pinjol|займ\w*|кредит\w*|empréstimos?|dinheiro"
    r"|ganhar|zarabiaj\w*|investi\w*)\b|\$\s?\d|贷款|借款|放款"
    # Earning, from home, loans in Hindi: "कमाएं", "घर बैठे", "लोन".
    r"|कमा(?:एं|ओ|ई|ना)|घर\s+बैठे|लोन",
    re.I,
)

# A number to call in its country's own format ("01 23 45 67 89", "0912 345 678",
# "030 1234567"), which ``phonenumbers`` cannot place without the country: believed
# right after a word asking to call, text or contact, in the languages phone
# spam comes in.
_CALL_NUMBER = re.compile(
    r"\b(?:call|phone|dial|ring|text|sms|tel|contact|reach|appel(?:ez|er)|t[ée]l[ée]phone"
    r"|llam[ae]\w*|ll[áa]manos|marca|ligue|liga|chiama(?:re|te)?|ruf(?:en)?\s+sie(?:\s+uns)?"
    r"|anrufen|bel|zadzwo[ńn]|звоните|позвоните|звонить|telefon|li[êe]n\s+h[ệe]|g[ọo]i|hubungi"
    r"|電話|电话|致电)\b\W{0,3}(?:\w+\W{1,3}){0,2}?"
    r"(?:\(?0\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}|[1-9]\d{2}(?:[\s.-]\d{3}){2}"
    # An Indian mobile number as written there: "98200 12345", "9820012345".
    r"|[6-9]\d{4}[\s-]?\d{5})\b",
    re.IGNORECASE,
)

# A count grouped in thousands ("2.124.821.694 views", "1,234,567"), not a phone number.
_COUNT = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})+")


@lru_cache(maxsize=64)
def phone_numbers(text: str) -> tuple[str, ...]:
    if not _DIGITS.search(text):
        return ()
    # "US" reads national numbers too ("(888) 431-2209"); "+44 ..." carries its own region.
    matcher = phonenumbers.PhoneNumberMatcher(text, "US", leniency=phonenumbers.Leniency.VALID)
    return tuple(m.raw_string for m in matcher if not _COUNT.fullmatch(m.raw_string.strip()))


caches.declare("texts.phone_numbers", phone_numbers.cache_clear)

_LINK_SPAN = re.compile(r"\b(?:https?://|www\d?\.)\S+", re.IGNORECASE)


def _outside_links(text: str) -> str:
    return _LINK_SPAN.sub(" ", text) if "://" in text or "www" in text.lower() else text


# A neighbour's number, not a business's: a notice about someone or something lost or
# found ("LOST DOG … if you see him please call 07700 900461"). Read only when the
# comment has a phone number and nothing else (no messenger, no address) and none of
# the scam words: "I found a lender, call +1…" stays what it is. Not a call the writer
# tells of ("Called them at 1-800-… and they sent a replacement"): fake support lines
# are sold in those very words ("Called +1 (877) … and they fixed it instantly").
_BEINGS = (
    r"(?:dog|dogs|cat|cats|puppy|kitten|pet|pets|parrot|bird|tortoise|rabbit|horse|bike|bicycle"
    r"|wallet|purse|keys?|phone|bag|backpack|ring|necklace|child|kid|boy|girl|son|daughter|mum"
    r"|mom|dad|mother|father|grandma|grandpa|grandmother|grandfather|beagle|labrador|terrier"
    r"|spaniel|collie|poodle|husky|tabby)"
)
_NOTICE = re.compile(
    rf"\b(?:lost|missing|found)\b[\s:,-]+(?:\w+[\s,-]+){{0,4}}?{_BEINGS}\b"
    rf"|\b{_BEINGS}[\s,-]+(?:\w+[\s,-]+){{0,3}}?(?:lost|missing|found|went\s+missing|ran\s+off"
    r"|escaped)\b"
    # A notice's heading ("LOST: …", "FOUND - …"), and how a pet is named in one.
    r"|^\s*(?:lost|found|missing)\s*[:!-]|\banswers\s+to\s+(?:the\s+name\s+)?(?-i:[A-Z])"
    r"|\blast\s+seen\b|\bhave\s+you\s+seen\s+(?:him|her|them|this|our|my)\b"
    r"|\bif\s+(?:you|anyone|anybody)\s+(?:sees?|spots?|finds?|has\s+seen|have\s+seen)\s+(?:him|her|them|it)\b",
    re.IGNORECASE,
)

# A local number in a neighbour's words: someone the writer used and recommends ("we had
# Pete's Plumbing out, they were honest, their number is 0113…"), or a club, church or
# school's notice ("call Jean on 07700 900123 with questions"). Written as dialled at
# home: not a toll-free line, what fake support desks advertise in these very words,
# nor an international "+234 …", what spell-caster and loan testimonials give.
_FROM_EXPERIENCE = re.compile(
    r"\b(?:we|i)\s+(?:\w+\s+)?(?:used|hired|had|got|booked|bought|went\s+to|found)\b"
    r"(?=.*\b(?:they|their|them|he|his|she|her)\b)",
    re.IGNORECASE | re.DOTALL,
)
_COMMUNITY = re.compile(
    r"\b(?:our|my|the|the\s+local|your\s+local)\s+(?:[\w']+\s+){0,2}?(?:church|parish|school|club|community|neighbou?rs?|volunteers?|residents?|committee"
    r"|pta|scouts|guides|brownies|food\s+bank|fundraiser|bake\s+sale|jumble\s+sale|litter\s+pick"
    r"|allotments?|playgroup|nursery|library|choir)\b"
    # Asking for volunteers is what a community asks; a business hires.
    r"|\b(?:needs?|needed|wants?|wanted|looking\s+for|calling\s+(?:all|for))\s+(?:more\s+|some\s+)?"
    r"volunteers\b|\bvolunteers?\s+(?:needed|wanted)\b",
    re.IGNORECASE,
)
# Charities and public services whose advice lines readers pass on ("Citizens Advice
# is free, call them on 0800 …"): named, they are not a desk selling support. Their lines
# are often freephone, so the toll-free rule below does not apply to them.
_PUBLIC_HELPLINE = re.compile(
    r"\b(?:citizens\s+advice|stepchange|samaritans|shelter|childline|nspcc|national\s+debtline"
    r"|moneyhelper|money\s+advice\s+service|age\s+uk|macmillan|acas|nhs(?:\s+111)?"
    r"|refuge|crisis\s+text\s+line|suicide\s+(?:and\s+crisis\s+)?lifeline"
    r"|beyond\s+blue|kids\s+helpline|telefonseelsorge|sos\s+amiti[eé]|papyrus|turn2us"
    r"|trading\s+standards|action\s+fraud|police\s+non-emergency|the\s+council)\b",
    re.IGNORECASE,
)
# A line for people in distress, passed on as such ("call iCall on 98… if you need someone
# to talk to", "if you're struggling, ring …"): a reader's care, named by who it is for
# rather than by the service's name. Support-desk and recovery scams speak of accounts,
# refunds and money (``SCAM_CONTEXT``), never of someone to talk to.
_CRISIS_LINE = re.compile(
    r"\b(?:someone\s+to\s+talk\s+to|if\s+you(?:'re|\s+are)\s+(?:struggling|in\s+crisis"
    r"|feeling\s+(?:low|suicidal|hopeless))|suicid\w*|self[\s-]harm|mental\s+health"
    r"|crisis\s+(?:line|team)|free\s+and\s+confidential)\b",
    re.IGNORECASE,
)
_TOLL_FREE = re.compile(r"^(?:\+?1)?8(?:00|33|44|55|66|77|88)|^0?80[08]|^1800")


def _local(channel: str) -> bool:
    """A number written as dialled at home (no "+"), not toll-free. ``channel``: how it was
    found ("phone number 1-800-…"); its only digits are the number's."""
    return "+" not in channel and _TOLL_FREE.match(re.sub(r"\D", "", channel)) is None


def _a_neighbours_number(text: str, numbers: tuple[str, ...]) -> str:
    """Why a phone number in ``text`` is a reader's, or "" (the text has no scam words)."""
    if _NOTICE.search(text):
        return "a lost-and-found notice"
    if (
        (_PUBLIC_HELPLINE.search(text) or _CRISIS_LINE.search(text))
        and not any("+" in n for n in numbers)
        and not pitch_signs(text.lower())
    ):
        return "a charity's or public service's line"
    if not all(_local(n) for n in numbers) or pitch_signs(text.lower()):
        return ""
    if _FROM_EXPERIENCE.search(text):
        return "a recommendation from experience"
    if _COMMUNITY.search(text):
        return "a community notice"
    return ""


# A neighbour's number is a note, not a hold.
NEIGHBOUR_SCORE = 0.3

# A traveller passing on the driver or guide they hired ("we used Nimal for 8 days and he
# was brilliant … his WhatsApp is +94 …"): abroad, such people are reached by messenger,
# on a number from another country. Told from experience, of a person in one of these
# trades, with no scam words and no sales talk, it is a reader's tip, not a pitch.
_HIRED_HAND = re.compile(
    r"\b(?:driver|drivers|guide|guides|tour\s+guide|guesthouse|homestay|host|boatman|boat\s+captain"
    r"|porter|tailor|chauffeur|taxi|cab|tuk[\s-]?tuk|rickshaw|cook|nanny|plumber|electrician"
    r"|builder|mechanic|carpenter|handyman|midwife|translator|interpreter)\b",
    re.IGNORECASE,
)


def hired_hand(text: str) -> str:
    """Why the contact in ``text`` (clean text, no scam words) is a hired hand a reader
    recommends, or ""."""
    found = channels_found(text)
    if not found or not all(c.startswith(("messenger handle", "phone number")) for c, _ in found):
        return ""
    if pitch_signs(text.lower()) or not _HIRED_HAND.search(text):
        return ""
    return "a recommendation from experience" if _FROM_EXPERIENCE.search(text) else ""


@lru_cache(maxsize=64)
def channels_found(text: str) -> tuple[tuple[str, float], ...]:
    """Each contact channel in ``text`` (a comment's clean text), with its weight."""
    if (
        "@" not in text
        and not _DIGITS.search(text)
        and not _may_name_a_channel(text)
        and not _DISGUISED_AT.search(text)
    ):
        return ()  # most comments: one cheap look
    found = []
    for pattern, what, weight in CHANNELS:
        if m := pattern.search(text):
            found.append((f"{what} '{' '.join(m.group(0).split())}'", weight))
    # After the handles: "WhatsApp +1 ..." reads better than the number alone. Digits
    # inside a link are its page's id ("eventbrite.com/e/…-tickets-9283746501"), not a
    # number to dial: messenger links ("wa.me/…") have their own pattern above.
    found += [(f"phone number {n}", 0.7) for n in phone_numbers(_outside_links(text))]
    if not found and (called := _CALL_NUMBER.search(text)):
        found.append((f"a number to call '{' '.join(called.group(0).split())}'", 0.7))
    if not found and (email := EMAIL.search(text)):
        found.append((f"an email address ({email.group(0)})", 0.2))
    return tuple(found)


caches.declare("texts.channels", channels_found.cache_clear)


def neighbours_number(text: str) -> str:
    """Why the only contact in ``text`` (clean text) is a reader's phone number, or ""."""
    found = channels_found(text)
    if not found or SCAM_CONTEXT.search(text):
        return ""
    if not all(c.startswith(("phone number", "a number to call")) for c, _ in found):
        return ""
    return _a_neighbours_number(text, tuple(c for c, _ in found))


@check("contact_channel", kind="spam", version="7")
def contact_channel(facts: CommentFacts, ctx: CheckContext):
    text = linked_text(facts.body or facts.text).clean
    found = channels_found(text)
    if not found:
        return 0.0, "no phone numbers or contact handles"
    channel, score = max(found, key=lambda f: f[1])
    context = SCAM_CONTEXT.search(text)
    if not context:
        if why := neighbours_number(text):
            return NEIGHBOUR_SCORE, f"{channel} in {why}: a reader's number"
        if why := hired_hand(text):
            return NEIGHBOUR_SCORE, f"{channel} in {why} of someone they hired: a reader's tip"
        return score, f"{channel}: a comment asking readers to get in touch elsewhere"
    said = " ".join(context.group(0).split()).lower()
    if score < 0.3:
        # A bare address next to scam words may be a reader warning about it: held, not filed.
        return 0.6, f"{channel} with '{said}'"
    return 0.95, f"{channel} with '{said}', as support and loan scams write"
