"""Customers: creating and updating them, finding them, and what is refused."""

from __future__ import annotations

from deskterm.domain import Customer
from deskterm.domain.errors import Conflict, InvalidInput, NotFound
from deskterm.services import customers
from deskterm.services.lookup import find_customer, short_id
from tests.conftest import FIXED_NOW, Desk, table_counts
from tests.services.conftest import Outbox, Refuse, erase_customer, fixed, mark_deleted


def stored(desk: Desk, customer_id: str) -> Customer:
    with desk.store.reading() as session:
        found = session.get(Customer, customer_id)
    assert found is not None
    return found


def test_create_customer_cleans_what_was_typed(desk: Desk, outbox: Outbox) -> None:
    alex = fixed(desk, "alex")
    made = customers.create_customer(
        alex, name="  Ada Lovelace ", email=" Ada@Example.ORG ", organisation="  ",
        phone="+44 (20) 7946-0018", products=[" Laptop", "VPN", "Laptop", "", "  "],
        notes="  Call after 10  ",
    )
    saved = stored(desk, made.id)
    assert saved.name == "Ada Lovelace"
    assert saved.email == "ada@example.org"
    assert saved.organisation is None
    assert saved.phone == "+44 (20) 7946-0018"
    assert saved.products == ["Laptop", "VPN"]
    assert saved.notes == "Call after 10"
    assert saved.created_at == saved.updated_at == FIXED_NOW
    assert (saved.erased_at, saved.deleted) == (None, False)
    [change] = outbox.new()
    assert (change.entity, change.op, change.row_id) == ("customer", "insert", made.id)
    assert change.fields["products"] == ["Laptop", "VPN"]
    assert change.author_id == alex.actor.id
    assert set(change.fields) == set(Customer.model_fields)


def test_a_customer_needs_only_a_name(desk: Desk) -> None:
    made = customers.create_customer(desk.alex, name="Walk-in visitor")
    saved = stored(desk, made.id)
    assert (saved.email, saved.phone, saved.products, saved.notes) == (None, None, [], "")


def test_create_refusals(desk: Desk, refuse: Refuse) -> None:
    alex = desk.alex

    def create(**changes: object) -> object:
        options: dict[str, object] = {"name": "Ada Lovelace"}
        options.update(changes)
        return lambda: customers.create_customer(alex, **options)  # type: ignore[arg-type]

    refuse(InvalidInput, create(name=" "), "customer name is required")
    refuse(InvalidInput, create(name="x" * 201), "customer name is too long", "at most 200")
    for email in ("ada", "ada@", "@example.com", "ada@example", "ada lovelace@example.com",
                  "ada@@example.com", "a@" + "b" * 250 + ".com"):
        refuse(InvalidInput, create(email=email), "is not an email address")
    for phone in ("call me", "12", "+31 6 1234 5678 9012 3456 7890", "06-abc"):
        refuse(InvalidInput, create(phone=phone), f"'{phone}' is not a phone number")
    refuse(InvalidInput, create(products=["x" * 101]), "product name", "is too long")
    refuse(InvalidInput, create(organisation="x" * 201), "organisation is too long")
    refuse(InvalidInput, create(notes="x" * 10_001), "notes is too long")
    refuse(Conflict, create(email="JO@example.com"),
           "jo@example.com already belongs to customer Jo Jansen")


def test_the_email_of_a_deleted_customer_may_be_used_again(desk: Desk) -> None:
    mark_deleted(desk.store, "customer", desk.other_customer.id)
    made = customers.create_customer(desk.alex, name="Kim K.", email="kim@example.com")
    with desk.store.reading() as session:
        assert find_customer(session, "kim@example.com").id == made.id


def test_update_records_only_what_changed(desk: Desk, outbox: Outbox) -> None:
    later = fixed(desk, "blake", minutes=90)
    outbox.mark()
    updated = customers.update_customer(later, "jo@example.com", name="Jo Jansen",
                                        phone="020 123 4567", organisation="Acme BV",
                                        products=["Laptop", "VPN"])
    saved = stored(desk, desk.customer.id)
    assert (saved.phone, saved.organisation) == ("020 123 4567", "Acme BV")
    assert saved.updated_at == updated.updated_at
    [change] = outbox.new()
    assert (change.entity, change.op) == ("customer", "update")
    assert change.fields.keys() == {"phone", "organisation", "updated_at"}
    assert change.author_id == later.actor.id


def test_update_with_the_same_values_writes_nothing(desk: Desk) -> None:
    before = table_counts(desk.store)
    customers.update_customer(desk.alex, desk.customer.id, name="Jo Jansen",
                              email="JO@EXAMPLE.COM", organisation="Acme")
    assert table_counts(desk.store) == before


def test_update_may_change_or_clear_the_email(desk: Desk) -> None:
    customers.update_customer(desk.alex, "jo@example.com", email="Jo.Jansen@Example.com")
    assert stored(desk, desk.customer.id).email == "jo.jansen@example.com"
    customers.update_customer(desk.alex, desk.customer.id, email="", notes="No email")
    saved = stored(desk, desk.customer.id)
    assert (saved.email, saved.notes) == (None, "No email")


def test_update_refusals(desk: Desk, refuse: Refuse) -> None:
    alex, jo = desk.alex, desk.customer.id
    refuse(InvalidInput, lambda: customers.update_customer(alex, jo), "nothing to change")
    refuse(InvalidInput, lambda: customers.update_customer(alex, jo, name=""),
           "customer name is required")
    refuse(InvalidInput, lambda: customers.update_customer(alex, jo, email="jo at home"),
           "'jo at home' is not an email address")
    refuse(InvalidInput, lambda: customers.update_customer(alex, jo, phone="x"),
           "'x' is not a phone number")
    refuse(InvalidInput, lambda: customers.update_customer(alex, jo, products=["y" * 101]),
           "is too long")
    refuse(Conflict, lambda: customers.update_customer(alex, jo, email="Kim@Example.com"),
           "kim@example.com already belongs to customer Kim Klaassen")
    refuse(NotFound, lambda: customers.update_customer(alex, "x@example.com", name="X"),
           "no customer 'x@example.com'")
    erase_customer(desk.store, jo)
    refuse(Conflict, lambda: customers.update_customer(alex, jo, name="Jo again"),
           "personal data was erased", "create a new customer")


def test_find_a_customer(desk: Desk) -> None:
    customer_id = desk.customer.id
    with desk.store.reading() as session:
        for typed in [customer_id, f" {customer_id.upper()} ", short_id(customer_id),
                      customer_id[-12:], customer_id[-6:], "jo@example.com", "JO@EXAMPLE.COM"]:
            assert find_customer(session, typed).id == customer_id, typed


def test_a_deleted_customer_is_not_found(desk: Desk, refuse: Refuse) -> None:
    mark_deleted(desk.store, "customer", desk.customer.id)
    for typed in (desk.customer.id, "jo@example.com", short_id(desk.customer.id)):
        refuse(NotFound, lambda t=typed: customers.update_customer(desk.alex, t, name="X"),
               "no customer")
