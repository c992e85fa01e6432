--
-- PostgreSQL database dump
--


-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: account; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.account (
    id character varying(64) NOT NULL,
    handle character varying(64) NOT NULL,
    agent_id character varying(64) NOT NULL,
    role character varying(16) NOT NULL,
    team_id character varying(64),
    token_hash character varying(128) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone
);


--
-- Name: agent; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.agent (
    id character varying NOT NULL,
    handle character varying NOT NULL,
    name character varying NOT NULL,
    email character varying,
    role text NOT NULL,
    tier integer NOT NULL,
    team_id character varying,
    active boolean NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: change_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.change_log (
    seq bigint NOT NULL,
    mutation_id character varying(40) NOT NULL,
    entity character varying(40) NOT NULL,
    row_id character varying(64) NOT NULL,
    op character varying(10) NOT NULL,
    fields text NOT NULL,
    hlc character varying(80) NOT NULL,
    author_id character varying(64),
    audience character varying(10) NOT NULL,
    audience_agent_id character varying(64),
    audience_team_id character varying(64),
    created_at timestamp with time zone NOT NULL
);


--
-- Name: contact; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.contact (
    id character varying NOT NULL,
    customer_id character varying NOT NULL,
    agent_id character varying,
    ticket_id character varying,
    channel text NOT NULL,
    direction text NOT NULL,
    summary character varying NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    self_rating integer
);


--
-- Name: counter; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.counter (
    name character varying(40) NOT NULL,
    value bigint NOT NULL
);


--
-- Name: customer; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.customer (
    id character varying NOT NULL,
    name character varying NOT NULL,
    organisation character varying,
    email character varying,
    phone character varying,
    products text NOT NULL,
    notes character varying NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    erased_at timestamp with time zone,
    deleted boolean NOT NULL
);


--
-- Name: department; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.department (
    id character varying NOT NULL,
    code character varying NOT NULL,
    name character varying NOT NULL
);


--
-- Name: field_clock; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.field_clock (
    entity character varying(40) NOT NULL,
    row_id character varying(64) NOT NULL,
    field character varying(64) NOT NULL,
    hlc character varying(80) NOT NULL
);


--
-- Name: goodwill_entry; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.goodwill_entry (
    id character varying NOT NULL,
    kind text NOT NULL,
    budget_agent_id character varying NOT NULL,
    period character varying NOT NULL,
    amount_cents integer NOT NULL,
    currency character varying NOT NULL,
    ticket_id character varying,
    customer_id character varying,
    reason character varying NOT NULL,
    reverses_id character varying,
    author_id character varying NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: kb_article; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.kb_article (
    id character varying NOT NULL,
    title character varying NOT NULL,
    body character varying NOT NULL,
    tags text NOT NULL,
    department_id character varying,
    author_id character varying,
    version integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    deleted boolean NOT NULL
);


--
-- Name: kudos; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.kudos (
    id character varying NOT NULL,
    source text NOT NULL,
    from_name character varying NOT NULL,
    message character varying NOT NULL,
    about_agent_id character varying,
    team_id character varying,
    customer_id character varying,
    ticket_id character varying,
    contact_id character varying,
    author_id character varying NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: log_head; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.log_head (
    id integer NOT NULL,
    seq bigint NOT NULL
);


--
-- Name: mood_entry; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.mood_entry (
    id character varying NOT NULL,
    agent_id character varying NOT NULL,
    local_date character varying NOT NULL,
    score integer NOT NULL,
    note character varying,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: processed_mutation; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.processed_mutation (
    mutation_id character varying(40) NOT NULL,
    client_id character varying(64) NOT NULL,
    outcome character varying(10) NOT NULL,
    code character varying(40),
    reason text,
    assigned text,
    seq bigint,
    answered_at timestamp with time zone NOT NULL
);


--
-- Name: server_meta; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.server_meta (
    key character varying(40) NOT NULL,
    value text NOT NULL
);


--
-- Name: team; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.team (
    id character varying NOT NULL,
    name character varying NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: ticket; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ticket (
    id character varying NOT NULL,
    number integer,
    subject character varying NOT NULL,
    description character varying NOT NULL,
    kind text NOT NULL,
    status text NOT NULL,
    priority integer NOT NULL,
    department_id character varying,
    customer_id character varying NOT NULL,
    owner_id character varying,
    resolver_tier integer,
    resolver_group character varying,
    escalation_reason character varying,
    escalated_at timestamp with time zone,
    resolution character varying,
    first_contact_resolution boolean,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    resolved_at timestamp with time zone,
    last_contact_at timestamp with time zone,
    deleted boolean NOT NULL
);


--
-- Name: ticket_article; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ticket_article (
    id character varying NOT NULL,
    ticket_id character varying NOT NULL,
    article_id character varying NOT NULL,
    agent_id character varying,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: ticket_event; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ticket_event (
    id character varying NOT NULL,
    ticket_id character varying NOT NULL,
    agent_id character varying,
    kind text NOT NULL,
    detail character varying NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Data for Name: account; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.account VALUES ('01a2452c-af6d-7f11-b037-863876da5c63', 'alex', '01a2452c-af59-74c9-9ed2-14c14b5b9c81', 'agent', '01a2452c-af59-74ae-8ccc-5dd011c24c12', '56fdbdd8a81f81a4bb1bd30aee97d37372fb820534290d235c0ea4241feb4b61', '2026-12-05 07:48:06.101177+00', NULL);
INSERT INTO public.account VALUES ('01a2452c-b4fe-7125-9a96-d97f8f0e3556', 'morgan', '01a2452c-b4f6-7e99-b344-a65b96d9ab4c', 'lead', '01a2452c-af59-74ae-8ccc-5dd011c24c12', 'a9c72028370ea34fd48bc3c105d3995a68d514154afb6412d87dbcc08bb861ad', '2026-12-05 07:48:07.531022+00', NULL);
INSERT INTO public.account VALUES ('01a2452c-b9e9-7aee-9b9e-657806dd7271', 'root', '01a2452c-b9cb-7e84-9770-5b13a309896c', 'admin', NULL, '8ca5c4c778a95aa3f2113949bda71368625c29865b56f1d5e53bcb86ed08730d', '2026-12-05 07:48:08.766489+00', NULL);


--
-- Data for Name: agent; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.agent VALUES ('01a2452c-af59-74c9-9ed2-14c14b5b9c81', 'alex', 'Alex', NULL, 'agent', 1, '01a2452c-af59-74ae-8ccc-5dd011c24c12', true, '2026-12-05 07:48:06.101177+00');
INSERT INTO public.agent VALUES ('01a2452c-b4f6-7e99-b344-a65b96d9ab4c', 'morgan', 'Morgan', NULL, 'lead', 1, '01a2452c-af59-74ae-8ccc-5dd011c24c12', true, '2026-12-05 07:48:07.531022+00');
INSERT INTO public.agent VALUES ('01a2452c-b9cb-7e84-9770-5b13a309896c', 'root', 'Root', NULL, 'admin', 1, NULL, true, '2026-12-05 07:48:08.766489+00');


--
-- Data for Name: change_log; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.change_log VALUES (1, '01a2452c-af62-7792-8ec8-9612be463327', 'team', '01a2452c-af59-74ae-8ccc-5dd011c24c12', 'insert', '{"name": "north", "created_at": "2026-12-05T07:48:06.101177+00:00"}', '1796456886105-00000-server', NULL, 'all', NULL, NULL, '2026-12-05 07:48:06.105373+00');
INSERT INTO public.change_log VALUES (2, '01a2452c-af6a-7757-b1a1-33c8b09c89f7', 'agent', '01a2452c-af59-74c9-9ed2-14c14b5b9c81', 'insert', '{"handle": "alex", "name": "Alex", "email": null, "role": "agent", "tier": 1, "team_id": "01a2452c-af59-74ae-8ccc-5dd011c24c12", "active": true, "created_at": "2026-12-05T07:48:06.101177+00:00"}', '1796456886105-00001-server', NULL, 'all', NULL, NULL, '2026-12-05 07:48:06.105373+00');
INSERT INTO public.change_log VALUES (3, '01a2452c-b4fb-7141-9810-c8fadc90eae2', 'agent', '01a2452c-b4f6-7e99-b344-a65b96d9ab4c', 'insert', '{"handle": "morgan", "name": "Morgan", "email": null, "role": "lead", "tier": 1, "team_id": "01a2452c-af59-74ae-8ccc-5dd011c24c12", "active": true, "created_at": "2026-12-05T07:48:07.531022+00:00"}', '1796456887542-00000-server', NULL, 'all', NULL, NULL, '2026-12-05 07:48:07.542112+00');
INSERT INTO public.change_log VALUES (4, '01a2452c-b9e0-7ee4-b95e-3e4f94c7a620', 'agent', '01a2452c-b9cb-7e84-9770-5b13a309896c', 'insert', '{"handle": "root", "name": "Root", "email": null, "role": "admin", "tier": 1, "team_id": null, "active": true, "created_at": "2026-12-05T07:48:08.766489+00:00"}', '1796456888779-00000-server', NULL, 'all', NULL, NULL, '2026-12-05 07:48:08.779283+00');
INSERT INTO public.change_log VALUES (5, '01a2452c-d4a1-7f64-87bc-b473981938fb', 'customer', '01a2452c-d49f-738f-b9a5-2b0232ad3cd3', 'insert', '{"id": "01a2452c-d49f-738f-b9a5-2b0232ad3cd3", "name": "Jo Jansen", "organisation": null, "email": "jo@example.org", "phone": "+31 6 1234 5678", "products": [], "notes": "prefers phone", "created_at": "2026-12-05T07:48:15.641137+00:00", "updated_at": "2026-12-05T07:48:15.641137+00:00", "erased_at": null, "deleted": false}', '1796456895648-00000-82a47e4893fb', '01a2452c-af59-74c9-9ed2-14c14b5b9c81', 'all', NULL, NULL, '2026-12-05 07:48:21.477479+00');
INSERT INTO public.change_log VALUES (6, '01a2452c-d904-7394-ae5a-a51eb99f8bfa', 'ticket', '01a2452c-d900-7c5e-835e-350561777bc0', 'insert', '{"id": "01a2452c-d900-7c5e-835e-350561777bc0", "number": 1001, "subject": "Printer offline", "description": "The office printer drops off the network", "kind": "incident", "status": "open", "priority": 2, "department_id": null, "customer_id": "01a2452c-d49f-738f-b9a5-2b0232ad3cd3", "owner_id": "01a2452c-af59-74c9-9ed2-14c14b5b9c81", "resolver_tier": null, "resolver_group": null, "escalation_reason": null, "escalated_at": null, "resolution": null, "first_contact_resolution": null, "created_at": "2026-12-05T07:48:16.765639+00:00", "updated_at": "2026-12-05T07:48:16.765639+00:00", "resolved_at": null, "last_contact_at": null, "deleted": false}', '1796456896771-00000-82a47e4893fb', '01a2452c-af59-74c9-9ed2-14c14b5b9c81', 'all', NULL, NULL, '2026-12-05 07:48:21.477479+00');
INSERT INTO public.change_log VALUES (7, '01a2452c-d906-76a1-9995-13532f698440', 'ticket_event', '01a2452c-d904-7bfd-86c3-c508f8f4c31c', 'insert', '{"id": "01a2452c-d904-7bfd-86c3-c508f8f4c31c", "ticket_id": "01a2452c-d900-7c5e-835e-350561777bc0", "agent_id": "01a2452c-af59-74c9-9ed2-14c14b5b9c81", "kind": "created", "detail": "for Jo Jansen", "created_at": "2026-12-05T07:48:16.772625+00:00"}', '1796456896774-00000-82a47e4893fb', '01a2452c-af59-74c9-9ed2-14c14b5b9c81', 'all', NULL, NULL, '2026-12-05 07:48:21.477479+00');
INSERT INTO public.change_log VALUES (8, '01a2452c-dcf6-7b92-9b79-3e5f8d0ddaa9', 'contact', '01a2452c-dcf1-7a0a-ad40-447375cb7035', 'insert', '{"id": "01a2452c-dcf1-7a0a-ad40-447375cb7035", "customer_id": "01a2452c-d49f-738f-b9a5-2b0232ad3cd3", "agent_id": "01a2452c-af59-74c9-9ed2-14c14b5b9c81", "ticket_id": null, "channel": "phone", "direction": "inbound", "summary": "Walked Jo through a restart", "occurred_at": "2026-12-05T07:48:17.775790+00:00", "self_rating": 4}', '1796456897781-00000-82a47e4893fb', '01a2452c-af59-74c9-9ed2-14c14b5b9c81', 'all', NULL, NULL, '2026-12-05 07:48:21.477479+00');
INSERT INTO public.change_log VALUES (9, '01a2452c-e19f-772e-ba96-ca64c72a169e', 'kb_article', '01a2452c-e18f-76a4-a6b1-63e0790fcb51', 'insert', '{"id": "01a2452c-e18f-76a4-a6b1-63e0790fcb51", "title": "Printer offline", "body": "Restart, then re-pair.", "tags": [], "department_id": null, "author_id": "01a2452c-af59-74c9-9ed2-14c14b5b9c81", "version": 1, "created_at": "2026-12-05T07:48:18.959811+00:00", "updated_at": "2026-12-05T07:48:18.959811+00:00", "deleted": false}', '1796456898974-00000-82a47e4893fb', '01a2452c-af59-74c9-9ed2-14c14b5b9c81', 'all', NULL, NULL, '2026-12-05 07:48:21.477479+00');
INSERT INTO public.change_log VALUES (10, '01a2452c-e691-7879-bb87-a2b9392ea463', 'mood_entry', '01a2452c-e690-7c5d-942e-df1fbd69d4c0', 'insert', '{"id": "01a2452c-e690-7c5d-942e-df1fbd69d4c0", "agent_id": "01a2452c-af59-74c9-9ed2-14c14b5b9c81", "local_date": "2026-12-05", "score": 4, "note": "a good day", "created_at": "2026-12-05T07:48:20.239974+00:00"}', '1796456900241-00000-82a47e4893fb', '01a2452c-af59-74c9-9ed2-14c14b5b9c81', 'agent', '01a2452c-af59-74c9-9ed2-14c14b5b9c81', NULL, '2026-12-05 07:48:21.477479+00');
INSERT INTO public.change_log VALUES (11, '01a2452c-f426-71c8-966e-66c6f4c4bc12', 'goodwill_entry', '01a2452c-f423-7468-85b1-db759f2a1701', 'insert', '{"id": "01a2452c-f423-7468-85b1-db759f2a1701", "kind": "allocation", "budget_agent_id": "01a2452c-af59-74c9-9ed2-14c14b5b9c81", "period": "2026-12", "amount_cents": 5000, "currency": "EUR", "ticket_id": null, "customer_id": null, "reason": "monthly budget", "reverses_id": null, "author_id": "01a2452c-b4f6-7e99-b344-a65b96d9ab4c", "created_at": "2026-12-05T07:48:23.715799+00:00"}', '1796456903717-00000-6455f2c984b8', '01a2452c-b4f6-7e99-b344-a65b96d9ab4c', 'budget', '01a2452c-af59-74c9-9ed2-14c14b5b9c81', '01a2452c-af59-74ae-8ccc-5dd011c24c12', '2026-12-05 07:48:25.854475+00');
INSERT INTO public.change_log VALUES (12, '01a2452c-f895-7322-8eb5-58c27802e3e9', 'kudos', '01a2452c-f88e-73c7-b85f-0ec65bb0b5b0', 'insert', '{"id": "01a2452c-f88e-73c7-b85f-0ec65bb0b5b0", "source": "customer", "from_name": "Jo Jansen", "message": "Great save with the printer", "about_agent_id": "01a2452c-af59-74c9-9ed2-14c14b5b9c81", "team_id": "01a2452c-af59-74ae-8ccc-5dd011c24c12", "customer_id": null, "ticket_id": null, "contact_id": null, "author_id": "01a2452c-b4f6-7e99-b344-a65b96d9ab4c", "created_at": "2026-12-05T07:48:24.846278+00:00"}', '1796456904852-00000-6455f2c984b8', '01a2452c-b4f6-7e99-b344-a65b96d9ab4c', 'all', NULL, NULL, '2026-12-05 07:48:25.854475+00');
INSERT INTO public.change_log VALUES (13, '01a2452d-0503-78ec-9ea5-66406d50668f', 'goodwill_entry', '01a2452d-04f7-73f5-b8f6-1e0e2d426a36', 'insert', '{"id": "01a2452d-04f7-73f5-b8f6-1e0e2d426a36", "kind": "spend", "budget_agent_id": "01a2452c-af59-74c9-9ed2-14c14b5b9c81", "period": "2026-12", "amount_cents": -1250, "currency": "EUR", "ticket_id": null, "customer_id": "01a2452c-d49f-738f-b9a5-2b0232ad3cd3", "reason": "late delivery", "reverses_id": null, "author_id": "01a2452c-af59-74c9-9ed2-14c14b5b9c81", "created_at": "2026-12-05T07:48:28.023802+00:00"}', '1796456908034-00000-82a47e4893fb', '01a2452c-af59-74c9-9ed2-14c14b5b9c81', 'all', NULL, NULL, '2026-12-05 07:48:29.860869+00');


--
-- Data for Name: contact; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.contact VALUES ('01a2452c-dcf1-7a0a-ad40-447375cb7035', '01a2452c-d49f-738f-b9a5-2b0232ad3cd3', '01a2452c-af59-74c9-9ed2-14c14b5b9c81', NULL, 'phone', 'inbound', 'Walked Jo through a restart', '2026-12-05 07:48:17.77579+00', 4);


--
-- Data for Name: counter; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.counter VALUES ('ticket_number', 1001);


--
-- Data for Name: customer; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.customer VALUES ('01a2452c-d49f-738f-b9a5-2b0232ad3cd3', 'Jo Jansen', NULL, 'jo@example.org', '+31 6 1234 5678', '[]', 'prefers phone', '2026-12-05 07:48:15.641137+00', '2026-12-05 07:48:15.641137+00', NULL, false);


--
-- Data for Name: department; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: field_clock; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.field_clock VALUES ('team', '01a2452c-af59-74ae-8ccc-5dd011c24c12', '*', '1796456886105-00000-server');
INSERT INTO public.field_clock VALUES ('agent', '01a2452c-af59-74c9-9ed2-14c14b5b9c81', '*', '1796456886105-00001-server');
INSERT INTO public.field_clock VALUES ('agent', '01a2452c-b4f6-7e99-b344-a65b96d9ab4c', '*', '1796456887542-00000-server');
INSERT INTO public.field_clock VALUES ('agent', '01a2452c-b9cb-7e84-9770-5b13a309896c', '*', '1796456888779-00000-server');
INSERT INTO public.field_clock VALUES ('customer', '01a2452c-d49f-738f-b9a5-2b0232ad3cd3', '*', '1796456895648-00000-82a47e4893fb');
INSERT INTO public.field_clock VALUES ('ticket', '01a2452c-d900-7c5e-835e-350561777bc0', '*', '1796456896771-00000-82a47e4893fb');
INSERT INTO public.field_clock VALUES ('kb_article', '01a2452c-e18f-76a4-a6b1-63e0790fcb51', '*', '1796456898974-00000-82a47e4893fb');


--
-- Data for Name: goodwill_entry; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.goodwill_entry VALUES ('01a2452c-f423-7468-85b1-db759f2a1701', 'allocation', '01a2452c-af59-74c9-9ed2-14c14b5b9c81', '2026-12', 5000, 'EUR', NULL, NULL, 'monthly budget', NULL, '01a2452c-b4f6-7e99-b344-a65b96d9ab4c', '2026-12-05 07:48:23.715799+00');
INSERT INTO public.goodwill_entry VALUES ('01a2452d-04f7-73f5-b8f6-1e0e2d426a36', 'spend', '01a2452c-af59-74c9-9ed2-14c14b5b9c81', '2026-12', -1250, 'EUR', NULL, '01a2452c-d49f-738f-b9a5-2b0232ad3cd3', 'late delivery', NULL, '01a2452c-af59-74c9-9ed2-14c14b5b9c81', '2026-12-05 07:48:28.023802+00');


--
-- Data for Name: kb_article; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.kb_article VALUES ('01a2452c-e18f-76a4-a6b1-63e0790fcb51', 'Printer offline', 'Restart, then re-pair.', '[]', NULL, '01a2452c-af59-74c9-9ed2-14c14b5b9c81', 1, '2026-12-05 07:48:18.959811+00', '2026-12-05 07:48:18.959811+00', false);


--
-- Data for Name: kudos; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.kudos VALUES ('01a2452c-f88e-73c7-b85f-0ec65bb0b5b0', 'customer', 'Jo Jansen', 'Great save with the printer', '01a2452c-af59-74c9-9ed2-14c14b5b9c81', '01a2452c-af59-74ae-8ccc-5dd011c24c12', NULL, NULL, NULL, '01a2452c-b4f6-7e99-b344-a65b96d9ab4c', '2026-12-05 07:48:24.846278+00');


--
-- Data for Name: log_head; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.log_head VALUES (1, 13);


--
-- Data for Name: mood_entry; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.mood_entry VALUES ('01a2452c-e690-7c5d-942e-df1fbd69d4c0', '01a2452c-af59-74c9-9ed2-14c14b5b9c81', '2026-12-05', 4, 'a good day', '2026-12-05 07:48:20.239974+00');


--
-- Data for Name: processed_mutation; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.processed_mutation VALUES ('01a2452c-d4a1-7f64-87bc-b473981938fb', '82a47e4893fb', 'applied', NULL, NULL, NULL, 5, '2026-12-05 07:48:21.477479+00');
INSERT INTO public.processed_mutation VALUES ('01a2452c-d904-7394-ae5a-a51eb99f8bfa', '82a47e4893fb', 'applied', NULL, NULL, '{"number": 1001}', 6, '2026-12-05 07:48:21.477479+00');
INSERT INTO public.processed_mutation VALUES ('01a2452c-d906-76a1-9995-13532f698440', '82a47e4893fb', 'applied', NULL, NULL, NULL, 7, '2026-12-05 07:48:21.477479+00');
INSERT INTO public.processed_mutation VALUES ('01a2452c-dcf6-7b92-9b79-3e5f8d0ddaa9', '82a47e4893fb', 'applied', NULL, NULL, NULL, 8, '2026-12-05 07:48:21.477479+00');
INSERT INTO public.processed_mutation VALUES ('01a2452c-e19f-772e-ba96-ca64c72a169e', '82a47e4893fb', 'applied', NULL, NULL, NULL, 9, '2026-12-05 07:48:21.477479+00');
INSERT INTO public.processed_mutation VALUES ('01a2452c-e691-7879-bb87-a2b9392ea463', '82a47e4893fb', 'applied', NULL, NULL, NULL, 10, '2026-12-05 07:48:21.477479+00');
INSERT INTO public.processed_mutation VALUES ('01a2452c-f426-71c8-966e-66c6f4c4bc12', '6455f2c984b8', 'applied', NULL, NULL, NULL, 11, '2026-12-05 07:48:25.854475+00');
INSERT INTO public.processed_mutation VALUES ('01a2452c-f895-7322-8eb5-58c27802e3e9', '6455f2c984b8', 'applied', NULL, NULL, NULL, 12, '2026-12-05 07:48:25.854475+00');
INSERT INTO public.processed_mutation VALUES ('01a2452d-0503-78ec-9ea5-66406d50668f', '82a47e4893fb', 'applied', NULL, NULL, NULL, 13, '2026-12-05 07:48:29.860869+00');


--
-- Data for Name: server_meta; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.server_meta VALUES ('server_id', '01a2452c-af51-7df1-9344-e4c40b930a33');
INSERT INTO public.server_meta VALUES ('schema_version', '1');
INSERT INTO public.server_meta VALUES ('hlc', '1796456908034-00000-server');


--
-- Data for Name: team; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.team VALUES ('01a2452c-af59-74ae-8ccc-5dd011c24c12', 'north', '2026-12-05 07:48:06.101177+00');


--
-- Data for Name: ticket; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.ticket VALUES ('01a2452c-d900-7c5e-835e-350561777bc0', 1001, 'Printer offline', 'The office printer drops off the network', 'incident', 'open', 2, NULL, '01a2452c-d49f-738f-b9a5-2b0232ad3cd3', '01a2452c-af59-74c9-9ed2-14c14b5b9c81', NULL, NULL, NULL, NULL, NULL, NULL, '2026-12-05 07:48:16.765639+00', '2026-12-05 07:48:16.765639+00', NULL, NULL, false);


--
-- Data for Name: ticket_article; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: ticket_event; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.ticket_event VALUES ('01a2452c-d904-7bfd-86c3-c508f8f4c31c', '01a2452c-d900-7c5e-835e-350561777bc0', '01a2452c-af59-74c9-9ed2-14c14b5b9c81', 'created', 'for Jo Jansen', '2026-12-05 07:48:16.772625+00');


--
-- Name: account account_handle_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.account
    ADD CONSTRAINT account_handle_key UNIQUE (handle);


--
-- Name: account account_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.account
    ADD CONSTRAINT account_pkey PRIMARY KEY (id);


--
-- Name: account account_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.account
    ADD CONSTRAINT account_token_hash_key UNIQUE (token_hash);


--
-- Name: agent agent_handle_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.agent
    ADD CONSTRAINT agent_handle_key UNIQUE (handle);


--
-- Name: agent agent_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.agent
    ADD CONSTRAINT agent_pkey PRIMARY KEY (id);


--
-- Name: change_log change_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.change_log
    ADD CONSTRAINT change_log_pkey PRIMARY KEY (seq);


--
-- Name: contact contact_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contact
    ADD CONSTRAINT contact_pkey PRIMARY KEY (id);


--
-- Name: counter counter_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.counter
    ADD CONSTRAINT counter_pkey PRIMARY KEY (name);


--
-- Name: customer customer_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.customer
    ADD CONSTRAINT customer_pkey PRIMARY KEY (id);


--
-- Name: department department_code_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.department
    ADD CONSTRAINT department_code_key UNIQUE (code);


--
-- Name: department department_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.department
    ADD CONSTRAINT department_name_key UNIQUE (name);


--
-- Name: department department_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.department
    ADD CONSTRAINT department_pkey PRIMARY KEY (id);


--
-- Name: field_clock field_clock_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.field_clock
    ADD CONSTRAINT field_clock_pkey PRIMARY KEY (entity, row_id, field);


--
-- Name: goodwill_entry goodwill_entry_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.goodwill_entry
    ADD CONSTRAINT goodwill_entry_pkey PRIMARY KEY (id);


--
-- Name: goodwill_entry goodwill_entry_reverses_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.goodwill_entry
    ADD CONSTRAINT goodwill_entry_reverses_id_key UNIQUE (reverses_id);


--
-- Name: kb_article kb_article_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kb_article
    ADD CONSTRAINT kb_article_pkey PRIMARY KEY (id);


--
-- Name: kudos kudos_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kudos
    ADD CONSTRAINT kudos_pkey PRIMARY KEY (id);


--
-- Name: log_head log_head_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.log_head
    ADD CONSTRAINT log_head_pkey PRIMARY KEY (id);


--
-- Name: mood_entry mood_entry_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.mood_entry
    ADD CONSTRAINT mood_entry_pkey PRIMARY KEY (id);


--
-- Name: processed_mutation processed_mutation_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.processed_mutation
    ADD CONSTRAINT processed_mutation_pkey PRIMARY KEY (mutation_id);


--
-- Name: server_meta server_meta_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.server_meta
    ADD CONSTRAINT server_meta_pkey PRIMARY KEY (key);


--
-- Name: team team_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.team
    ADD CONSTRAINT team_name_key UNIQUE (name);


--
-- Name: team team_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.team
    ADD CONSTRAINT team_pkey PRIMARY KEY (id);


--
-- Name: ticket_article ticket_article_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_article
    ADD CONSTRAINT ticket_article_pkey PRIMARY KEY (id);


--
-- Name: ticket_event ticket_event_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_event
    ADD CONSTRAINT ticket_event_pkey PRIMARY KEY (id);


--
-- Name: ticket ticket_number_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket
    ADD CONSTRAINT ticket_number_key UNIQUE (number);


--
-- Name: ticket ticket_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket
    ADD CONSTRAINT ticket_pkey PRIMARY KEY (id);


--
-- Name: ix_change_log_audience; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_change_log_audience ON public.change_log USING btree (audience_agent_id, seq);


--
-- Name: ix_customer_email; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_customer_email ON public.customer USING btree (email);


--
-- Name: agent agent_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.agent
    ADD CONSTRAINT agent_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.team(id);


--
-- Name: contact contact_agent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contact
    ADD CONSTRAINT contact_agent_id_fkey FOREIGN KEY (agent_id) REFERENCES public.agent(id);


--
-- Name: contact contact_customer_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contact
    ADD CONSTRAINT contact_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customer(id);


--
-- Name: contact contact_ticket_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contact
    ADD CONSTRAINT contact_ticket_id_fkey FOREIGN KEY (ticket_id) REFERENCES public.ticket(id);


--
-- Name: goodwill_entry goodwill_entry_author_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.goodwill_entry
    ADD CONSTRAINT goodwill_entry_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.agent(id);


--
-- Name: goodwill_entry goodwill_entry_budget_agent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.goodwill_entry
    ADD CONSTRAINT goodwill_entry_budget_agent_id_fkey FOREIGN KEY (budget_agent_id) REFERENCES public.agent(id);


--
-- Name: goodwill_entry goodwill_entry_customer_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.goodwill_entry
    ADD CONSTRAINT goodwill_entry_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customer(id);


--
-- Name: goodwill_entry goodwill_entry_reverses_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.goodwill_entry
    ADD CONSTRAINT goodwill_entry_reverses_id_fkey FOREIGN KEY (reverses_id) REFERENCES public.goodwill_entry(id);


--
-- Name: goodwill_entry goodwill_entry_ticket_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.goodwill_entry
    ADD CONSTRAINT goodwill_entry_ticket_id_fkey FOREIGN KEY (ticket_id) REFERENCES public.ticket(id);


--
-- Name: kb_article kb_article_author_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kb_article
    ADD CONSTRAINT kb_article_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.agent(id);


--
-- Name: kb_article kb_article_department_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kb_article
    ADD CONSTRAINT kb_article_department_id_fkey FOREIGN KEY (department_id) REFERENCES public.department(id);


--
-- Name: kudos kudos_about_agent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kudos
    ADD CONSTRAINT kudos_about_agent_id_fkey FOREIGN KEY (about_agent_id) REFERENCES public.agent(id);


--
-- Name: kudos kudos_author_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kudos
    ADD CONSTRAINT kudos_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.agent(id);


--
-- Name: kudos kudos_contact_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kudos
    ADD CONSTRAINT kudos_contact_id_fkey FOREIGN KEY (contact_id) REFERENCES public.contact(id);


--
-- Name: kudos kudos_customer_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kudos
    ADD CONSTRAINT kudos_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customer(id);


--
-- Name: kudos kudos_team_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kudos
    ADD CONSTRAINT kudos_team_id_fkey FOREIGN KEY (team_id) REFERENCES public.team(id);


--
-- Name: kudos kudos_ticket_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kudos
    ADD CONSTRAINT kudos_ticket_id_fkey FOREIGN KEY (ticket_id) REFERENCES public.ticket(id);


--
-- Name: mood_entry mood_entry_agent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.mood_entry
    ADD CONSTRAINT mood_entry_agent_id_fkey FOREIGN KEY (agent_id) REFERENCES public.agent(id);


--
-- Name: ticket_article ticket_article_agent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_article
    ADD CONSTRAINT ticket_article_agent_id_fkey FOREIGN KEY (agent_id) REFERENCES public.agent(id);


--
-- Name: ticket_article ticket_article_article_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_article
    ADD CONSTRAINT ticket_article_article_id_fkey FOREIGN KEY (article_id) REFERENCES public.kb_article(id);


--
-- Name: ticket_article ticket_article_ticket_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_article
    ADD CONSTRAINT ticket_article_ticket_id_fkey FOREIGN KEY (ticket_id) REFERENCES public.ticket(id);


--
-- Name: ticket ticket_customer_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket
    ADD CONSTRAINT ticket_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customer(id);


--
-- Name: ticket ticket_department_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket
    ADD CONSTRAINT ticket_department_id_fkey FOREIGN KEY (department_id) REFERENCES public.department(id);


--
-- Name: ticket_event ticket_event_agent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_event
    ADD CONSTRAINT ticket_event_agent_id_fkey FOREIGN KEY (agent_id) REFERENCES public.agent(id);


--
-- Name: ticket_event ticket_event_ticket_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_event
    ADD CONSTRAINT ticket_event_ticket_id_fkey FOREIGN KEY (ticket_id) REFERENCES public.ticket(id);


--
-- Name: ticket ticket_owner_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket
    ADD CONSTRAINT ticket_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES public.agent(id);


--
-- PostgreSQL database dump complete
--


