"""Contact-channel spam: phone numbers, messenger handles and "contact us" addresses.

Support scams and loan offers often carry no link at all. Through the real
pipeline and decision (``judge``), with the learned spam model switched off
where the test is about ``contact_channel`` alone.
"""

from __future__ import annotations

import pytest

from service.status import Status

HOLD = 0.5
MODEL = ("spam_model",)


@pytest.mark.parametrize(
    "body",
    [
        "Call our Delta airlines customer support number +1 (888) 431-2209 for refunds",
        "For any QuickBooks issue call the QuickBooks support number 1-888-431-2209 (toll free)",
        "Coinbase customer service number: 888 431 2209, call now for account recovery",
        "Need a loan urgently? WhatsApp +1 202 555 0172",
        "message me on telegram @cryptoguru_fx to double your bitcoin",
        "Contact us at quickloans.finance@gmail.com for an instant loan",
    ],
)
def test_support_and_loan_scams_without_a_link_are_filed_as_spam(judge, body):
    decision, results = judge(body, off=MODEL)
    assert decision.status == Status.SPAM, decision.reason
    found = results["contact_channel"]
    assert found.score >= 0.9 and decision.reason.startswith("contact_channel")
    assert "link" not in found.reason or "messenger link" in found.reason


def test_a_fake_support_number_is_caught_with_the_whole_pipeline_too(judge, spam_devset):
    rows = [r["text"] for r in spam_devset if r["kind"] == "fake_support_number"]
    assert len(rows) >= 5
    for body in rows:
        decision, results = judge(body)
        assert decision.status in (Status.SPAM, Status.HELD), body
        assert results["contact_channel"].score >= HOLD, body


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        ("Message me on WhatsApp +1 646 555 0143", "WhatsApp +1 646 555 0143"),
        ("Add me on telegram @quickdeal_store", "telegram @quickdeal_store"),
        ("Contact me on Signal +44 7700 900123", "Signal +44 7700 900123"),
        ("Join us at t.me/fastprofits", "t.me/fastprofits"),
        ("Hit me up on wa.me/15551234567 for more", "wa.me/15551234567"),
        ("Text 312-555-0188 for the details", "312-555-0188"),
    ],
)
def test_a_messenger_handle_or_number_alone_holds_and_is_quoted(judge, body, shown):
    decision, results = judge(body, off=MODEL)
    assert decision.status in (Status.HELD, Status.SPAM)
    assert results["contact_channel"].score >= HOLD
    assert shown in results["contact_channel"].reason


@pytest.mark.parametrize(
    ("body", "held"),
    [
        ("Earn 2% daily on your bitcoin, DM me for the investment plan", True),
        ("DM me on instagram for cheap followers, 1000 followers for $5", True),
        ("DM me if you want the slides from the talk", False),
    ],
)
def test_dm_me_is_weak_alone_and_spam_with_money_talk(judge, body, held):
    _, results = judge(body, off=MODEL)
    assert (results["contact_channel"].score >= HOLD) is held


@pytest.mark.parametrize(
    "body",
    [
        "We moved to version 3.11.2 in 2023 and memory use dropped by 40%.",
        "PR 1234567 fixed it; see issue #98765 for the backstory.",
        "It handled 15000000 requests in 2024-2025 without a restart.",
        "Feel free to email me at jane@example.org if you want the raw data.",
        "I called the maintainer at the conference and he agreed.",
        "Signal handling in Python is subtle, telegram bots too.",
        "My bank called me about a loan I never applied for, so this post is timely.",
    ],
)
def test_ordinary_numbers_addresses_and_words_are_not_held(judge, body):
    decision, results = judge(body, off=MODEL)
    assert results["contact_channel"].score < HOLD, results["contact_channel"].reason
    assert decision.status == Status.PUBLISHED


# --- classes found by blind batch 5 (devset/spam_blind5.csv) -----------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "MISSING CAT: ginger tom called Mango, last seen on Park Lane on Tuesday. "
        "He's microchipped. Please call 07700 900512 if you spot him.",
        "Found a small black terrier near the canal this morning, no collar. "
        "Ring 020 7946 0321 if he's yours.",
    ],
)
def test_a_lost_and_found_notice_with_a_number_is_published(judge, body):
    """A neighbour's number in a lost-pet notice is a note, not a business's line;
    neither contact_channel nor the spam model holds it."""
    decision, results = judge(body)
    assert results["contact_channel"].score < HOLD, results["contact_channel"].reason
    assert "lost-and-found" in results["contact_channel"].reason
    assert decision.status == Status.PUBLISHED, (decision.reason, results["spam_model"].reason)


@pytest.mark.parametrize(
    "body",
    [
        # Scam words next to the number win over the notice's words.
        "I lost $40,000 to a fake exchange and found a recovery expert, call +1 202 555 0143",
        # A call the writer tells of is how fake support lines are sold.
        "Thanks for the post. My HP printer was offline, called +1 (888) 555-0121 and they "
        "fixed it in minutes.",
        "Lost my wallet last week. Anyway, need cash fast? Loans at 1% call 202-555-0186",
    ],
)
def test_a_scam_number_dressed_as_a_story_is_still_held(judge, body):
    decision, results = judge(body, off=MODEL)
    assert results["contact_channel"].score >= HOLD, results["contact_channel"].reason
    assert decision.status != Status.PUBLISHED


@pytest.mark.parametrize(
    "body",
    [
        "घर बैठे रोज़ 3000 रुपये कमाएं, अभी व्हाट्सएप करें 98765 12345",
        "اربح 500 دولار يوميا من المنزل، تواصل واتساب +966 50 123 4567 للاستثمار",
    ],
)
def test_a_messenger_named_in_hindi_or_arabic_script_holds(judge, body):
    decision, results = judge(body, off=MODEL)
    assert results["contact_channel"].score >= HOLD, results["contact_channel"].reason
    assert decision.status != Status.PUBLISHED


@pytest.mark.parametrize(
    "body",
    [
        "We had Greenway Roofing fix our gutters, they were quick and tidy and didn't "
        "overcharge. Ring them on 0161 496 0734.",
        "Our school PTA is collecting books for the library, call Priya on 07700 900877 and "
        "she'll pick them up.",
    ],
)
def test_a_neighbours_local_number_is_published(judge, body):
    """A local number in a recommendation from experience or a community notice."""
    decision, results = judge(body)
    assert results["contact_channel"].score < HOLD, results["contact_channel"].reason
    assert decision.status == Status.PUBLISHED, (decision.reason, results["spam_model"].reason)


@pytest.mark.parametrize(
    "body",
    [
        # Toll-free: the fake support desk's line, in a testimonial's words.
        "I had the same problem with my router, called 1-888-555-0147 and they sorted it.",
        # International: the spell caster's or lender's testimonial.
        "I found Dr Ubaka, he brought my ex back in 3 days, call him on +234 810 555 0199",
        # A business speaking is no neighbour.
        "Our club offers the best rates in town, call 0161 496 0999 today",
    ],
)
def test_a_testimonial_or_a_business_number_is_still_held(judge, body):
    decision, results = judge(body, off=MODEL)
    assert results["contact_channel"].score >= HOLD, results["contact_channel"].reason
    assert decision.status != Status.PUBLISHED


@pytest.mark.parametrize(
    "body",
    [
        "Call girls in Pune available tonight, call 98220 54321",
        "Need a fake diploma or passport? Contact papersplug@protonmail.com",
    ],
)
def test_escorts_and_forged_papers_are_filed(judge, body):
    decision, results = judge(body, off=MODEL)
    assert results["contact_channel"].score >= 0.9, results["contact_channel"].reason
    assert decision.status == Status.SPAM


@pytest.mark.parametrize(
    "body",
    [
        "Hi admin, I'm an SEO expert and can rank your site on the first page of Google. "
        "Email me: toprank.agency@gmail.com",
        "Hacking services: grade changes, social media recovery. Contact fixit@protonmail.com",
        "Real TikTok followers 5k for $10, DM @boostkingz",
    ],
)
def test_seo_hacking_and_follower_sellers_with_an_address_are_filed(judge, body):
    decision, results = judge(body, off=MODEL)
    assert results["contact_channel"].score >= 0.9, results["contact_channel"].reason
    assert decision.status == Status.SPAM


@pytest.mark.parametrize(
    "body",
    [
        "Lost: grey whippet, answers to Olive, near the rec. Reward. Call 07700 900650.",
        "FOUND - a child's bike outside the Co-op on Friday. Text 07700 900781 to claim.",
    ],
)
def test_a_notice_written_as_a_heading_is_a_neighbours(judge, body):
    decision, results = judge(body)
    assert results["contact_channel"].score < HOLD, results["contact_channel"].reason
    assert decision.status == Status.PUBLISHED, (decision.reason, results["spam_model"].reason)


@pytest.mark.parametrize(
    "body",
    [
        # A charity's freephone advice line, named.
        "Citizens Advice is free, call them on 0800 144 8848 before you sign anything.",
        "If the bailiffs are at the door, ring StepChange on 0800 138 1111, they helped my mum.",
        # A community asking for volunteers, in no "our"/"my".
        "The food bank at St Mary's needs volunteers on Saturdays. Ring Jo on 0161 496 0555.",
    ],
)
def test_a_charitys_line_or_a_call_for_volunteers_is_published(judge, body):
    decision, results = judge(body)
    assert results["contact_channel"].score < HOLD, results["contact_channel"].reason
    assert decision.status == Status.PUBLISHED, (decision.reason, results["spam_model"].reason)


@pytest.mark.parametrize(
    "body",
    [
        # A brand's "support line" is what fake desks sell, toll-free or not.
        "Norton antivirus customer care number 1-800-219-6624 toll free for renewal and refund",
        "QuickBooks payroll support, call 0800 123 4567 now for instant help",
        # A charity named next to an international number is a testimonial's.
        "Samaritans could not help me but Dr Ade did, call him on +234 810 555 0123",
    ],
)
def test_a_brands_line_or_a_foreign_number_is_still_held(judge, body):
    decision, results = judge(body)
    assert results["contact_channel"].score >= HOLD, results["contact_channel"].reason
    assert decision.status != Status.PUBLISHED


@pytest.mark.parametrize(
    "body",
    [
        "I was in debt until I found binary options with Mr Anderson, I now earn $23,000 "
        "every 2 weeks. Contact: anderson_fx (telegram)",
        "Made $4,000 in a week with this signal group, message crypto_kate99 on telegram",
    ],
)
def test_a_handle_before_the_messengers_name_with_money_talk_is_filed(judge, body):
    decision, results = judge(body, off=MODEL)
    assert results["contact_channel"].score >= 0.9, results["contact_channel"].reason
    assert decision.status != Status.PUBLISHED


@pytest.mark.parametrize(
    "body",
    [
        "bot_42 on telegram said the mirror is down again, anyone else seeing this?",
        "The maintainer (dev_anna on signal) confirmed the fix lands in 2.3.",
    ],
)
def test_a_readers_mention_of_someones_handle_is_not_held(judge, body):
    decision, results = judge(body)
    assert results["contact_channel"].score < HOLD, results["contact_channel"].reason
    assert decision.status == Status.PUBLISHED, (decision.reason, results["spam_model"].reason)


@pytest.mark.parametrize(
    "body",
    [
        "I now earn $9,000 weekly trading with Mr Cole, DM him on Instagram @cole_fx_trades",
        "My forex profits changed my life, message her on IG @investwithlara",
    ],
)
def test_a_dm_to_a_handle_named_after_the_platform_with_money_talk_is_filed(judge, body):
    decision, results = judge(body, off=MODEL)
    assert results["contact_channel"].score >= 0.9, results["contact_channel"].reason
    assert decision.status != Status.PUBLISHED


@pytest.mark.parametrize(
    "body",
    [
        "The bakery posts its daily specials on Instagram @thecornerbakery_ldn, worth following",
        "I asked the author on Twitter @jkwrites and she said part two is coming in May.",
    ],
)
def test_a_readers_mention_of_a_social_handle_is_published(judge, body):
    decision, results = judge(body)
    assert results["contact_channel"].score < HOLD, results["contact_channel"].reason
    assert decision.status == Status.PUBLISHED, decision.reason


@pytest.mark.parametrize(
    "body",
    [
        "We hired Kamal as our driver for a week in Kerala and he was patient and safe, "
        "his WhatsApp is +91 98470 55512",
        "In Marrakech we used a guide called Youssef, he knew every corner of the medina. "
        "His number on WhatsApp: +212 661 555 014",
    ],
)
def test_a_travellers_hired_driver_or_guide_on_a_messenger_is_published(judge, body):
    decision, results = judge(body)
    assert results["contact_channel"].score < HOLD, results["contact_channel"].reason
    assert decision.status == Status.PUBLISHED, decision.reason


@pytest.mark.parametrize(
    ("body", "filed"),
    [
        # No experience told: a driver advertising himself.
        ("Need a driver in Goa? WhatsApp +91 98220 54321", False),
        # Told from experience, but of money made: the investment testimonial.
        (
            "We used Mr Kofi as our guide to bitcoin trading and he doubled my profits, "
            "his WhatsApp is +233 24 555 0182",
            True,
        ),
        # Sales talk around the driver: a tour company's pitch.
        (
            "We booked a driver with Desert Tours, best prices guaranteed, his WhatsApp "
            "+971 50 555 0143",
            False,
        ),
    ],
)
def test_a_driver_advertised_or_a_testimonial_on_a_messenger_is_still_held(judge, body, filed):
    decision, results = judge(body, off=MODEL)
    assert results["contact_channel"].score >= (0.9 if filed else HOLD), results[
        "contact_channel"
    ].reason
    assert decision.status != Status.PUBLISHED
