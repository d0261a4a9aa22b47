"""Failure classes of the spam side found with the hand-written blog dev set (``devset/spam.csv``).

Each test names one class: readers citing a page, wording the YouTube-trained
model read as spam, and the spam kinds a blog gets that the earlier rules
missed (sales pitches, keyword anchors, messenger asks, spelled-out links,
keyword lists). Nothing here was trained or tuned on; the texts only find
regressions.
"""

from __future__ import annotations

import pytest

from service.status import Status
from worker.checks.learned import points_nowhere
from worker.text.links import parse_link
from worker.text.model_text import model_text

HOLD = 0.5
SPAM = 0.9


# --- readers citing a page ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Check out the official docs on this: "
        "https://docs.djangoproject.com/en/5.0/topics/db/transactions/",
        "Check out https://en.wikipedia.org/wiki/CAP_theorem, it explains the trade-off better "
        "than I can.",
        "Check out this thread, it has the same stack trace: "
        "https://github.com/psf/requests/issues/6432",
    ],
)
def test_check_out_a_reference_link_is_published(judge, text):
    decision, results = judge(text)
    assert decision.status == Status.PUBLISHED, decision.reason
    assert "checkouttok" not in model_text(text, spam_cues=True).split()
    assert results["spam_model"].score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "I wrote about the same thing on Medium a while ago: "
        "https://medium.com/@tomk/why-we-left-kubernetes-3f2a1b",
        "There's a long Reddit thread with people's experiences: "
        "https://www.reddit.com/r/selfhosted/comments/abc123/comment_systems/",
        "Screenshot of what I see on Firefox: https://i.imgur.com/aB3dE9f.png",
        "The Substack post you mention is https://example.substack.com/p/the-end-of-cheap-money, "
        "and it's paywalled now.",
        "Interesting. The local paper had a different account: "
        "https://www.sfchronicle.com/bayarea/article/bart-delays-18000000.php",
        "Our company blog has the postmortem: "
        "https://engineering.acmecorp.com/postmortems/2026-03-outage",
        "You can see the route on the map here https://www.openstreetmap.org/way/123456789",
        "I did a longer review on Goodreads: https://www.goodreads.com/review/show/5000000000",
    ],
)
def test_a_brief_comment_citing_a_page_of_an_unknown_site_is_published(judge, text):
    """Only a link that promotes (a home page, a profile, shop or fundraiser, a referral
    link, a shortener) makes a brief comment's link a spam token."""
    decision, _ = judge(text)
    assert decision.status == Status.PUBLISHED, decision.reason
    assert "brieflinktok" not in model_text(text, spam_cues=True).split()


@pytest.mark.parametrize(
    ("url", "promotes"),
    [
        ("https://dallas-roofing-best-prices.com", True),  # a home page
        ("https://www.facebook.com/nicushorbboy", True),  # a profile
        ("http://www.gofundme.com/littlebrother", True),  # a fundraiser
        ("http://hackfbaccountlive.com/?ref=4604617", True),  # a referral link
        ("https://bit.ly/3homeJobz", True),
        ("https://medium.com/@tomk/why-we-left-kubernetes-3f2a1b", False),
        ("https://blog.example.org/2024/caching", False),
        ("https://www.openstreetmap.org/way/123456789", False),
        ("https://i.imgur.com/aB3dE9f.png", False),
    ],
)
def test_a_link_promotes_when_it_leads_to_a_home_page_profile_or_referral(url, promotes):
    assert parse_link(url).is_promotion is promotes


def test_praise_with_an_article_is_a_source_and_with_a_home_page_is_a_link_drop(judge):
    _, cited = judge(
        "Great write-up! One more resource: https://jvns.ca/blog/2023/08/03/behind-hello-world/"
    )
    assert cited["praise_link"].score < HOLD
    decision, dropped = judge("Great post, very informative! https://www.rankboosterpro.biz")
    assert dropped["praise_link"].score >= HOLD
    assert decision.status != Status.PUBLISHED


# --- what the YouTube-trained model read as spam ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Please share the slides from the talk if you can!",
        "Subscribe to the RSS feed, it's the only way I follow blogs anymore.",
        "I subscribed to the newsletter after reading this, looking forward to part two.",
        "Click the gear icon, then Settings, then Advanced, the option is hidden there.",
        "Visit any hospital in the city and you'll see the same staffing problem the article "
        "describes.",
        "The free tier was enough for us until we passed a thousand users.",
        "Check out the comments on the last post, someone had the same problem with Docker.",
        "More of this, please!",
        "Idempotent, please",
    ],
)
def test_reader_wording_of_spam_verbs_is_published(judge, text):
    decision, results = judge(text)
    assert decision.status == Status.PUBLISHED, (decision.reason, results["spam_model"].reason)
    assert results["spam_model"].score < HOLD


def test_the_model_alone_does_not_hold_a_comment_that_points_nowhere(judge):
    """A few sentences with no link to an unvouched site, no contact, no ask and no
    channel talk: the model's score is kept just under the hold threshold."""
    text = "Please share the slides from the talk if you can!"
    assert points_nowhere(text)
    _, results = judge(text)
    assert HOLD - 0.01 <= results["spam_model"].score < HOLD or results["spam_model"].score < 0.4
    # Channel spam is still the model's to hold.
    for spam in (
        "subscribe to my channel please, I upload every day",
        "Check out this video on YouTube:",
        "please subscribe i am a new youtuber and need help",
    ):
        assert not points_nowhere(spam), spam
        _, results = judge(spam)
        assert results["spam_model"].score >= HOLD, results["spam_model"].reason


# --- spam kinds the rules missed -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "This is really helpful. If you need professional carpet cleaning in Sydney, our team "
        "at https://sparkleclean.com.au offers affordable prices.",
        "I am making $200 an hour working from home. Go to this site for more information: "
        "www.homework65.com",
        "Bad credit? No problem! Get up to $5,000 today with our fast approval, apply at "
        "https://www.quickcashnow.loan",
        "Our expert writers provide custom essay writing service at affordable prices. "
        "Order now at https://www.essaypro-writers.com",
        "Join the most trusted online casino in Asia, claim your welcome bonus today! "
        "https://asia-win88.com",
    ],
)
def test_a_sales_pitch_with_a_link_is_filed_as_spam(judge, text):
    decision, results = judge(text, off=("spam_model",))
    assert results["sales_pitch"].score >= SPAM, results["sales_pitch"].reason
    assert decision.status == Status.SPAM


def test_a_sales_pitch_without_a_link_is_held(judge):
    decision, results = judge(
        "Can't finish your thesis? We offer 100% original dissertation help, contact us today",
        off=("spam_model",),
    )
    assert HOLD <= results["sales_pitch"].score < SPAM
    assert decision.status != Status.PUBLISHED


@pytest.mark.parametrize(
    "text",
    [
        "I'm a small business owner and we offer the same discount to students, it costs us "
        "almost nothing.",
        "We pay about $40 a month for the server and it handles 2 million requests a day.",
        "The loan forgiveness plan was struck down, so half of this post no longer applies.",
        "Guaranteed to start a flame war: tabs are better than spaces.",
        "Don't miss the footnotes, they have the best jokes.",
        "Online casinos are legal in my state now and the ads are everywhere, it's exhausting.",
        "I earn less than I did in 2019 once you account for inflation, and I'm a senior engineer.",
    ],
)
def test_one_kind_of_sales_talk_is_not_a_pitch(judge, text):
    decision, results = judge(text)
    assert results["sales_pitch"].score < HOLD, results["sales_pitch"].reason
    assert decision.status == Status.PUBLISHED, decision.reason


@pytest.mark.parametrize(
    "body",
    [
        'Nice article. <a href="https://www.austinplumbingpros.com">plumber in Austin TX</a>',
        "[url=https://www.nflstorejerseys.com]cheap nfl jerseys[/url] great post",
    ],
)
def test_a_link_under_keywords_is_filed_as_spam(judge, body):
    decision, results = judge(body, off=("spam_model",))
    assert results["anchor_text"].score >= SPAM, results["anchor_text"].reason
    assert decision.status == Status.SPAM


def test_an_anchor_in_plain_words_or_to_a_reference_is_not_seo(judge):
    _, results = judge('See <a href="https://janedoe.dev/posts/caches">my notes</a> on this.')
    assert results["anchor_text"].score < HOLD
    _, results = judge(
        '<a href="https://docs.python.org/3/library/re.html">best regex docs online</a>'
    )
    assert results["anchor_text"].score < HOLD


@pytest.mark.parametrize(
    ("text", "least"),
    [
        ("Want to grow your Instagram fast? Contact us on WhatsApp for the best packages", HOLD),
        ("Serious buyers only, contact on kik: darkmarket_plug or snapchat: plug_official", HOLD),
        ("贷款无需抵押，当天放款，加微信 loan8888", SPAM),
        (
            "Кредит без справок и поручителей, одобрение за 5 минут, пишите в телеграм "
            "@credit_bystro",
            SPAM,
        ),
    ],
)
def test_messenger_asks_without_a_number_are_caught(judge, text, least):
    _, results = judge(text, off=("spam_model",))
    assert results["contact_channel"].score >= least, results["contact_channel"].reason


@pytest.mark.parametrize(
    "text",
    [
        "The WhatsApp backup format changed in the last update, so the script no longer works.",
        "I use Signal with my family and Telegram for the local running club.",
    ],
)
def test_talking_about_a_messenger_is_not_a_contact_channel(judge, text):
    _, results = judge(text)
    assert results["contact_channel"].score < HOLD, results["contact_channel"].reason


@pytest.mark.parametrize(
    "text",
    ["cheap watches at r e p l i c a w a t c h e s . c o m", "best deals on c i a l i s . c o m"],
)
def test_a_domain_spelled_one_letter_at_a_time_is_a_disguised_link(judge, text):
    _, results = judge(text)
    assert results["obfuscated_link"].score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "web design dubai, website design dubai, web development dubai, seo dubai, "
        "digital marketing dubai",
        "movers toronto, moving company toronto, cheap movers toronto, best movers toronto, "
        "toronto movers",
    ],
)
def test_a_keyword_list_repeating_one_word_is_stuffing(judge, text):
    decision, results = judge(text, off=("spam_model",))
    assert results["keyword_stuffing"].score >= HOLD, results["keyword_stuffing"].reason
    assert decision.status != Status.PUBLISHED


def test_a_list_of_different_things_is_not_stuffing(judge):
    _, results = judge("We tried python, rust, go, java, kotlin and c# for the rewrite.")
    assert results["keyword_stuffing"].score < HOLD


# --- asks of readers, YouTube style (worker.text.cues, ask_link) ------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Please vote for my daughter's band in the finals, voting closes Friday: "
        "http://battle-of-bands-example.com/finals/vote/4411",
        "Our dog needs surgery and we can't afford it, please donate if you can "
        "https://www.gofundme.com/f/help-our-dog-walk-again",
        "I sell handmade phone cases for 5 dollars, please share! https://www.ebay.com/usr/caseshop22",
        "Hey everyone, I just started making beats, check out my new track "
        "https://soundcloud.com/djkev22",
        "Help me reach 500 subscribers before new year, it would mean a lot "
        "https://www.twitch.tv/kev_plays",
    ],
)
def test_an_ask_of_readers_with_a_link_is_held(judge, text):
    """Votes, donations, shares, subscribers: a link next to an ask is where to give it."""
    decision, results = judge(text, off=("spam_model",))
    assert results["ask_link"].score >= HOLD, results["ask_link"].reason
    assert decision.status != Status.PUBLISHED


@pytest.mark.parametrize(
    "text",
    [
        # A reader's own post, even its home page, with something to say: no ask.
        "I wrote about this on my blog: https://janedoe.dev/ - once the cache is warm the p99 "
        "drops by half, which matches your numbers.",
        # The writer's own post, cited.
        "My write-up on my blog has the full benchmark, if anyone wants the numbers: "
        "https://janedoe.dev/posts/warm-caches",
    ],
)
def test_a_reader_citing_a_page_is_not_an_ask(judge, text):
    decision, results = judge(text)
    assert results["ask_link"].score < HOLD, results["ask_link"].reason
    assert decision.status == Status.PUBLISHED, decision.reason


@pytest.mark.parametrize(
    "text",
    [
        "Please vote for the upstream issue so it gets fixed: "
        "https://github.com/psf/requests/issues/6432",
        "Go to https://caniuse.com/css-has to see which browsers support :has() today.",
    ],
)
def test_an_ask_next_to_a_cited_page_is_not_ask_link(judge, text):
    """A vouched link (code, reference, docs) or a page that does not promote is a
    reader's. (The spam model alone still holds both, as it did before ask_link:
    "please vote", "go to" — two of the dev set's known misses.)"""
    _, results = judge(text)
    assert results["ask_link"].score == 0.0, results["ask_link"].reason


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("If I get 100 subscribers I will do a face reveal", "pleatok"),
        ("please become my first subscriber, thank you", "pleatok"),
        ("VOTE SHELDON PLEASE GUYS, give it 5 stars", "votetok"),
        ("I #voteforkaty at the awards", "votetok"),
    ],
)
def test_asks_for_subscribers_and_votes_are_cues(text, token):
    tokens = model_text(text, spam_cues=True).split()
    assert token in tokens and "asktok" in tokens
    assert not points_nowhere(text)


@pytest.mark.parametrize(
    "text", ["my favorite song", "My favourite video of theirs", "my fave songs"]
)
def test_a_fans_favourite_is_not_the_writers_own_work(text):
    tokens = model_text(text, spam_cues=True).split()
    assert "mytok" not in tokens and "asktok" not in tokens


# --- classes found by the blind batches (devset/spam_blind.csv, spam_blind2.csv) ------------
# Each batch was written and scored before the checks were read or changed; these
# tests use other wordings of each class, so they guard the class, not the rows.


@pytest.mark.parametrize(
    "text",
    [
        "For anyone skimming: https://xkcd.com/1053/",
        "https://www.smbc-comics.com/comic/2011-08-17 is relevant",
        "Go to https://caniuse.com/webgpu and you'll see Safari still lacks it.",
        "Check out the demo at 7:15, it's the same bug: https://youtu.be/aBcDeF12345?t=435",
        "Thread from when it was announced: https://lobste.rs/s/abc123/item?id=4567",
        "Docs section on it: https://htmx.org/#ajax-requests",
    ],
)
def test_a_reader_citing_one_page_is_published(judge, text):
    """A bare or "check out"/"go to" link to one page (a numbered item, an article
    slug, a section, a moment of a video) is a reader citing, not promoting."""
    decision, _ = judge(text)
    assert decision.status == Status.PUBLISHED, decision.reason


@pytest.mark.parametrize(
    "text",
    [
        "https://cheap-stuff-outlet.example/",  # a home page
        "nice http://sharesite.example/s/XKQZPTM",  # a share code
        "http://clicks.example/go/aZ3kP9q",
    ],
)
def test_a_bare_link_to_a_home_page_or_a_share_code_is_still_held(judge, text):
    decision, results = judge(text)
    assert decision.status != Status.PUBLISHED
    assert results["link_count"].score >= HOLD


@pytest.mark.parametrize(
    ("url", "cites"),
    [
        ("https://xkcd.com/1053/", True),
        ("https://caniuse.com/webgpu-api", True),
        ("https://news.ycombinator.com/item?id=38912345", True),
        ("https://youtu.be/aBcDeF12345?t=435", True),
        ("https://youtu.be/aBcDeF12345", False),  # a video, not a moment of it
        ("https://example.org/", False),
        ("https://flipagram.example/f/LUkA1QMrhF", False),
        ("https://survey.example/s/CVHMKLT", False),
        ("https://shop.example/?ref=abc", False),
    ],
)
def test_a_link_cites_one_page_or_moment(url, cites):
    assert parse_link(url).cites is cites


@pytest.mark.parametrize(
    "domain",
    ["bestplumbingservicesboston.com", "cheapfurnituredealsonline.net", "topvpnreviewsdeals.com"],
)
def test_a_name_of_run_together_keywords_counts_against_a_link(judge, domain):
    _, results = judge(f"Useful read, I found more on this here: https://{domain}/guide/part-1")
    assert results["link_reputation"].score >= HOLD, results["link_reputation"].reason


@pytest.mark.parametrize(
    "domain", ["joelonsoftware.com", "learnyouahaskell.com", "thebestinterviewquestions.com"]
)
def test_a_title_or_a_name_that_sells_nothing_is_not_keyword_stuffed(judge, domain):
    _, results = judge(f"This chapter covers it well: https://{domain}/chapter-three-monads")
    assert results["link_reputation"].score < HOLD, results["link_reputation"].reason


@pytest.mark.parametrize(
    "text",
    [
        "dentist in leeds, emergency dentist leeds, cheap dentist leeds, best dentist near leeds",
        "vpn deals vpn reviews vpn coupons vpn discounts vpn guide vpn ranking",
    ],
)
def test_four_keywords_around_one_word_or_one_word_repeated_is_stuffing(judge, text):
    decision, results = judge(text, off=("spam_model",))
    assert decision.status != Status.PUBLISHED
    assert results["keyword_stuffing"].score >= HOLD


def test_four_things_sharing_a_word_sell_nothing(judge):
    _, results = judge("red wine, white wine, rosé wine, sparkling wine")
    assert results["keyword_stuffing"].score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "Mit Online-Umfragen Geld verdienen, bis zu 2000€ im Monat, jetzt starten: "
        "https://umfragen-geld.example",
        "Gana dinero desde casa, hasta 300 dólares por semana: https://empleo-casa.example",
        "Cassino online com bônus de R$200 no primeiro depósito: https://sorte-vip.example",
        "Won $2,300 last night at this new site, payouts within 5 minutes, use code LUCKY77 "
        "https://spin-palace.example",
        "Get 40% off your first order of custom term papers: https://paper-help.example",
        "Send 0.05 ETH and receive 0.5 ETH back, official event: https://eth-event.example",
        "Need cash fast? Payday advance deposited today, apply here: https://advance.example",
    ],
)
def test_sales_talk_of_other_kinds_and_languages_with_a_link_is_spam(judge, text):
    decision, results = judge(text, off=("spam_model",))
    assert decision.status == Status.SPAM, (decision.reason, results["sales_pitch"].reason)


@pytest.mark.parametrize(
    "text",
    [
        "I won $40 in the office pool and spent it on pizza.",
        "The first deposit on our house was the hardest part.",
        "Got 20% off the hardware at the sale last week, still overpriced.",
        "In Spain people say 'ganar dinero' for earning money, in Mexico too.",
    ],
)
def test_one_kind_of_the_new_sales_talk_is_a_reader(judge, text):
    decision, results = judge(text)
    assert decision.status == Status.PUBLISHED, decision.reason
    assert results["sales_pitch"].score < HOLD


@pytest.mark.parametrize(
    "text",
    [
        "Consultations sérieuses, appelez-nous au 04 91 23 45 67",
        "Für Termine rufen Sie uns an: 089 12345678",
        "Dịch vụ giá rẻ, liên hệ 0987 654 321",
        "Đặt hàng qua Zalo 0987654321 nhé",
        "카톡 문의: KakaoTalk joy_loan77",
        "副業で月50万円、詳しくはLINEで",
    ],
)
def test_national_numbers_and_regional_messengers_are_contact_channels(judge, text):
    _, results = judge(text, off=("spam_model",))
    assert results["contact_channel"].score >= HOLD, results["contact_channel"].reason


@pytest.mark.parametrize(
    "text",
    [
        "We called 3 times between 2 and 4 pm.",
        "The line was 0.5 ms faster on the 12 345 runs.",
        "Line 42 throws the error, not line 40.",
    ],
)
def test_numbers_and_lines_that_are_not_contacts(judge, text):
    _, results = judge(text)
    assert results["contact_channel"].score < HOLD, results["contact_channel"].reason


@pytest.mark.parametrize(
    "text",
    [
        "Best recovery agent, write to fundsback (at) protonmail.com",
        "for orders: salesdesk [at] mailbox [dot] org",
        "reach out to coachmike at gmail dot com today",
        "He is on Telegram as @RealTraderMax, ask him",
        "DM @quickfollows.pro on Instagram for 10k followers",
    ],
)
def test_disguised_addresses_and_handles_are_contact_channels(judge, text):
    _, results = judge(text, off=("spam_model",))
    assert results["contact_channel"].score >= HOLD, results["contact_channel"].reason


def test_at_and_dot_in_prose_are_not_an_address(judge):
    _, results = judge("Look at this dot plot, the median is at the top.")
    assert results["contact_channel"].score < HOLD


def test_a_domain_spelled_out_from_www_is_a_disguised_link(judge):
    _, results = judge("cheap jerseys: www dot jerseyhub dot store")
    assert results["obfuscated_link"].score >= HOLD, results["obfuscated_link"].reason


# --- classes found by blind batch 3 (devset/spam_blind3.csv) ----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "So inspiring, lovely blog! Following you now https://www.instagram.com/deco_by_lena",
        "nice article thanks https://www.fiverr.com/backlink_king99",
    ],
)
def test_praise_with_a_profile_page_is_a_link_drop(judge, text):
    _, results = judge(text, off=("spam_model",))
    assert results["praise_link"].score >= HOLD, results["praise_link"].reason


def test_a_selling_name_on_a_gambling_domain_counts_against_it(judge):
    _, results = judge("Best strategy I know, details: https://lucky-win.bet/guide")
    assert results["link_reputation"].score >= HOLD, results["link_reputation"].reason


@pytest.mark.parametrize(
    "text",
    [
        "We at Sunrise Physio see this every week. Book an appointment: https://sunrise.example",
        "Mining pool paying 3% daily, join here: https://pool.example/?ref=991",
        "Real male enhancement, order yours today at https://vigor.example",
        "Ищу людей на работу на дому, платим от 2000 рублей в день: https://rabota.example",
    ],
)
def test_pitches_in_blind_3_wordings_with_a_link_are_spam(judge, text):
    decision, results = judge(text, off=("spam_model",))
    assert decision.status == Status.SPAM, (decision.reason, results["sales_pitch"].reason)


@pytest.mark.parametrize(
    "text",
    [
        "Got my stolen funds back thanks to this man, write him: fundguy2@gmail.com",
        "Szybka pożyczka, zadzwoń 600 700 800",
        "Кредит без отказа, пишите в личку",
    ],
)
def test_recovery_addresses_plain_numbers_and_dm_asks_are_contact_channels(judge, text):
    _, results = judge(text, off=("spam_model",))
    assert results["contact_channel"].score >= HOLD, results["contact_channel"].reason


# --- classes found by blind batch 4 (devset/spam_blind4.csv) ----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Free tip: salt the pasta water more than you think, it makes a big difference.",
        "Made it with a sugar-free syrup and honestly nobody noticed.",
        "Ethereum is just another bubble, wake me when it pops",
        "The whole course is free online and better than the paid ones.",
    ],
)
def test_free_and_coin_talk_with_nowhere_to_go_is_published(judge, text):
    """A free offer or a coin named with no link to an unvouched site and no contact
    sends readers nowhere: the YouTube-trained model alone does not hold it."""
    assert points_nowhere(text)
    decision, results = judge(text)
    assert decision.status == Status.PUBLISHED, (decision.reason, results["spam_model"].reason)
    assert results["spam_model"].score < HOLD


def test_a_free_offer_with_a_link_or_a_handle_is_still_the_models(judge):
    for spam in (
        "free gift cards for everyone at http://giftz.example",
        "free robux, message @robuxking on insta",
    ):
        assert not points_nowhere(spam), spam


@pytest.mark.parametrize(
    "text",
    [
        "Same crash on 3.13, the upstream bug is https://github.com/python/cpython/issues/98765 "
        "and it's worth subscribing to.",
        "I subscribed to the issue on GitHub, will post here when it's fixed.",
    ],
)
def test_subscribing_to_an_issue_is_a_reader(judge, text):
    assert "subtok" not in model_text(text, spam_cues=True).split()
    decision, results = judge(text)
    assert decision.status == Status.PUBLISHED, (decision.reason, results["spam_model"].reason)


@pytest.mark.parametrize(
    "text",
    [
        "We moved the billing service from Java to .NET and the cold starts got worse.",
        "Does this work on ASP.NET Core or only the old framework?",
        "Is the VB.NET version still maintained?",
    ],
)
def test_dotnet_in_capitals_is_the_framework_not_a_link(judge, text):
    from worker.text.links import linked_text

    assert not linked_text(text).links
    decision, results = judge(text)
    assert decision.status == Status.PUBLISHED, decision.reason


@pytest.mark.parametrize(
    "text",
    ["free hd football streams at sportzhub .to", "my private pics on kinky-chat4u . online"],
)
def test_a_dot_set_apart_before_a_suffix_is_a_disguised_link(judge, text):
    _, results = judge(text, off=("spam_model",))
    assert results["obfuscated_link"].score >= HOLD, results["obfuscated_link"].reason


def test_a_full_stop_before_a_word_is_prose(judge):
    for text in ("It was fine . Online it looked worse", "we got 2 . to be fair it rained"):
        _, results = judge(text)
        assert results["obfuscated_link"].score < HOLD, text


def test_recommending_a_known_thing_without_a_link_is_a_reader(judge):
    text = (
        "Check out the Aeropress if you want decent coffee on a budget, ours has lasted a decade."
    )
    assert points_nowhere(text)
    decision, results = judge(text)
    assert decision.status == Status.PUBLISHED, (decision.reason, results["spam_model"].reason)
    # The writer's own work, a video or a song is still the model's to hold.
    for spam in (
        "Check out the new remix of this song on my page, guys, it took me weeks to finish it",
        "check out my new cover, it is on my channel and I worked really hard on it for weeks",
    ):
        assert not points_nowhere(spam), spam


@pytest.mark.parametrize(
    "text",
    [
        "plumbing repair plumber near me emergency plumbing best plumbers plumbing services",
        "dog grooming groomers near me best dog groomer mobile grooming grooming prices",
    ],
)
def test_one_word_in_its_forms_over_and_over_is_stuffing(judge, text):
    _, results = judge(text, off=("spam_model",))
    assert results["keyword_stuffing"].score >= HOLD, results["keyword_stuffing"].reason


@pytest.mark.parametrize(
    "text",
    [
        "Great guide! For affordable boiler servicing in Leeds see https://leedsboilerfix.co.uk",
        "Good points. Anyone needing cheap van hire in Bristol try https://www.bristolvanhire.com",
    ],
)
def test_a_shop_named_for_the_words_around_it_is_a_pitch(judge, text):
    decision, results = judge(text, off=("spam_model",))
    assert results["sales_pitch"].score >= HOLD, results["sales_pitch"].reason
    assert decision.status != Status.PUBLISHED


@pytest.mark.parametrize(
    "text",
    [
        "I use Obsidian for this, the sync is worth it: https://obsidian.md/",
        "Home Assistant runs all of this for us: https://www.home-assistant.io/",
        "Our Leeds running club meets Sundays, details at https://leedsrunningclub.org",
    ],
)
def test_a_product_or_club_named_once_is_no_pitch(judge, text):
    _, results = judge(text, off=("spam_model",))
    assert results["sales_pitch"].score < HOLD, results["sales_pitch"].reason


def test_an_affiliate_link_is_held_and_a_source_tag_is_not(judge):
    _, results = judge(
        "This stroller saved our sanity, we got it here: https://strollerhub.example/?aff=2231"
    )
    assert results["link_reputation"].score >= HOLD, results["link_reputation"].reason
    _, results = judge("Found this via the newsletter: https://lwn.example/Articles/9/?ref=hn")
    assert results["link_reputation"].score < HOLD, results["link_reputation"].reason


@pytest.mark.parametrize(
    "text",
    [
        "Ganhe dinheiro em casa sem sair do sofá, clique aqui: https://renda.example",
        "Préstamos rápidos sin buró, solicita ya en https://credito.example",
        "My cousin's salary was $12000 last month from home, read more on this site",
    ],
)
def test_pitches_in_blind_4_wordings_are_held(judge, text):
    decision, results = judge(text, off=("spam_model",))
    assert results["sales_pitch"].score >= HOLD, results["sales_pitch"].reason
    assert decision.status != Status.PUBLISHED


@pytest.mark.parametrize(
    "text",
    [
        "Try https://jsonlint.example/ when it fails like that, it points at the exact line.",
        "If you want to see the difference for yourself, the playground is at https://play.example",
    ],
)
def test_a_sentence_around_a_sites_front_page_is_a_reader(judge, text):
    assert points_nowhere(text)
    decision, results = judge(text)
    assert decision.status == Status.PUBLISHED, (decision.reason, results["spam_model"].reason)


@pytest.mark.parametrize(
    "text",
    [
        "Today is your lucky day, to find out why it is you log onto https://prize.example",
        "Купить дешевые таблетки без рецепта на нашем сайте https://apteka.example",
        "New token presale, get in before it is listed on the exchanges: https://moon.example",
        "I made this site for people like you and it is the best https://mysite.example",
    ],
)
def test_a_front_page_with_scam_sales_or_foreign_words_is_still_the_models(text):
    assert not points_nowhere(text)


# --- classes found by blind batch 5 (devset/spam_blind5.csv) ----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The paper is free online: https://www.causalinferencebook.example/",
        "The game has a browser version too: https://www.chessvariants.example/",
        "Their app is open source and the site has the APK: https://antennapod.example/",
    ],
)
def test_a_short_sentence_naming_a_sites_front_page_is_a_reader(judge, text):
    """A sentence about the thing the site is ("The book is free online: <home page>"),
    in a reader's voice and with a name that sells nothing: the YouTube-trained model's
    brief-link token alone does not hold it."""
    assert points_nowhere(text)
    decision, results = judge(text)
    assert decision.status == Status.PUBLISHED, (decision.reason, results["spam_model"].reason)


@pytest.mark.parametrize(
    "text",
    [
        "Watch movies free online: https://www.moviesfree.example/",
        "this is the song https://www.katysong.example/",
        "The best deals are here: https://www.dealhub.example/",
        "Our book is free online: https://www.ourbook.example/",
    ],
)
def test_a_short_front_page_link_that_sells_or_promotes_is_still_the_models(text):
    assert not points_nowhere(text)


@pytest.mark.parametrize(
    "text",
    [
        "The Rust Discord is friendly, they have a beginners channel for exactly this.",
        "The BBC's account of the vote: https://www.bbc.co.uk/news/articles/c0000000000o",
    ],
)
def test_a_channel_someone_else_has_and_the_vote_are_no_asks(judge, text):
    tokens = model_text(text, spam_cues=True).split()
    assert "selfpromotok" not in tokens and "votetok" not in tokens and "asktok" not in tokens
    decision, results = judge(text)
    assert decision.status == Status.PUBLISHED, (decision.reason, results["spam_model"].reason)


def test_a_vote_plea_and_the_writers_channel_are_still_asks():
    assert "votetok" in model_text("VOTE: http://awards.example/katy", spam_cues=True).split()
    assert "selfpromotok" in model_text("I have a new channel, come see", spam_cues=True)


@pytest.mark.parametrize(
    "text",
    [
        "I published a small crate for this, https://crates.io/crates/tiny-backoff, "
        "feedback welcome!",
        "I made a gem that wraps it: https://rubygems.org/gems/retry_kit",
        "The app is on https://f-droid.org/packages/org.example.notes/ and it's what I use.",
    ],
)
def test_a_package_registry_is_a_code_host(judge, text):
    """Package registries are where readers' own libraries live, like GitHub."""
    decision, results = judge(text)
    assert results["ask_link"].score < HOLD, results["ask_link"].reason
    assert decision.status == Status.PUBLISHED, decision.reason


@pytest.mark.parametrize(
    ("text", "check"),
    [
        ("Same-day loans approved in minutes, apply at quick-cash-today.loan", "sales_pitch"),
        ("stream every new episode in HD at showbox4u [dot] club", "obfuscated_link"),
        ("free films at filmzone(.)live, no account needed", "obfuscated_link"),
    ],
)
def test_cheap_suffixes_and_bracketed_dots_are_links(judge, text, check):
    from worker.text.links import linked_text

    assert linked_text(text).links, text
    decision, results = judge(text, off=("spam_model",))
    assert results[check].score >= HOLD, results[check].reason
    assert decision.status != Status.PUBLISHED


def test_a_typo_before_an_english_word_is_not_a_link():
    from worker.text.links import linked_text

    for text in ("see you at the pub quiz.win or lose", "what a day.life goes on"):
        assert not linked_text(text).links, text


@pytest.mark.parametrize(
    "text",
    [
        'Very informative post, thanks. <a href="https://www.bestieltscoachingpune.example">'
        "ielts coaching in pune</a>",
        "Helpful article. [url=https://acmovers-hyderabad.example]packers and movers in "
        "hyderabad[/url]",
    ],
)
def test_a_keyword_anchor_with_a_place_in_lower_case_is_seo(judge, text):
    _, results = judge(text, off=("spam_model",))
    assert results["anchor_text"].score >= SPAM, results["anchor_text"].reason


def test_an_anchor_a_reader_writes_is_not_seo(judge):
    text = 'I wrote it up <a href="https://jane.example/posts/retry">on my blog</a> last year.'
    _, results = judge(text, off=("spam_model",))
    assert results["anchor_text"].score < HOLD, results["anchor_text"].reason


@pytest.mark.parametrize(
    "text",
    [
        "I always order from them when I'm busy, 100% plagiarism free and delivered on time! "
        "https://thesis-helpers.example",
        "Need money today? Instant cash loan in 5 minutes, download the app "
        "https://loanapp.example/",
    ],
)
def test_essay_and_cash_loan_pitches_are_filed(judge, text):
    decision, results = judge(text, off=("spam_model",))
    assert results["sales_pitch"].score >= SPAM, results["sales_pitch"].reason
    assert decision.status == Status.SPAM


def test_a_reader_talking_about_loans_and_deadlines_is_no_pitch(judge):
    text = "The cash loan apps in Kenya are a disaster, my cousin delivered on time and still owes."
    _, results = judge(text, off=("spam_model",))
    assert results["sales_pitch"].score < HOLD, results["sales_pitch"].reason


@pytest.mark.parametrize(
    ("domain", "held"),
    [
        ("dentistnearmeaustin.com", True),
        ("essay-writers-pro.com", True),
        ("essayhelpexperts.com", True),
        ("essaysbyorwell.com", False),
        ("nearmeandfar.com", False),
    ],
)
def test_near_me_and_a_spam_trade_with_a_word_of_service_count_against_a_name(domain, held):
    from worker.text.links import domain_of, standing

    assert (standing(domain_of(domain)).score >= HOLD) is held, standing(domain_of(domain))


@pytest.mark.parametrize(
    "text",
    [
        "Wow, such a helpful post, bookmarking it! http://roofrepairpros.example",
        "Insightful article, glad I stumbled upon it. https://bestcarrentals.example",
    ],
)
def test_more_words_of_generic_praise_with_a_home_page(judge, text):
    _, results = judge(text, off=("spam_model",))
    assert results["praise_link"].score >= HOLD, results["praise_link"].reason


def test_free_in_a_sentence_around_a_front_page_is_where_it_is_not_a_sale(judge):
    text = (
        "Try https://www.excalidraw.example/ for the diagrams, it runs in the browser and is free."
    )
    assert points_nowhere(text)
    decision, results = judge(text)
    assert decision.status == Status.PUBLISHED, (decision.reason, results["spam_model"].reason)
    assert not points_nowhere(
        "Get free stuff online at https://www.freestuffzone.example/ it is the best"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Really useful post, thank you. Our team has put together a guide to the best "
        "budget monitors here: https://screenpicks.example/best-budget-monitors",
        "Great read! We have also published a checklist for first-time landlords on "
        "https://www.lettingpros.example/landlord-checklist",
    ],
)
def test_generic_praise_wrapping_a_business_page_is_held(judge, text):
    _, results = judge(text, off=("spam_model",))
    assert results["praise_link"].score >= HOLD, results["praise_link"].reason


@pytest.mark.parametrize(
    "text",
    [
        # Praise that says something, then the company's write-up.
        "The part about retry storms matches what we saw. Our postmortem has the graphs: "
        "https://eng.acme.example/blog/retry-storm",
        # The writer's own post, not a business's.
        "Great post! I wrote about the same bug on my blog: https://jane.example/posts/flaky-dns",
    ],
)
def test_praise_with_a_readers_or_engineers_page_is_published(judge, text):
    decision, results = judge(text)
    assert results["praise_link"].score < HOLD, results["praise_link"].reason
    assert decision.status == Status.PUBLISHED, decision.reason


def test_praise_with_an_article_on_a_throwaway_suffix_is_held(judge):
    text = "Nice article. You may also want to read https://www.dietnewsnow.xyz/7-fat-burning-teas"
    _, results = judge(text, off=("spam_model",))
    assert results["praise_link"].score >= HOLD, results["praise_link"].reason


@pytest.mark.parametrize(
    "text",
    [
        "Sign up on the exchange and use my referral code KX7731 to get 50 USDT bonus",
        "Great info! I just got approved for a $25,000 loan in a day, no credit check.",
    ],
)
def test_referral_codes_and_loan_testimonials_are_pitches(judge, text):
    _, results = judge(text, off=("spam_model",))
    assert results["sales_pitch"].score >= HOLD, results["sales_pitch"].reason


@pytest.mark.parametrize(
    "text",
    [
        "สล็อตเว็บตรง ฝากถอนไม่มีขั้นต่ำ สมัครเลย https://slot-thai.example",
        "Honestly this keto gummy works, I lost 9 kg! Order here: https://slimfast-keto.example",
    ],
)
def test_thai_slots_and_diet_gummy_testimonials_are_pitches(judge, text):
    decision, results = judge(text, off=("spam_model",))
    assert results["sales_pitch"].score >= HOLD, results["sales_pitch"].reason
    assert decision.status != Status.PUBLISHED


# --- a citizen's ask and a reader's deal (blind batch 6) --------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Please vote in the by-election on Thursday, turnout was 19% last time.",
        "Please share this with anyone in the area, the bridge is closed from Monday.",
        "Share this with anyone you know on Mill Lane, the water main work starts next week.",
        "Please sign the petition to save the night bus, we need 10,000 signatures: "
        "https://petition.parliament.uk/petitions/700001",
    ],
)
def test_a_citizens_ask_is_published(judge, text):
    decision, _ = judge(text)
    assert points_nowhere(text)
    assert decision.status == Status.PUBLISHED, decision.reason


@pytest.mark.parametrize(
    "text",
    [
        # The ask is for the writer: votes for an act, a video shared with everyone.
        "Please vote for me in the talent contest, it only takes a second!! vote: "
        "https://talentvote.example/entry/77",
        "Please share this video with everyone you know and subscribe to my channel",
        # A petition on a campaign site with a plea: still the link rules' and model's call.
        "Sign the petition here https://www.change.org/p/free-followers please share",
    ],
)
def test_an_ask_for_the_writer_is_still_an_ask(judge, text):
    decision, _ = judge(text)
    assert not points_nowhere(text)
    assert decision.status != Status.PUBLISHED, decision.reason


@pytest.mark.parametrize(
    "text",
    [
        "Use code SUMMER15 at checkout, it still works, got 15% off my order yesterday",
        "20% off with code WELCOME20 on the school shoes, I used it last week and it worked for me",
    ],
)
def test_a_reader_telling_of_a_code_they_used_is_not_a_pitch(judge, text):
    decision, results = judge(text)
    assert results["sales_pitch"].score < HOLD, results["sales_pitch"].reason
    assert decision.status == Status.PUBLISHED, decision.reason


@pytest.mark.parametrize(
    "text",
    [
        # The same code from a shop: no purchase of the writer's own.
        "Use code WELCOME20 today and get 20% off your first order!",
        # A reader's story next to a shop nobody vouches for is a pitch with a link.
        "I got 20% off my order with code SAVE20, order now at https://cheap-sneakers.example",
    ],
)
def test_a_code_from_a_shop_is_still_a_pitch(judge, text):
    _, results = judge(text, off=("spam_model",))
    assert results["sales_pitch"].score >= HOLD, results["sales_pitch"].reason


@pytest.mark.parametrize(
    "text",
    [
        "You're just too wonderful, I really like what you have acquired here. Feel free to "
        "surf to my web-site :: bestvapepens-shop.com",
        "I've joined your rss feed and look forward to more of your magnificent post. "
        "my page; keto diet pills shark tank",
        "Nice. Here is my homepage - https://cheap-cabinets.example/",
    ],
)
def test_a_spinners_signature_at_the_end_is_spam(judge, text):
    decision, results = judge(text, off=("spam_model",))
    assert results["praise_link"].score >= SPAM, results["praise_link"].reason
    assert decision.status != Status.PUBLISHED


@pytest.mark.parametrize(
    "text",
    [
        "Great post! I wrote about the same bug on my blog: https://jane.example/posts/flaky-dns",
        "Thanks, I put the photos on my site - they're in the gallery under May.",
        "I shared it on my blog; thanks again for writing this up.",
    ],
)
def test_a_readers_own_page_after_my_blog_is_not_a_signature(judge, text):
    decision, results = judge(text)
    assert results["praise_link"].score < HOLD, results["praise_link"].reason
    assert decision.status == Status.PUBLISHED, decision.reason


@pytest.mark.parametrize(
    "text",
    [
        "watch the derby free on footystreams . live no signup",
        "all the new films in HD at moviesflix . online",
    ],
)
def test_a_compound_name_before_a_spaced_word_suffix_is_a_disguised_link(judge, text):
    _, results = judge(text, off=("spam_model",))
    assert results["obfuscated_link"].score >= HOLD, results["obfuscated_link"].reason


@pytest.mark.parametrize(
    "text",
    [
        "we went home . live music after was great",
        "i love this . online school is hard for them though",
    ],
)
def test_a_full_stop_after_one_word_before_a_suffix_word_is_prose(judge, text):
    decision, results = judge(text)
    assert results["obfuscated_link"].score == 0.0, results["obfuscated_link"].reason
    assert decision.status == Status.PUBLISHED, decision.reason


# --- blind batch 7 (issue 13) ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Parking is round the back, the pin is here: https://maps.app.goo.gl/Qw8rT2nLmZp4 ",
        "We met at the cafe by the river https://goo.gl/maps/AbC123xYz9 lovely spot",
    ],
)
def test_a_map_share_link_is_no_hidden_destination(judge, text):
    decision, results = judge(text)
    assert results["url_shortener"].score == 0.0, results["url_shortener"].reason
    assert decision.status == Status.PUBLISHED, decision.reason


def test_a_general_shortener_is_still_held(judge):
    _, results = judge("more here https://goo.gl/Xyz12Ab")
    assert results["url_shortener"].score >= HOLD


@pytest.mark.parametrize(
    "text",
    [
        "We got ours from wickes.co.uk in the end, about 25 quid cheaper than the local place",
        "I ordered mine from halfords.com last spring, still going strong after a winter",
        "Try https://jsonlint.com to find the stray comma",
        "use crontab.guru for checking the schedule syntax",
    ],
)
def test_a_readers_purchase_or_tool_at_a_front_page_is_published(judge, text):
    decision, _ = judge(text)
    assert decision.status == Status.PUBLISHED, decision.reason


@pytest.mark.parametrize(
    "text",
    [
        "I got mine from cheap-pills-online.shop, best price",
        "Try www.free-robux-now.xyz to get free robux",
    ],
)
def test_a_purchase_or_tool_story_with_sales_words_is_still_held(judge, text):
    decision, _ = judge(text)
    assert decision.status != Status.PUBLISHED


@pytest.mark.parametrize(
    "text",
    [
        "Letters for the print edition go to letters@thewestdaily.co.uk, we print the best ones "
        "on Saturday.",
        "If you spot an error, go to our news desk at newsdesk@valleygazette.com and we'll fix it.",
    ],
)
def test_an_organisations_role_address_is_published(judge, text):
    decision, _ = judge(text)
    assert decision.status == Status.PUBLISHED, decision.reason


def test_a_free_mail_address_to_go_to_is_still_the_models(judge):
    assert not points_nowhere("Go to our office at office@gmail.com for the forms")


@pytest.mark.parametrize(
    "text",
    [
        "Half the ads on the tube are casino sites promising a welcome bonus now, it's grim.",
        "The adverts for payday loans with instant approval should be banned before 9pm.",
    ],
)
def test_talk_about_adverts_is_not_a_pitch(judge, text):
    decision, results = judge(text)
    assert results["sales_pitch"].score == 0.0, results["sales_pitch"].reason
    assert decision.status == Status.PUBLISHED, decision.reason


@pytest.mark.parametrize(
    "text",
    [
        "Wegovy pens in stock, 25% off your first order, shipped discreetly: https://glp-shop.example",
        "Coin presale is live, 500x potential, don't miss it https://moonpepe.example",
        "Our VIP tips have an 87% win rate, sure wins every weekend on betting tips",
        "Get approved for personal loans today, money in your account within 2 hours.",
        "For professional roofing services in Leeds, visit https://leedsroofers.example/contact",
        "At BrightPath Solar, we help homeowners cut bills in half. Learn more at "
        "https://brightpathsolar.example",
        "Looking for a reliable hacker to recover your account? Genuine hackers for hire.",
        "Dr. Musa's herbal medicine can cure herpes, my sister was completely cured in 3 weeks.",
        "Sites de apostas com bônus no primeiro depósito, cadastre-se em https://ganhe.example",
        "Купить диплом недорого, с доставкой по России",
        "Earn money online daily from your phone, no experience, daily payment, contact now",
        "I lost 12 kg in 3 weeks without dieting thanks to these weight loss gummies! "
        "Order here https://slimgum.example",
    ],
)
def test_batch_7_pitches_are_held(judge, text):
    decision, results = judge(text, off=("spam_model",))
    assert results["sales_pitch"].score >= HOLD, results["sales_pitch"].reason
    assert decision.status != Status.PUBLISHED


@pytest.mark.parametrize(
    "text",
    [
        "Ticket presale starts Friday at 10, don't miss it, last year it sold out in an hour",
        "I had bad credit for years and still managed to get approved for a mortgage last month",
        "Spurs have a 60% win rate since January, the betting odds look generous to me",
        "For council services in Leeds, visit the One Stop Centre on Merrion Street",
        "My nan swears by a herbal remedy for her knees, honestly I think it's mostly the walking.",
    ],
)
def test_batch_7_pitch_words_in_a_readers_comment_are_published(judge, text):
    decision, results = judge(text)
    assert results["sales_pitch"].score < HOLD, results["sales_pitch"].reason
    assert decision.status == Status.PUBLISHED, decision.reason


@pytest.mark.parametrize(
    "text",
    [
        "Such a thoughtful and nuanced piece! For the latest updates on this I always recommend "
        "checking out https://dailytrendhub.example",
        "Really refreshing and insightful article. I've found great resources at "
        "https://growthinsights.example on the same subject.",
        "This is the best post I have read this week. Also see our list of the top 10 laptops: "
        "https://laptopdeals.example/top-10",
    ],
)
def test_generic_praise_pointing_to_a_front_page_is_held(judge, text):
    decision, results = judge(text, off=("spam_model",))
    assert results["praise_link"].score >= HOLD, results["praise_link"].reason
    assert decision.status != Status.PUBLISHED


@pytest.mark.parametrize(
    "text",
    [
        "Great article. The ONS data for 2023 is here if anyone wants to check the figures: "
        "https://www.ons.gov.uk/economy/inflationandpriceindices",
        "Thoughtful piece. I wrote about the same council budget last year: "
        "https://jkblog.example/2023/11/council-budget-gap",
        "The event page is on eventbrite with the times and the map: "
        "https://www.eventbrite.co.uk/e/riverside-clean-up-day-tickets-812345",
        "Same issue on the Raspberry Pi forum, a firmware update fixed it there "
        "https://forums.raspberrypi.com/viewtopic.php?t=351234",
    ],
)
def test_a_readers_cited_page_is_published(judge, text):
    decision, _ = judge(text)
    assert decision.status == Status.PUBLISHED, decision.reason


# --- issue 13, blind batch of ordinary comments (devset/ordinary_blind1.csv) --------------


@pytest.mark.parametrize(
    "text",
    [
        "Tickets are £12 on the door, more at www.hexhamfolkclub.org.uk",
        "The ferry is €4 each way, times on www.clarebayferries.ie",
        "Got the seeds for ₹60 a packet, the nursery is www.greenleafnursery.in",
    ],
)
def test_a_price_sign_leaves_a_sentence_around_a_front_page_english(judge, text):
    decision, results = judge(text)
    assert "not held on its own" in results["spam_model"].reason
    assert decision.status == Status.PUBLISHED, decision.reason


def test_accented_words_around_a_front_page_are_still_the_models(judge):
    decision, results = judge("Regístrate ya, mejor precio aquí €20 www.ofertasbaratas.es")
    assert results["spam_model"].score >= HOLD
    assert decision.status != Status.PUBLISHED


@pytest.mark.parametrize(
    "text",
    [
        "Switching to the bus has saved us £150 a month, and I work from home twice a week",
        "We spend about $90 a week on groceries since I started working from home",
        "I pay £900 a month in rent and work from home most days",
        "Since I started working from home our electricity is £40 a month more",
        "Went part-time and now work from home, we lost about £500 a month but it's worth it",
    ],
)
def test_money_saved_or_spent_per_month_is_a_budget_not_an_earnings_claim(judge, text):
    decision, results = judge(text)
    assert results["sales_pitch"].score < HOLD, results["sales_pitch"].reason
    assert decision.status == Status.PUBLISHED, decision.reason


@pytest.mark.parametrize(
    "text",
    [
        "Work from home and make $300 a day, it saved my family",
        "Working from home I earn £250 a day, it costs nothing to start",
        "Stop paying rent, earn $3000 a month from home",
        "I get paid $98 per hour working from home",
    ],
)
def test_an_earnings_claim_beside_a_saving_is_still_a_pitch(judge, text):
    decision, results = judge(text)
    assert results["sales_pitch"].score >= HOLD, results["sales_pitch"].reason
    assert decision.status != Status.PUBLISHED


# --- ordinary blind batch 2 (issue 13) -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Harvest supper at the village hall on Friday, free entry, see "
        "https://www.eventbrite.co.uk/e/harvest-supper-tickets-738291046512",
        "The bowls club open day page is https://www.meetup.com/leafield-bowls/events/4827361950/ "
        "if you want to have a go",
    ],
)
def test_digits_inside_a_link_are_no_phone_number(judge, text):
    decision, results = judge(text)
    assert results["contact_channel"].score == 0.0, results["contact_channel"].reason
    assert decision.status == Status.PUBLISHED, decision.reason


def test_a_number_written_beside_a_link_is_still_a_contact(judge):
    _, results = judge(
        "Tickets at https://www.eventbrite.co.uk/e/launch-tickets-738291046512 or call 415 555 0133"
    )
    assert results["contact_channel"].score >= HOLD, results["contact_channel"].reason


@pytest.mark.parametrize(
    "text",
    [
        "If you're struggling, you can ring 415 555 0133, it's free and confidential and they "
        "listen",
        "My cousin called 9152987821 when she needed someone to talk to, they were kind",
    ],
)
def test_a_crisis_line_passed_on_is_a_readers_number(judge, text):
    decision, results = judge(text)
    assert results["contact_channel"].score < HOLD, results["contact_channel"].reason
    assert decision.status == Status.PUBLISHED, decision.reason


@pytest.mark.parametrize(
    "text",
    [
        "Lost your crypto? Our recovery team is on 9152987821 if you need someone to talk to",
        "Our tech support line 415 555 0133 is free and confidential, call for your refund",
    ],
)
def test_scam_lines_in_caring_words_are_still_spam(judge, text):
    decision, results = judge(text)
    assert results["contact_channel"].score >= SPAM, results["contact_channel"].reason
    assert decision.status != Status.PUBLISHED


@pytest.mark.parametrize(
    "text",
    [
        "Our church is running a winter coat collection this month, the drop-off times are at "
        "https://bit.ly/3kCoatsStJude",
        "The local library has moved the toddler rhyme time to Wednesdays, the form to book "
        "is https://tinyurl.com/rhymetime-booking",
    ],
)
def test_a_shortened_link_in_a_local_bodys_notice_is_published(judge, text):
    decision, results = judge(text)
    assert results["url_shortener"].score < HOLD, results["url_shortener"].reason
    assert decision.status == Status.PUBLISHED, decision.reason


@pytest.mark.parametrize(
    "text",
    [
        "Our club members earn 300 a day from home, details here https://bit.ly/3kEarnNow",
        "Our school of trading gives you the best price on bitcoin https://tinyurl.com/btc-deal",
        "The council said so, more here https://bit.ly/3xYz",
    ],
)
def test_a_shortened_link_with_selling_or_no_notice_is_still_held(judge, text):
    decision, results = judge(text)
    assert results["url_shortener"].score >= HOLD, results["url_shortener"].reason
    assert decision.status != Status.PUBLISHED


def test_a_shop_lovely_to_deal_with_is_no_trade_word(judge):
    decision, results = judge(
        "Our apple trees came from Old Orchard Nursery in Kent "
        "https://www.oldorchardnursery.co.uk, a family business and lovely to deal with"
    )
    assert results["sales_pitch"].score < HOLD, results["sales_pitch"].reason
    assert decision.status == Status.PUBLISHED, decision.reason


def test_a_shop_named_for_its_words_with_deals_is_still_a_pitch(judge):
    _, results = judge(
        "Cheap airport parking at Heathrow, best deals at https://heathrowparkingdeals.co.uk"
    )
    assert results["sales_pitch"].score >= HOLD, results["sales_pitch"].reason


@pytest.mark.parametrize(
    "text",
    [
        "There's a free lecture on the canal's restoration next Thursday, tickets (free) are "
        "on https://www.eventbrite.co.uk/e/canal-restoration-lecture-tickets-61234",
        "The history society has free admission to its walking tour on Sunday, all the details "
        "are on https://www.otleyhistory.org.uk/events/walking-tour-june",
    ],
)
def test_a_free_event_citing_its_page_is_published(judge, text):
    decision, results = judge(text)
    assert results["spam_model"].score < HOLD, results["spam_model"].reason
    assert decision.status == Status.PUBLISHED, decision.reason


@pytest.mark.parametrize(
    "text",
    [
        "You can get free tickets to the show by entering your details at "
        "https://win-tickets-now.xyz/claim-your-prize today",
        "Free entry to the big prize draw this weekend, you could win a car, see "
        "https://bestdeals-events.com/prize-draw-2024",
    ],
)
def test_a_free_offer_dressed_as_an_event_is_still_held(judge, text):
    decision, _ = judge(text)
    assert decision.status != Status.PUBLISHED


@pytest.mark.parametrize(
    "text",
    [
        "Giving away a toddler bed and mattress, collection from Headingley, message me through "
        "the group if you want it",
        "Anyone need a bag of outgrown school shoes, size 13? Inbox me on here",
    ],
)
def test_message_me_where_the_comment_is_points_nowhere(judge, text):
    decision, results = judge(text)
    assert results["spam_model"].score < HOLD, results["spam_model"].reason
    assert decision.status == Status.PUBLISHED, decision.reason


@pytest.mark.parametrize(
    "text",
    [
        "Cheap followers for your page, message me through the group",
        "I can recover your lost bitcoin, message me on here",
        "Love spells that work fast, message me on here",
    ],
)
def test_message_me_here_with_an_offer_is_still_held(judge, text):
    decision, _ = judge(text)
    assert decision.status != Status.PUBLISHED


@pytest.mark.parametrize(
    "text",
    [
        "A truly well-structured post with clear explanations, helpful for beginners and "
        "experts alike. https://dailyinsightshub.net",
        "I came across this while searching on Google and I must say it is one of the most "
        "comprehensive guides on the topic! https://www.toptrendzone.com",
    ],
)
def test_written_to_order_praise_of_any_post_with_a_front_page_is_held(judge, text):
    decision, results = judge(text)
    assert results["praise_link"].score >= HOLD, results["praise_link"].reason
    assert decision.status != Status.PUBLISHED


@pytest.mark.parametrize(
    "text",
    [
        "Clear explanation of the SEPA deadline, but the bank fee table in the second half "
        "is out of date: https://www.ecb.europa.eu/paym/integration/retail/sepa/html/index.en.html",
        "Great guide, though the part on HDR bracketing skips exposure stacking in Lightroom.",
    ],
)
def test_praise_that_says_something_of_the_post_is_published(judge, text):
    decision, results = judge(text)
    assert results["praise_link"].score < HOLD, results["praise_link"].reason
    assert decision.status == Status.PUBLISHED, decision.reason


@pytest.mark.parametrize(
    "text",
    [
        "Remote work is great, the savings on fuel and lunches alone are big, around £200 a month.",
        "Our savings since we cancelled the gym and cooked at home, about $300 a month, went "
        "straight to the credit card.",
    ],
)
def test_savings_named_a_clause_before_the_amount_are_a_budget(judge, text):
    decision, results = judge(text)
    assert results["sales_pitch"].score < HOLD, results["sales_pitch"].reason
    assert decision.status == Status.PUBLISHED, decision.reason


@pytest.mark.parametrize(
    "text",
    [
        # An advance-fee opener: a stranger's windfall, and your email for details.
        "I am Mr Daniel Brooks, I have an inheritance of $4.7 million to share with a trusted "
        "person, reply with your email for more details.",
        # A seller of guest posts introducing itself.
        "Dear admin, we are providing guest posting services on high DA websites at low cost.",
        # A gambler's win at a casino, with its bonus and link.
        "Been winning big on Roobet lately, first deposit bonus 200% here roobet-promo.xyz/go",
        # Weight lost in a month, and where to order.
        "This tea helped me lose 15 kg in two months! Order from the official site "
        "slimteaofficial.com",
    ],
)
def test_windfalls_guest_posts_casino_wins_and_weight_in_months_are_pitches(judge, text):
    decision, results = judge(text)
    assert results["sales_pitch"].score >= HOLD, results["sales_pitch"].reason
    assert decision.status != Status.PUBLISHED


@pytest.mark.parametrize(
    "text",
    [
        "The council got a donation of $2.5 million for the new library, reply here if you "
        "think it should open on Sundays.",
        "Our team was winning big at half time and still lost, typical.",
        "I lost 6 kg in three months just by walking to work, no magic.",
        "We are offering a free bike repair workshop at the church hall on Saturday.",
    ],
)
def test_a_readers_donation_match_weight_or_free_workshop_is_published(judge, text):
    decision, results = judge(text)
    assert results["sales_pitch"].score < HOLD, results["sales_pitch"].reason
    assert decision.status == Status.PUBLISHED, decision.reason
