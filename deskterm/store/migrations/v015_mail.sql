-- deskterm store, schema 15: mail. A contact on the email channel keeps its subject,
-- text, the customer's address and its Message-ID; the files that came with an inbound
-- mail are listed (their bytes stay on the server), and what became of each outbound
-- mail the server sent is recorded, one row per outcome (domain/mail.py).
ALTER TABLE contact ADD COLUMN subject TEXT;
ALTER TABLE contact ADD COLUMN body TEXT;
ALTER TABLE contact ADD COLUMN address TEXT;
ALTER TABLE contact ADD COLUMN message_id TEXT;
CREATE INDEX ix_contact_message_id ON contact(message_id) WHERE message_id IS NOT NULL;

CREATE TABLE mail_attachment (
    id TEXT PRIMARY KEY,
    contact_id TEXT NOT NULL REFERENCES contact(id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL CHECK (size BETWEEN 0 AND 2147483647),
    sha256 TEXT NOT NULL
);
CREATE INDEX ix_mail_attachment_contact_id ON mail_attachment(contact_id);

CREATE TABLE mail_delivery (
    id TEXT PRIMARY KEY,
    contact_id TEXT NOT NULL REFERENCES contact(id),
    status TEXT NOT NULL CHECK (status IN ('sent', 'retrying', 'failed')),
    detail TEXT,
    attempt INTEGER NOT NULL CHECK (attempt BETWEEN 1 AND 1000),
    at DATETIME NOT NULL
);
CREATE INDEX ix_mail_delivery_contact_id ON mail_delivery(contact_id);
