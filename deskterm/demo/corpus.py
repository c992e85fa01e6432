"""Word lists the demo data is made of: names, organisations, products, places, things.

Everything here is fictional; organisation domains use the reserved `.example` TLD.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable

FIRST_NAMES = (
    "Aaliyah", "Abdul", "Ada", "Adebayo", "Agnieszka", "Ahmed", "Aisha", "Akira", "Alba",
    "Aleksander", "Amélie", "Ana", "Anders", "Andrea", "Anja", "Ann", "Annika", "Antoine",
    "Arne", "Astrid", "Aurelio", "Ayşe", "Barbara", "Beatriz", "Ben", "Bilal", "Björn",
    "Bogdan", "Camille", "Carlos", "Carmen", "Catarina", "Chen", "Chiara", "Chidi", "Clara",
    "Colm", "Dagmar", "Dan", "Dario", "David", "Deepa", "Dimitri", "Dorota", "Eduardo",
    "Eero", "Elena", "Eliza", "Emil", "Emre", "Erik", "Esther", "Eva", "Fabian", "Farah",
    "Femke", "Finn", "Florin", "Francesca", "Freya", "Gabriel", "Gareth", "Giulia", "Grace",
    "Gustavo", "Hamza", "Hana", "Hiroshi", "Hugo", "Ibrahim", "Ida", "Ignacio", "Ilse",
    "Imani", "Isabel", "Ivan", "Jakub", "James", "Jan", "Jasmijn", "Javier", "Jean",
    "Jelena", "Jesper", "Joana", "Johan", "Jorge", "Josefine", "Kai", "Karin", "Katarzyna",
    "Kenji", "Khadija", "Kim", "Klaus", "Laila", "Lars", "Laura", "Lea", "Liam", "Lotte",
    "Louis", "Lucía", "Maarten", "Magnus", "Malik", "Marco", "Margarida", "Maria",
    "Marieke", "Marta", "Matteo", "Maya", "Mehmet", "Mia", "Miguel", "Milan", "Mohammed",
    "Nathalie", "Niamh", "Nikolai", "Nina", "Noah", "Nora", "Oliver", "Oluwaseun", "Oscar",
    "Paula", "Pedro", "Petra", "Quentin", "Rachel", "Rafael", "Rahul", "Rania", "René",
    "Ricardo", "Rik", "Ruth", "Sami", "Sandra", "Sara", "Sébastien", "Selin", "Siobhan",
    "Stefan", "Sunita", "Sven", "Tamara", "Thijs", "Thomas", "Tiago", "Tobias", "Valentina",
    "Vera", "Wei", "Willem", "Xavier", "Yara", "Yusuf", "Zainab", "Zofia",
)

LAST_NAMES = (
    "Abdi", "Adeyemi", "Ahmed", "Andersen", "Bakker", "Banerjee", "Becker", "Bernard",
    "Bianchi", "Bos", "Brown", "Byrne", "Castro", "Çelik", "Chen", "Christensen", "Costa",
    "Da Silva", "Dahl", "De Boer", "De Jong", "De Wit", "Demir", "Dijkstra", "Dubois",
    "Dvořák", "Eriksson", "Esposito", "Evans", "Fernandes", "Ferrari", "Fischer", "Fontaine",
    "García", "Gomes", "González", "Haas", "Hansen", "Hendriks", "Hoekstra", "Horvat",
    "Hughes", "Huang", "Ivanov", "Jakobsen", "Janssen", "Jensen", "Johansson", "Kaya",
    "Keller", "Kelly", "Khan", "Kim", "Klein", "Kovács", "Kowalski", "Kumar", "Lambert",
    "Larsen", "Laurent", "Lee", "Lehmann", "Lewandowski", "Li", "Lindberg", "Lopes",
    "López", "Maas", "Martens", "Martínez", "Meijer", "Meyer", "Molenaar", "Moreau",
    "Mulder", "Müller", "Murphy", "Nagy", "Nguyen", "Nielsen", "Novak", "Nowak", "O'Connor",
    "Okafor", "Olsen", "Osei", "Özdemir", "Patel", "Peeters", "Pereira", "Petrov", "Popescu",
    "Post", "Ramos", "Ricci", "Rodrigues", "Romano", "Santos", "Schmidt", "Schulz", "Shah",
    "Singh", "Smit", "Smith", "Sousa", "Staal", "Suzuki", "Svensson", "Takahashi", "Taylor",
    "Thomas", "Tran", "Van Dam", "Van den Berg", "Van Dijk", "Van Leeuwen", "Vermeulen",
    "Visser", "Vos", "Wagner", "Wang", "Weber", "Williams", "Wilson", "Wójcik", "Yamamoto",
    "Yıldız", "Zhang", "Zimmermann",
)

#: Organisations the desk serves: (name, email domain, phone country code).
ORGANISATIONS = (
    ("Northwind Logistics", "northwind.example", "+31"),
    ("Harbourside Hospital", "harbourside-hospital.example", "+31"),
    ("City of Westmere", "westmere.example", "+44"),
    ("Meridian Insurance", "meridian-insurance.example", "+31"),
    ("Alder & Finch Solicitors", "alderfinch.example", "+44"),
    ("Bluewater Energy", "bluewater-energy.example", "+32"),
    ("Lumen University", "lumen-university.example", "+31"),
    ("Orchard Foods", "orchardfoods.example", "+49"),
    ("Polaris Engineering", "polaris-eng.example", "+49"),
    ("Quayside Housing", "quayside-housing.example", "+44"),
    ("Riverbend School Trust", "riverbend-schools.example", "+44"),
    ("Solstice Media", "solstice-media.example", "+33"),
    ("Tidewater Ports", "tidewater-ports.example", "+31"),
    ("Verdant Pharma", "verdant-pharma.example", "+41"),
    ("Willow Care Homes", "willowcare.example", "+44"),
    ("Atlas Freight", "atlas-freight.example", "+49"),
    ("Beacon Retail", "beacon-retail.example", "+31"),
    ("Cobalt Telecom", "cobalt-telecom.example", "+32"),
    ("Delta Water Board", "deltawater.example", "+31"),
    ("Evergreen Bank", "evergreen-bank.example", "+352"),
    ("Fjord Seafood", "fjord-seafood.example", "+47"),
    ("Granite Construction", "granite-construction.example", "+353"),
    ("Helix Biotech", "helix-biotech.example", "+45"),
    ("Iris Opticians", "iris-opticians.example", "+34"),
    ("Juniper Hotels", "juniper-hotels.example", "+351"),
    ("Kite Mobility", "kite-mobility.example", "+46"),
    ("Lighthouse Charity", "lighthouse-charity.example", "+44"),
    ("Marlow Accountants", "marlow-accountants.example", "+44"),
)

#: Services and products a customer uses (the `products` list on a customer).
PRODUCTS = (
    "Laptop (standard)", "Laptop (developer)", "MacBook", "Work phone", "VPN",
    "Microsoft 365", "Teams", "Slack", "SharePoint", "OneDrive", "HR portal",
    "Payroll", "Expense app", "Corporate card", "Travel tool", "Purchasing portal",
    "CRM", "Customer portal", "Softphone", "Finance desktop", "Access badge",
    "Parking permit", "Desk booking", "Learning portal", "Follow-me printing", "Power BI",
)

CUSTOMER_NOTES = (
    "Prefers email over phone.",
    "Works night shifts; call after 14:00.",
    "Hard of hearing: use chat or email.",
    "VIP: office of the board.",
    "Speaks Dutch and English.",
    "Part-time, not in on Wednesdays.",
    "Has a medical fixed desk on the 3rd floor.",
    "Often travels; reachable on mobile only.",
    "Works from home most days.",
    "Manager of a team of twelve; often calls for new starters.",
    "Uses a screen reader; send plain-text instructions.",
    "Contract ends this year; check the end date before extending access.",
    "Asked not to be called before 10:00.",
    "Team lead for the evening shift.",
    "Building access for two sites.",
)

SITES = ("Amsterdam office", "Rotterdam hub", "Utrecht campus", "Harbour House", "Leeds office",
         "Lisbon hub", "head office", "North Tower", "East warehouse", "Brussels office")
FLOORS = ("ground floor", "1st floor", "2nd floor", "3rd floor", "4th floor", "5th floor",
          "6th floor")
WHEN = ("since this morning", "since yesterday", "after the weekend", "since the update",
        "since Monday", "today", "all week", "after the password change",
        "since the office move", "again", "for two days")
TEAMS_SERVED = ("Marketing", "Claims", "Logistics", "Data", "Legal", "Sales", "Payroll",
                "Onboarding", "Risk", "Customer Insights", "Billing", "Field Service")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
ROOMS = ("Amstel", "Maas", "Rhine", "Atlas", "Orion", "Vega", "Delta", "Tagus", "Thames",
         "Boardroom")
SUPPLIERS = ("Brightline Office Supplies", "Nordic Print Services", "Vantage IT Distribution",
             "Greenway Catering", "Atlas Facility Services", "Kestrel Couriers",
             "Bluefin Software", "Meridian Travel", "Oakridge Furniture", "Clearview Cleaning")
DEVICES = ("laptop", "ThinkPad", "MacBook", "Surface", "desktop PC", "work phone", "iPad")
APPS = ("the HR portal", "the finance system", "the CRM", "SAP", "the purchasing portal",
        "Power BI", "Jira", "the expense app", "the learning portal", "the travel tool")
TOOLS = ("Visio", "Adobe Acrobat Pro", "Power BI Desktop", "Python", "Tableau", "Notepad++",
         "SPSS", "AutoCAD LT", "Zoom", "Snagit", "Miro", "DBeaver")
ITEMS = ("laptop charger", "umbrella", "wallet", "badge holder", "water bottle",
         "reading glasses", "scarf", "phone", "headset", "notebook")
SUBJECT_TOPICS = ("the VPN", "my payslip", "the laptop repair", "my badge", "an invoice",
                  "parking", "my expense claim", "the new starter")
COUNTRIES = ("Canada", "India", "Brazil", "Japan", "the United States", "South Africa",
             "Singapore", "Turkey")
MAILBOXES = ("facilities-requests", "finance-helpdesk", "hr-questions", "sales-nl",
             "claims-intake", "reception-north")
COURSES = ("Excel advanced", "Time management", "Difficult conversations",
           "Project management basics", "Writing for the web", "First aid")


def ascii_fold(text: str) -> str:
    """Lowercase ASCII for email addresses and handles: `Sébastien` -> `sebastien`."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(c for c in folded.lower() if c.isalnum() or c in ".-")


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


#: How to make a value for each {slot} a subject template may hold.
SLOT_VALUES: dict[str, Callable[[random.Random], str]] = {
    "person": person_name,
    "when": lambda rng: rng.choice(WHEN),
    "site": lambda rng: rng.choice(SITES),
    "floor": lambda rng: rng.choice(FLOORS),
    "team": lambda rng: rng.choice(TEAMS_SERVED),
    "month": lambda rng: rng.choice(MONTHS),
    "room": lambda rng: f"{rng.choice(ROOMS)} {rng.randint(1, 6)}.{rng.randint(1, 24):02d}",
    "weekday": lambda rng: rng.choice(WEEKDAYS),
    "supplier": lambda rng: rng.choice(SUPPLIERS),
    "device": lambda rng: rng.choice(DEVICES),
    "org": lambda rng: rng.choice(ORGANISATIONS)[0],
    "n": lambda rng: str(rng.choice((2, 3, 4, 5, 6, 8, 10, 12))),
    "app": lambda rng: rng.choice(APPS),
    "amount": lambda rng: f"€{rng.randint(12, 900)}.{rng.choice(('00', '50', '95', '20'))}",
    "printer": lambda rng: f"PRN-{rng.randint(0, 6)}{rng.choice('ABCD')}-{rng.randint(1, 4):02d}",
    "tool": lambda rng: rng.choice(TOOLS),
    "invoice": lambda rng: f"INV-{rng.randint(2024, 2026)}-{rng.randint(10000, 99999)}",
    "item": lambda rng: rng.choice(ITEMS),
    "topic": lambda rng: rng.choice(SUBJECT_TOPICS),
    "country": lambda rng: rng.choice(COUNTRIES),
    "desk": lambda rng: f"{rng.randint(1, 6)}.{rng.choice('ABCDE')}{rng.randint(1, 30):02d}",
    "po": lambda rng: f"PO-{rng.randint(45000000, 45999999)}",
    "mailbox": lambda rng: rng.choice(MAILBOXES),
    "course": lambda rng: rng.choice(COURSES),
}


class _Slots(dict[str, str]):
    """Makes a slot's value only when a template asks for it."""

    def __init__(self, rng: random.Random) -> None:
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> str:
        value = self[key] = SLOT_VALUES[key](self.rng)
        return value


def fill_slots(template: str, rng: random.Random) -> str:
    """A ticket subject from its template, every {slot} filled with a plausible value."""
    if "{" not in template:
        return template
    return template.format_map(_Slots(rng))
