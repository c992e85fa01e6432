-- deskterm store, schema 1: the domain tables.
CREATE TABLE team (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at DATETIME NOT NULL
);

CREATE TABLE department (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE agent (
    id TEXT PRIMARY KEY,
    handle TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    email TEXT,
    role TEXT NOT NULL CHECK (role IN ('agent', 'lead', 'admin')),
    tier INTEGER NOT NULL CHECK (tier BETWEEN 1 AND 3),
    team_id TEXT REFERENCES team(id),
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at DATETIME NOT NULL
);

CREATE TABLE customer (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    organisation TEXT,
    email TEXT,
    phone TEXT,
    products TEXT NOT NULL DEFAULT '[]',
    notes TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    erased_at DATETIME,
    deleted BOOLEAN NOT NULL DEFAULT 0
);
CREATE INDEX ix_customer_email ON customer(email);
CREATE INDEX ix_customer_name ON customer(name);

CREATE TABLE ticket (
    id TEXT PRIMARY KEY,
    number INTEGER UNIQUE,
    subject TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL CHECK (kind IN ('incident', 'request', 'question', 'complaint')),
    status TEXT NOT NULL
        CHECK (status IN ('new', 'open', 'waiting', 'escalated', 'resolved', 'closed')),
    priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 4),
    department_id TEXT REFERENCES department(id),
    customer_id TEXT NOT NULL REFERENCES customer(id),
    owner_id TEXT REFERENCES agent(id),
    resolver_tier INTEGER CHECK (resolver_tier BETWEEN 1 AND 3),
    resolver_group TEXT,
    escalation_reason TEXT,
    escalated_at DATETIME,
    resolution TEXT,
    first_contact_resolution BOOLEAN,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    resolved_at DATETIME,
    last_contact_at DATETIME,
    deleted BOOLEAN NOT NULL DEFAULT 0
);
CREATE INDEX ix_ticket_customer ON ticket(customer_id, created_at);
CREATE INDEX ix_ticket_owner_status ON ticket(owner_id, status);
CREATE INDEX ix_ticket_status_created ON ticket(status, created_at);
CREATE INDEX ix_ticket_department_status ON ticket(department_id, status);

CREATE TABLE ticket_event (
    id TEXT PRIMARY KEY,
    ticket_id TEXT NOT NULL REFERENCES ticket(id),
    agent_id TEXT REFERENCES agent(id),
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);
CREATE INDEX ix_ticket_event_ticket ON ticket_event(ticket_id, created_at);

CREATE TABLE contact (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customer(id),
    agent_id TEXT REFERENCES agent(id),
    ticket_id TEXT REFERENCES ticket(id),
    channel TEXT NOT NULL CHECK (channel IN ('phone', 'email', 'chat', 'walk-in', 'social')),
    direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    summary TEXT NOT NULL,
    occurred_at DATETIME NOT NULL,
    self_rating INTEGER CHECK (self_rating BETWEEN 1 AND 5)
);
CREATE INDEX ix_contact_customer ON contact(customer_id, occurred_at);
CREATE INDEX ix_contact_ticket ON contact(ticket_id);

CREATE TABLE kb_article (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    department_id TEXT REFERENCES department(id),
    author_id TEXT REFERENCES agent(id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL,
    deleted BOOLEAN NOT NULL DEFAULT 0
);

CREATE TABLE ticket_article (
    id TEXT PRIMARY KEY,
    ticket_id TEXT NOT NULL REFERENCES ticket(id),
    article_id TEXT NOT NULL REFERENCES kb_article(id),
    agent_id TEXT REFERENCES agent(id),
    created_at DATETIME NOT NULL,
    UNIQUE (ticket_id, article_id)
);

CREATE TABLE goodwill_entry (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('allocation', 'spend', 'reversal')),
    budget_agent_id TEXT NOT NULL REFERENCES agent(id),
    period TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    currency TEXT NOT NULL,
    ticket_id TEXT REFERENCES ticket(id),
    customer_id TEXT REFERENCES customer(id),
    reason TEXT NOT NULL,
    reverses_id TEXT UNIQUE REFERENCES goodwill_entry(id),
    author_id TEXT NOT NULL REFERENCES agent(id),
    created_at DATETIME NOT NULL
);
CREATE INDEX ix_goodwill_budget ON goodwill_entry(budget_agent_id, period);
CREATE INDEX ix_goodwill_customer ON goodwill_entry(customer_id);

CREATE TABLE mood_entry (
    id TEXT PRIMARY KEY,
    agent_id TEXT NOT NULL REFERENCES agent(id),
    local_date TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    note TEXT,
    created_at DATETIME NOT NULL,
    UNIQUE (agent_id, local_date)
);

CREATE TABLE kudos (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL CHECK (source IN ('customer', 'lead')),
    from_name TEXT NOT NULL,
    message TEXT NOT NULL,
    about_agent_id TEXT REFERENCES agent(id),
    team_id TEXT REFERENCES team(id),
    customer_id TEXT REFERENCES customer(id),
    ticket_id TEXT REFERENCES ticket(id),
    contact_id TEXT REFERENCES contact(id),
    author_id TEXT NOT NULL REFERENCES agent(id),
    created_at DATETIME NOT NULL
);
CREATE INDEX ix_kudos_created ON kudos(created_at);
