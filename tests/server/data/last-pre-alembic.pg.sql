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
    id character varying(64) NOT NULL,
    handle character varying(32) NOT NULL,
    name character varying(200) NOT NULL,
    email character varying(254),
    role text NOT NULL,
    tier integer NOT NULL,
    team_id character varying(64),
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
-- Name: change_log_quarantine; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.change_log_quarantine (
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
    created_at timestamp with time zone NOT NULL,
    reason text NOT NULL,
    quarantined_at timestamp with time zone NOT NULL
);


--
-- Name: change_log_quarantine_seq_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.change_log_quarantine_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: change_log_quarantine_seq_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.change_log_quarantine_seq_seq OWNED BY public.change_log_quarantine.seq;


--
-- Name: contact; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.contact (
    id character varying(64) NOT NULL,
    customer_id character varying(64) NOT NULL,
    agent_id character varying(64),
    ticket_id character varying(64),
    channel text NOT NULL,
    direction text NOT NULL,
    summary character varying(5000) NOT NULL,
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
    id character varying(64) NOT NULL,
    name character varying(200) NOT NULL,
    organisation character varying(200),
    email character varying(254),
    phone character varying(25),
    products text NOT NULL,
    notes character varying(10000) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    erased_at timestamp with time zone,
    deleted boolean NOT NULL
);


--
-- Name: customer_erasure; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.customer_erasure (
    id character varying(64) NOT NULL,
    customer_id character varying(64) NOT NULL,
    agent_id character varying(64) NOT NULL,
    reason character varying(500) NOT NULL,
    erased_at timestamp with time zone NOT NULL
);


--
-- Name: department; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.department (
    id character varying(64) NOT NULL,
    code character varying(10) NOT NULL,
    name character varying(100) NOT NULL
);


--
-- Name: feedback; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.feedback (
    id character varying(64) NOT NULL,
    ticket_id character varying(64) NOT NULL,
    customer_id character varying(64) NOT NULL,
    agent_id character varying(64),
    csat integer NOT NULL,
    reliability integer,
    empathy integer,
    customer_focus integer,
    customer_knowledge integer,
    waiting_time integer,
    accessibility integer,
    phone_menu integer,
    comment character varying(4000),
    source character varying(20) NOT NULL,
    received_at timestamp with time zone NOT NULL,
    author_id character varying(64)
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
    id character varying(64) NOT NULL,
    kind text NOT NULL,
    budget_agent_id character varying(64) NOT NULL,
    period character varying NOT NULL,
    amount_cents integer NOT NULL,
    currency character varying NOT NULL,
    ticket_id character varying(64),
    customer_id character varying(64),
    reason character varying(500) NOT NULL,
    reverses_id character varying(64),
    author_id character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: kb_article; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.kb_article (
    id character varying(64) NOT NULL,
    title character varying(200) NOT NULL,
    body character varying(200000) NOT NULL,
    tags text NOT NULL,
    department_id character varying(64),
    author_id character varying(64),
    version integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    deleted boolean NOT NULL
);


--
-- Name: kudos; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.kudos (
    id character varying(64) NOT NULL,
    source text NOT NULL,
    from_name character varying(200) NOT NULL,
    message character varying(2000) NOT NULL,
    about_agent_id character varying(64),
    team_id character varying(64),
    customer_id character varying(64),
    ticket_id character varying(64),
    contact_id character varying(64),
    feedback_id character varying(64),
    author_id character varying(64) NOT NULL,
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
    id character varying(64) NOT NULL,
    agent_id character varying(64) NOT NULL,
    local_date character varying NOT NULL,
    score integer NOT NULL,
    note character varying(1000),
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
    id character varying(64) NOT NULL,
    name character varying(100) NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: ticket; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ticket (
    id character varying(64) NOT NULL,
    number integer,
    subject character varying(200) NOT NULL,
    description character varying(10000) NOT NULL,
    kind text NOT NULL,
    status text NOT NULL,
    priority integer NOT NULL,
    department_id character varying(64),
    customer_id character varying(64) NOT NULL,
    owner_id character varying(64),
    resolver_tier integer,
    resolver_group character varying(100),
    escalation_reason character varying(2000),
    escalated_at timestamp with time zone,
    resolution character varying(5000),
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
    id character varying(64) NOT NULL,
    ticket_id character varying(64) NOT NULL,
    article_id character varying(64) NOT NULL,
    agent_id character varying(64),
    created_at timestamp with time zone NOT NULL
);


--
-- Name: ticket_event; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ticket_event (
    id character varying(64) NOT NULL,
    ticket_id character varying(64) NOT NULL,
    agent_id character varying(64),
    kind text NOT NULL,
    detail character varying(6000) NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: change_log_quarantine seq; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.change_log_quarantine ALTER COLUMN seq SET DEFAULT nextval('public.change_log_quarantine_seq_seq'::regclass);


--
-- Data for Name: account; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.account VALUES ('01a2452e-0417-7a02-b0b5-4489c387c7ea', 'alex', '01a2452e-03f2-7a54-a395-19ea24fb83e6', 'agent', '01a2452e-03f2-75ec-b706-feeb9373f503', 'fd2fbce133764deed5b48601231b30e8029035075b921e6fe7e5044d93e68d83', '2026-12-05 07:49:33.28447+00', NULL);
INSERT INTO public.account VALUES ('01a2452e-0a72-736c-90b2-aedc25be0a30', 'morgan', '01a2452e-0a60-7466-affc-ff2358a82091', 'lead', '01a2452e-03f2-75ec-b706-feeb9373f503', '00eca6eef47603e1f141b0dc15c301854ebbcdbcf226f44ebe242034381de72a', '2026-12-05 07:49:34.937443+00', NULL);
INSERT INTO public.account VALUES ('01a2452e-111d-7faa-aa46-d4197e1c6ee0', 'root', '01a2452e-1106-723b-bbd0-3dbcb9e191b5', 'admin', NULL, '3514494c11ca94f3c32600257a9edc817ff3bf9ac9d13712149272b5a3f5c90d', '2026-12-05 07:49:36.636753+00', NULL);


--
-- Data for Name: agent; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.agent VALUES ('01a2452e-03f2-7a54-a395-19ea24fb83e6', 'alex', 'Alex', NULL, 'agent', 1, '01a2452e-03f2-75ec-b706-feeb9373f503', true, '2026-12-05 07:49:33.28447+00');
INSERT INTO public.agent VALUES ('01a2452e-0a60-7466-affc-ff2358a82091', 'morgan', 'Morgan', NULL, 'lead', 1, '01a2452e-03f2-75ec-b706-feeb9373f503', true, '2026-12-05 07:49:34.937443+00');
INSERT INTO public.agent VALUES ('01a2452e-1106-723b-bbd0-3dbcb9e191b5', 'root', 'Root', NULL, 'admin', 1, NULL, true, '2026-12-05 07:49:36.636753+00');


--
-- Data for Name: change_log; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.change_log VALUES (1, '01a2452e-0401-7eb1-a648-90be94dde06a', 'team', '01a2452e-03f2-75ec-b706-feeb9373f503', 'insert', '{"name": "north", "created_at": "2026-12-05T07:49:33.284470+00:00"}', '1796456973298-00000-server', NULL, 'all', NULL, NULL, '2026-12-05 07:49:33.298695+00');
INSERT INTO public.change_log VALUES (2, '01a2452e-0408-728f-a39c-27b3b0c17411', 'agent', '01a2452e-03f2-7a54-a395-19ea24fb83e6', 'insert', '{"handle": "alex", "name": "Alex", "email": null, "role": "agent", "tier": 1, "team_id": "01a2452e-03f2-75ec-b706-feeb9373f503", "active": true, "created_at": "2026-12-05T07:49:33.284470+00:00"}', '1796456973298-00001-server', NULL, 'all', NULL, NULL, '2026-12-05 07:49:33.298695+00');
INSERT INTO public.change_log VALUES (3, '01a2452e-0a68-7f7b-8aa8-285271b61887', 'agent', '01a2452e-0a60-7466-affc-ff2358a82091', 'insert', '{"handle": "morgan", "name": "Morgan", "email": null, "role": "lead", "tier": 1, "team_id": "01a2452e-03f2-75ec-b706-feeb9373f503", "active": true, "created_at": "2026-12-05T07:49:34.937443+00:00"}', '1796456974944-00000-server', NULL, 'all', NULL, NULL, '2026-12-05 07:49:34.944624+00');
INSERT INTO public.change_log VALUES (4, '01a2452e-1111-748b-bf60-d907966e543a', 'agent', '01a2452e-1106-723b-bbd0-3dbcb9e191b5', 'insert', '{"handle": "root", "name": "Root", "email": null, "role": "admin", "tier": 1, "team_id": null, "active": true, "created_at": "2026-12-05T07:49:36.636753+00:00"}', '1796456976646-00000-server', NULL, 'all', NULL, NULL, '2026-12-05 07:49:36.646776+00');
INSERT INTO public.change_log VALUES (5, '01a2452e-375a-74d5-b238-b8f01ad0589e', 'customer', '01a2452e-3754-7968-b1b0-ae00bf6c688d', 'insert', '{"id": "01a2452e-3754-7968-b1b0-ae00bf6c688d", "name": "Jo Jansen", "organisation": null, "email": "jo@example.org", "phone": "+31 6 1234 5678", "products": [], "notes": "prefers phone", "created_at": "2026-12-05T07:49:46.450237+00:00", "updated_at": "2026-12-05T07:49:46.450237+00:00", "erased_at": null, "deleted": false}', '1796456986458-00000-4056594a07b6', '01a2452e-03f2-7a54-a395-19ea24fb83e6', 'all', NULL, NULL, '2026-12-05 07:49:54.114477+00');
INSERT INTO public.change_log VALUES (6, '01a2452e-3d71-7805-b383-ff58456c760d', 'ticket', '01a2452e-3d6d-754e-8719-d1c1c024debd', 'insert', '{"id": "01a2452e-3d6d-754e-8719-d1c1c024debd", "number": 1001, "subject": "Printer offline", "description": "The office printer drops off the network", "kind": "incident", "status": "open", "priority": 2, "department_id": null, "customer_id": "01a2452e-3754-7968-b1b0-ae00bf6c688d", "owner_id": "01a2452e-03f2-7a54-a395-19ea24fb83e6", "resolver_tier": null, "resolver_group": null, "escalation_reason": null, "escalated_at": null, "resolution": null, "first_contact_resolution": null, "created_at": "2026-12-05T07:49:48.011717+00:00", "updated_at": "2026-12-05T07:49:48.011717+00:00", "resolved_at": null, "last_contact_at": null, "deleted": false}', '1796456988017-00000-4056594a07b6', '01a2452e-03f2-7a54-a395-19ea24fb83e6', 'all', NULL, NULL, '2026-12-05 07:49:54.114477+00');
INSERT INTO public.change_log VALUES (7, '01a2452e-3d87-741b-bf01-492d5f0bf3ee', 'ticket_event', '01a2452e-3d72-795b-a7d3-eeb9ab905516', 'insert', '{"id": "01a2452e-3d72-795b-a7d3-eeb9ab905516", "ticket_id": "01a2452e-3d6d-754e-8719-d1c1c024debd", "agent_id": "01a2452e-03f2-7a54-a395-19ea24fb83e6", "kind": "created", "detail": "for Jo Jansen", "created_at": "2026-12-05T07:49:48.018213+00:00"}', '1796456988039-00000-4056594a07b6', '01a2452e-03f2-7a54-a395-19ea24fb83e6', 'all', NULL, NULL, '2026-12-05 07:49:54.114477+00');
INSERT INTO public.change_log VALUES (8, '01a2452e-4628-7e2c-a5d1-e59e8baa8fcd', 'contact', '01a2452e-461d-7cd3-9ab4-788eda2a6c88', 'insert', '{"id": "01a2452e-461d-7cd3-9ab4-788eda2a6c88", "customer_id": "01a2452e-3754-7968-b1b0-ae00bf6c688d", "agent_id": "01a2452e-03f2-7a54-a395-19ea24fb83e6", "ticket_id": null, "channel": "phone", "direction": "inbound", "summary": "Walked Jo through a restart", "occurred_at": "2026-12-05T07:49:50.225769+00:00"}', '1796456990248-00000-4056594a07b6', '01a2452e-03f2-7a54-a395-19ea24fb83e6', 'all', NULL, NULL, '2026-12-05 07:49:54.114477+00');
INSERT INTO public.change_log VALUES (9, '01a2452e-55b7-7209-bc08-0f4153e3e84c', 'contact', '01a2452e-461d-7cd3-9ab4-788eda2a6c88', 'update', '{"self_rating": 4}', '1796456990248-00000-4056594a07b6', '01a2452e-03f2-7a54-a395-19ea24fb83e6', 'agent', '01a2452e-03f2-7a54-a395-19ea24fb83e6', NULL, '2026-12-05 07:49:54.114477+00');
INSERT INTO public.change_log VALUES (10, '01a2452e-4a3d-79de-ad99-ad23517578af', 'kb_article', '01a2452e-4a3a-7441-b2ea-2e6db7e47518', 'insert', '{"id": "01a2452e-4a3a-7441-b2ea-2e6db7e47518", "title": "Printer offline", "body": "Restart, then re-pair.", "tags": [], "department_id": null, "author_id": "01a2452e-03f2-7a54-a395-19ea24fb83e6", "version": 1, "created_at": "2026-12-05T07:49:51.290454+00:00", "updated_at": "2026-12-05T07:49:51.290454+00:00", "deleted": false}', '1796456991292-00000-4056594a07b6', '01a2452e-03f2-7a54-a395-19ea24fb83e6', 'all', NULL, NULL, '2026-12-05 07:49:54.114477+00');
INSERT INTO public.change_log VALUES (11, '01a2452e-4dff-7112-9858-4d973d29f9c2', 'mood_entry', '01a2452e-4dfd-79ed-9624-7e14f5df7799', 'insert', '{"id": "01a2452e-4dfd-79ed-9624-7e14f5df7799", "agent_id": "01a2452e-03f2-7a54-a395-19ea24fb83e6", "local_date": "2026-12-05", "score": 4, "note": "a good day", "created_at": "2026-12-05T07:49:52.253024+00:00"}', '1796456992255-00000-4056594a07b6', '01a2452e-03f2-7a54-a395-19ea24fb83e6', 'agent', '01a2452e-03f2-7a54-a395-19ea24fb83e6', NULL, '2026-12-05 07:49:54.114477+00');
INSERT INTO public.change_log VALUES (12, '01a2452e-625f-76db-82d9-5a163e5484e4', 'goodwill_entry', '01a2452e-6254-762a-b59d-130aa2d4a81e', 'insert', '{"id": "01a2452e-6254-762a-b59d-130aa2d4a81e", "kind": "allocation", "budget_agent_id": "01a2452e-03f2-7a54-a395-19ea24fb83e6", "period": "2026-12", "amount_cents": 5000, "currency": "EUR", "ticket_id": null, "customer_id": null, "reason": "monthly budget", "reverses_id": null, "author_id": "01a2452e-0a60-7466-affc-ff2358a82091", "created_at": "2026-12-05T07:49:57.460781+00:00"}', '1796456997467-00000-06ef8a45cef0', '01a2452e-0a60-7466-affc-ff2358a82091', 'budget', '01a2452e-03f2-7a54-a395-19ea24fb83e6', '01a2452e-03f2-75ec-b706-feeb9373f503', '2026-12-05 07:50:00.899373+00');
INSERT INTO public.change_log VALUES (13, '01a2452e-69a1-7b00-a1c8-56aebc2129a5', 'kudos', '01a2452e-699f-7c0b-8736-45702c06b97b', 'insert', '{"id": "01a2452e-699f-7c0b-8736-45702c06b97b", "source": "customer", "from_name": "Jo Jansen", "message": "Great save with the printer", "about_agent_id": "01a2452e-03f2-7a54-a395-19ea24fb83e6", "team_id": "01a2452e-03f2-75ec-b706-feeb9373f503", "customer_id": null, "ticket_id": null, "contact_id": null, "feedback_id": null, "author_id": "01a2452e-0a60-7466-affc-ff2358a82091", "created_at": "2026-12-05T07:49:59.327168+00:00"}', '1796456999329-00000-06ef8a45cef0', '01a2452e-0a60-7466-affc-ff2358a82091', 'all', NULL, NULL, '2026-12-05 07:50:00.899373+00');
INSERT INTO public.change_log VALUES (14, '01a2452e-7f1f-7bc5-8a2b-5bad2e391954', 'goodwill_entry', '01a2452e-7f17-75a8-bb48-84dc84b002f5', 'insert', '{"id": "01a2452e-7f17-75a8-bb48-84dc84b002f5", "kind": "spend", "budget_agent_id": "01a2452e-03f2-7a54-a395-19ea24fb83e6", "period": "2026-12", "amount_cents": -1250, "currency": "EUR", "ticket_id": null, "customer_id": "01a2452e-3754-7968-b1b0-ae00bf6c688d", "reason": "late delivery", "reverses_id": null, "author_id": "01a2452e-03f2-7a54-a395-19ea24fb83e6", "created_at": "2026-12-05T07:50:04.823678+00:00"}', '1796457004825-00000-4056594a07b6', '01a2452e-03f2-7a54-a395-19ea24fb83e6', 'all', NULL, NULL, '2026-12-05 07:50:06.855646+00');


--
-- Data for Name: change_log_quarantine; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: contact; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.contact VALUES ('01a2452e-461d-7cd3-9ab4-788eda2a6c88', '01a2452e-3754-7968-b1b0-ae00bf6c688d', '01a2452e-03f2-7a54-a395-19ea24fb83e6', NULL, 'phone', 'inbound', 'Walked Jo through a restart', '2026-12-05 07:49:50.225769+00', 4);


--
-- Data for Name: counter; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.counter VALUES ('ticket_number', 1001);


--
-- Data for Name: customer; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.customer VALUES ('01a2452e-3754-7968-b1b0-ae00bf6c688d', 'Jo Jansen', NULL, 'jo@example.org', '+31 6 1234 5678', '[]', 'prefers phone', '2026-12-05 07:49:46.450237+00', '2026-12-05 07:49:46.450237+00', NULL, false);


--
-- Data for Name: customer_erasure; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: department; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: feedback; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: field_clock; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.field_clock VALUES ('team', '01a2452e-03f2-75ec-b706-feeb9373f503', '*', '1796456973298-00000-server');
INSERT INTO public.field_clock VALUES ('agent', '01a2452e-03f2-7a54-a395-19ea24fb83e6', '*', '1796456973298-00001-server');
INSERT INTO public.field_clock VALUES ('agent', '01a2452e-0a60-7466-affc-ff2358a82091', '*', '1796456974944-00000-server');
INSERT INTO public.field_clock VALUES ('agent', '01a2452e-1106-723b-bbd0-3dbcb9e191b5', '*', '1796456976646-00000-server');
INSERT INTO public.field_clock VALUES ('customer', '01a2452e-3754-7968-b1b0-ae00bf6c688d', '*', '1796456986458-00000-4056594a07b6');
INSERT INTO public.field_clock VALUES ('ticket', '01a2452e-3d6d-754e-8719-d1c1c024debd', '*', '1796456988017-00000-4056594a07b6');
INSERT INTO public.field_clock VALUES ('kb_article', '01a2452e-4a3a-7441-b2ea-2e6db7e47518', '*', '1796456991292-00000-4056594a07b6');


--
-- Data for Name: goodwill_entry; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.goodwill_entry VALUES ('01a2452e-6254-762a-b59d-130aa2d4a81e', 'allocation', '01a2452e-03f2-7a54-a395-19ea24fb83e6', '2026-12', 5000, 'EUR', NULL, NULL, 'monthly budget', NULL, '01a2452e-0a60-7466-affc-ff2358a82091', '2026-12-05 07:49:57.460781+00');
INSERT INTO public.goodwill_entry VALUES ('01a2452e-7f17-75a8-bb48-84dc84b002f5', 'spend', '01a2452e-03f2-7a54-a395-19ea24fb83e6', '2026-12', -1250, 'EUR', NULL, '01a2452e-3754-7968-b1b0-ae00bf6c688d', 'late delivery', NULL, '01a2452e-03f2-7a54-a395-19ea24fb83e6', '2026-12-05 07:50:04.823678+00');


--
-- Data for Name: kb_article; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.kb_article VALUES ('01a2452e-4a3a-7441-b2ea-2e6db7e47518', 'Printer offline', 'Restart, then re-pair.', '[]', NULL, '01a2452e-03f2-7a54-a395-19ea24fb83e6', 1, '2026-12-05 07:49:51.290454+00', '2026-12-05 07:49:51.290454+00', false);


--
-- Data for Name: kudos; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.kudos VALUES ('01a2452e-699f-7c0b-8736-45702c06b97b', 'customer', 'Jo Jansen', 'Great save with the printer', '01a2452e-03f2-7a54-a395-19ea24fb83e6', '01a2452e-03f2-75ec-b706-feeb9373f503', NULL, NULL, NULL, NULL, '01a2452e-0a60-7466-affc-ff2358a82091', '2026-12-05 07:49:59.327168+00');


--
-- Data for Name: log_head; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.log_head VALUES (1, 14);


--
-- Data for Name: mood_entry; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.mood_entry VALUES ('01a2452e-4dfd-79ed-9624-7e14f5df7799', '01a2452e-03f2-7a54-a395-19ea24fb83e6', '2026-12-05', 4, 'a good day', '2026-12-05 07:49:52.253024+00');


--
-- Data for Name: processed_mutation; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.processed_mutation VALUES ('01a2452e-375a-74d5-b238-b8f01ad0589e', '4056594a07b6', 'applied', NULL, NULL, NULL, 5, '2026-12-05 07:49:54.114477+00');
INSERT INTO public.processed_mutation VALUES ('01a2452e-3d71-7805-b383-ff58456c760d', '4056594a07b6', 'applied', NULL, NULL, '{"number": 1001}', 6, '2026-12-05 07:49:54.114477+00');
INSERT INTO public.processed_mutation VALUES ('01a2452e-3d87-741b-bf01-492d5f0bf3ee', '4056594a07b6', 'applied', NULL, NULL, NULL, 7, '2026-12-05 07:49:54.114477+00');
INSERT INTO public.processed_mutation VALUES ('01a2452e-4628-7e2c-a5d1-e59e8baa8fcd', '4056594a07b6', 'applied', NULL, NULL, NULL, 9, '2026-12-05 07:49:54.114477+00');
INSERT INTO public.processed_mutation VALUES ('01a2452e-4a3d-79de-ad99-ad23517578af', '4056594a07b6', 'applied', NULL, NULL, NULL, 10, '2026-12-05 07:49:54.114477+00');
INSERT INTO public.processed_mutation VALUES ('01a2452e-4dff-7112-9858-4d973d29f9c2', '4056594a07b6', 'applied', NULL, NULL, NULL, 11, '2026-12-05 07:49:54.114477+00');
INSERT INTO public.processed_mutation VALUES ('01a2452e-625f-76db-82d9-5a163e5484e4', '06ef8a45cef0', 'applied', NULL, NULL, NULL, 12, '2026-12-05 07:50:00.899373+00');
INSERT INTO public.processed_mutation VALUES ('01a2452e-69a1-7b00-a1c8-56aebc2129a5', '06ef8a45cef0', 'applied', NULL, NULL, NULL, 13, '2026-12-05 07:50:00.899373+00');
INSERT INTO public.processed_mutation VALUES ('01a2452e-7f1f-7bc5-8a2b-5bad2e391954', '4056594a07b6', 'applied', NULL, NULL, NULL, 14, '2026-12-05 07:50:06.855646+00');


--
-- Data for Name: server_meta; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.server_meta VALUES ('server_id', '01a2452e-03d8-7c6c-be9b-276e67867f6d');
INSERT INTO public.server_meta VALUES ('schema_version', '1');
INSERT INTO public.server_meta VALUES ('private_fields_logged_apart', '1');
INSERT INTO public.server_meta VALUES ('hlc', '1796457004825-00000-server');


--
-- Data for Name: team; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.team VALUES ('01a2452e-03f2-75ec-b706-feeb9373f503', 'north', '2026-12-05 07:49:33.28447+00');


--
-- Data for Name: ticket; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.ticket VALUES ('01a2452e-3d6d-754e-8719-d1c1c024debd', 1001, 'Printer offline', 'The office printer drops off the network', 'incident', 'open', 2, NULL, '01a2452e-3754-7968-b1b0-ae00bf6c688d', '01a2452e-03f2-7a54-a395-19ea24fb83e6', NULL, NULL, NULL, NULL, NULL, NULL, '2026-12-05 07:49:48.011717+00', '2026-12-05 07:49:48.011717+00', NULL, NULL, false);


--
-- Data for Name: ticket_article; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: ticket_event; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.ticket_event VALUES ('01a2452e-3d72-795b-a7d3-eeb9ab905516', '01a2452e-3d6d-754e-8719-d1c1c024debd', '01a2452e-03f2-7a54-a395-19ea24fb83e6', 'created', 'for Jo Jansen', '2026-12-05 07:49:48.018213+00');


--
-- Name: change_log_quarantine_seq_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.change_log_quarantine_seq_seq', 1, false);


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
-- Name: change_log_quarantine change_log_quarantine_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.change_log_quarantine
    ADD CONSTRAINT change_log_quarantine_pkey PRIMARY KEY (seq);


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
-- Name: customer_erasure customer_erasure_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.customer_erasure
    ADD CONSTRAINT customer_erasure_pkey PRIMARY KEY (id);


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
-- Name: feedback feedback_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.feedback
    ADD CONSTRAINT feedback_pkey PRIMARY KEY (id);


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
-- Name: ix_customer_erasure_customer_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_customer_erasure_customer_id ON public.customer_erasure USING btree (customer_id);


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
-- Name: customer_erasure customer_erasure_agent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.customer_erasure
    ADD CONSTRAINT customer_erasure_agent_id_fkey FOREIGN KEY (agent_id) REFERENCES public.agent(id);


--
-- Name: customer_erasure customer_erasure_customer_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.customer_erasure
    ADD CONSTRAINT customer_erasure_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customer(id);


--
-- Name: feedback feedback_agent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.feedback
    ADD CONSTRAINT feedback_agent_id_fkey FOREIGN KEY (agent_id) REFERENCES public.agent(id);


--
-- Name: feedback feedback_author_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.feedback
    ADD CONSTRAINT feedback_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.agent(id);


--
-- Name: feedback feedback_customer_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.feedback
    ADD CONSTRAINT feedback_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customer(id);


--
-- Name: feedback feedback_ticket_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.feedback
    ADD CONSTRAINT feedback_ticket_id_fkey FOREIGN KEY (ticket_id) REFERENCES public.ticket(id);


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
-- Name: kudos kudos_feedback_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.kudos
    ADD CONSTRAINT kudos_feedback_id_fkey FOREIGN KEY (feedback_id) REFERENCES public.feedback(id);


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


