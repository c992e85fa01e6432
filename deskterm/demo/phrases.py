"""Sentences the demo desk writes: contact summaries, ledger reasons, kudos, mood notes."""

from __future__ import annotations

#: How a first contact opens, per channel; the ticket subject follows.
FIRST_CONTACT = {
    "phone": ("Called about: ", "Phoned in: ", "Rang the desk: "),
    "email": ("Email: ", "Wrote in: "),
    "chat": ("Chat: ", "Started a chat: "),
    "walk-in": ("Came to the walk-in desk: ", "Walk-in: "),
    "social": ("Message on the service account: ", "Direct message via social media: "),
}
SOLVED_ON_CONTACT = (
    "Fixed on the call.", "Walked through the KB steps; works now.",
    "Solved while the customer waited.", "Explained; customer happy with the answer.",
    "Quick fix; customer confirmed straight away.",
)
LOGGED_ON_CONTACT = (
    "Logged the ticket and set expectations.", "Took details and screenshots; will call back.",
    "Gathered the details and passed it on.", "Promised an update by tomorrow.",
    "Tried the usual checks; not solved yet.", "Customer will send more details.",
)
FOLLOW_UP_OUT = (
    "Called back with an update.", "Emailed the workaround from the KB.",
    "Left a voicemail asking for a call back.", "Asked the customer for a screenshot.",
    "Sent the status of the escalation.", "Checked in; customer still waiting on the fix.",
)
FOLLOW_UP_IN = (
    "Customer chased for an update.", "Customer sent the requested screenshot.",
    "Customer called: still not working.", "Customer says the workaround helps for now.",
    "Customer asked who is working on it.",
)
CLOSING_CONTACT = (
    "Confirmed the fix with the customer; closing.", "Customer confirmed it works again.",
    "Explained the outcome; customer agrees to close.",
    "Called to check the fix; all good.",
)
#: Contacts that never became a ticket.
LOOSE_CONTACTS = (
    "Asked for the opening hours of the walk-in desk; answered.",
    "Wanted the status of a colleague's ticket; pointed to the portal.",
    "Wrong number: meant the building reception.",
    "Asked where to collect a parcel; sent to the mailroom.",
    "Quick question about the payroll cut-off; answered.",
    "Asked for the guest Wi-Fi procedure; sent the KB link.",
    "Called to say the earlier problem is fine now.",
    "Asked which printer takes A3 paper; answered.",
    "Reported the VPN outage; already known, told them about the major incident.",
    "Asked how to book a desk for a visitor; explained.",
    "Thanked the desk for last week's help.",
)
DESCRIPTION_CONTEXT = (
    "Working from home today.", "Needs it before a meeting at 14:00.",
    "Already tried restarting.", "A colleague has the same problem.",
    "Urgent: deadline this afternoon.", "Happened once before, last month.",
    "No workaround available.", "Can work on another device for now.",
    "Customer is happy to be called back.", "Screenshots attached by the customer.",
)
DESCRIPTION_OPENING = ("", "Customer reports: ", "Reported by phone: ", "From the customer: ")
WAITING_NOTES = (
    "Waiting for the customer to send a screenshot.",
    "Waiting for the manager's approval.",
    "Waiting for the supplier's delivery date.",
    "Customer is on leave until next week; will pick up then.",
    "Waiting for the customer to try the workaround.",
)
GENERIC_ESCALATIONS = (
    "Needs rights the desk does not have",
    "Reproducible fault that needs diagnosis",
    "Supplier involvement needed",
    "Workaround failed; customer still blocked",
    "Change needed on the server side",
)
CLOSING_REMARKS = ("", " Customer confirmed.", " KB article updated.", " No further action.")

#: Goodwill spends: (reason, lowest euros, highest euros).
GOODWILL_REASONS = (
    ("Flowers after a botched repair visit", 25, 45),
    ("Refund of a taxi fare after the badge failed", 15, 60),
    ("Lunch voucher after a two-hour wait at the walk-in desk", 10, 20),
    ("Courier cost to get a replacement laptop to a home worker", 20, 45),
    ("Cinema tickets for a customer whose payroll error took weeks to fix", 20, 30),
    ("Parking day pass after the permit was not activated", 8, 15),
    ("Coffee voucher after 40 minutes on hold", 5, 10),
    ("Train ticket home after the VPN outage stopped home working", 15, 40),
    ("Chocolates for a team that lost a day to the file-share outage", 15, 35),
    ("Book voucher for a new starter who waited a week for a laptop", 15, 25),
    ("Refund of a mobile data bundle used during the Wi-Fi outage", 10, 30),
    ("Replacement charger bought at the station after a lost one", 25, 40),
    ("Taxi to the other site after the meeting-room booking mix-up", 15, 40),
    ("Thank-you card and biscuits after a long complaint call", 8, 15),
    ("Refund of the locksmith call-out when the bike-shed badge failed", 40, 80),
)
REVERSAL_REASONS = (
    "Reversal: booked against the wrong ticket",
    "Reversal: customer declined the gift",
    "Reversal: duplicate entry",
    "Reversal: the supplier refunded the cost",
    "Reversal: paid by Facilities instead",
)

CUSTOMER_KUDOS = (
    "Thank you {first} for sorting out my laptop before my flight!",
    "{first} was so patient with me on the phone. Everything works again.",
    "Big thanks to {first}: my payslip is finally right.",
    "Quick, friendly and fixed on the first call. Thank you {first}!",
    "{first} called back exactly when promised. That is rare. Thank you.",
    "I was very frustrated and {first} turned it around. Much appreciated.",
    "Thanks for explaining everything so clearly, {first}.",
    "The flowers were a lovely gesture. Thank you, {first}.",
    "{first} stayed on the line until my badge worked. Thank you!",
    "Finally someone who listened. Thank you {first}.",
    "My new starter had everything on day one thanks to {first}. Brilliant.",
    "{first} got my salary sorted before the weekend. I cannot thank you enough.",
    "Thank you {first} for not giving up on my printer problem!",
    "{first} explained the expense rules without making me feel silly. Thanks!",
    "Really kind help from {first} after my phone was stolen.",
    "{first} fixed in five minutes what I had struggled with for a week.",
    "Compliments to {first}: clear, calm and quick.",
    "Thanks {first} for the follow-up call, it made a difference.",
)
CUSTOMER_TEAM_KUDOS = (
    "The whole desk was brilliant during the move to the new building.",
    "Thank you all for getting our new starters going on day one.",
    "Every time I call, someone helps me straight away. Thank you, {team}.",
)
LEAD_KUDOS = (
    "{first} handled the VPN outage calls with real patience today.",
    "{first} cleared the waiting queue on Friday so Monday could start fresh. Thank you.",
    "Great write-up of the badge known error, {first}. It saved us dozens of escalations.",
    "{first} coached two new colleagues through their first week. Much appreciated.",
    "{first} spotted the payroll pattern early and got it escalated. Well done.",
    "Lovely handling of a very upset caller this morning, {first}.",
    "{first} took the walk-in desk alone during the fire drill chaos. Thank you!",
    "Thanks {first} for the clear handover notes; the evening shift loved them.",
    "{first} turned a formal complaint into a thank-you email. Impressive.",
    "{first} found the root cause of the badge failures on the 3rd floor.",
    "Your patience with the payroll callers this week was noticed, {first}.",
    "{first} volunteered for the Saturday migration support. Much appreciated.",
)
LEAD_TEAM_KUDOS = (
    "{team}: best first-contact resolution of the quarter. Proud of you all.",
    "{team}: thank you for covering the phones during the team day.",
    "{team}: the queue was empty at five on a Monday. Brilliant work.",
)
MOOD_NOTES = (
    "Long queue after the VPN outage.", "Great team lunch.",
    "Difficult caller, took a walk after.", "Quiet day, cleared my backlog.",
    "Tired, slept badly.", "Solved a tricky one with second line.",
    "Too many password resets.", "Nice thank-you from a customer.",
    "Headset broke mid-call.", "Good coaching session with my lead.",
)
