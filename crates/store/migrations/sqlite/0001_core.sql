-- needsdb core schema (SQLite). Quantities and money are integers in base units.
-- Nothing is deleted: rows carry deleted_at, and every change is versioned and audited.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE countries (
    iso3              TEXT PRIMARY KEY,
    iso2              TEXT NOT NULL,
    m49               TEXT NOT NULL,
    name_en           TEXT NOT NULL,
    name_fr           TEXT NOT NULL,
    name_es           TEXT NOT NULL,
    name_ru           TEXT NOT NULL,
    name_zh           TEXT NOT NULL,
    name_ar           TEXT NOT NULL,
    region_code       TEXT,
    region_name       TEXT,
    subregion_code    TEXT,
    subregion_name    TEXT,
    intermediate_code TEXT,
    intermediate_name TEXT,
    income_group      TEXT,
    who_region        TEXT,
    nam_status        TEXT NOT NULL CHECK (nam_status IN ('member', 'observer', 'none')),
    nam_group         TEXT,
    population        BIGINT,
    independent       BOOLEAN NOT NULL
);

CREATE TABLE parties (
    code         TEXT PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('state', 'organisation')),
    name         TEXT NOT NULL,
    org_type     TEXT,
    nam_observer BOOLEAN NOT NULL DEFAULT FALSE,
    country      TEXT REFERENCES countries (iso3),
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    deleted_at   TEXT
);

CREATE TABLE items (
    code       TEXT PRIMARY KEY,
    cluster    TEXT NOT NULL,
    category   TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    unit       TEXT NOT NULL,
    unit_kind  TEXT NOT NULL,
    decimals   INTEGER NOT NULL CHECK (decimals BETWEEN 0 AND 6),
    dac_sector TEXT NOT NULL,
    origin     TEXT NOT NULL CHECK (origin IN ('reference', 'local')),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    deleted_at TEXT
);

CREATE TABLE needs (
    id            INTEGER PRIMARY KEY,
    version       BIGINT NOT NULL,
    country       TEXT NOT NULL REFERENCES countries (iso3),
    place         TEXT,
    pcode         TEXT,
    item          TEXT NOT NULL REFERENCES items (code),
    -- coverage units: base units of the item, or US cents for a financial need
    quantity      BIGINT NOT NULL CHECK (quantity > 0),
    amount_minor  BIGINT,
    currency      TEXT,
    usd_rate      TEXT,
    priority      TEXT NOT NULL,
    needed_by     TEXT NOT NULL,
    justification TEXT NOT NULL,
    reported_via  TEXT NOT NULL,
    external_id   TEXT,
    status        TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    deleted_at    TEXT
);
CREATE UNIQUE INDEX needs_external_id ON needs (country, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX needs_country ON needs (country);
CREATE INDEX needs_item ON needs (item);
CREATE INDEX needs_status ON needs (status);

CREATE TABLE need_versions (
    need_id    BIGINT NOT NULL REFERENCES needs (id),
    version    BIGINT NOT NULL,
    snapshot   TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    PRIMARY KEY (need_id, version)
);

CREATE TABLE contributions (
    id          INTEGER PRIMARY KEY,
    version     BIGINT NOT NULL,
    donor       TEXT NOT NULL REFERENCES parties (code),
    recipient   TEXT NOT NULL REFERENCES parties (code),
    channel     TEXT REFERENCES parties (code),
    kind        TEXT NOT NULL CHECK (kind IN ('in_kind', 'cash')),
    item        TEXT REFERENCES items (code),
    -- native units: item base units, or minor units of the currency
    quantity    BIGINT NOT NULL CHECK (quantity > 0),
    -- coverage units: item base units, or US cents
    covered     BIGINT NOT NULL,
    currency    TEXT,
    usd_rate    TEXT,
    stage       TEXT NOT NULL,
    stage_date  TEXT NOT NULL,
    source_url  TEXT,
    description TEXT NOT NULL,
    external_id TEXT,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE UNIQUE INDEX contributions_external_id ON contributions (donor, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX contributions_recipient ON contributions (recipient);

CREATE TABLE contribution_links (
    contribution_id BIGINT NOT NULL REFERENCES contributions (id),
    need_id         BIGINT NOT NULL REFERENCES needs (id),
    quantity        BIGINT NOT NULL CHECK (quantity > 0),
    covered         BIGINT NOT NULL,
    removed_at      TEXT,
    PRIMARY KEY (contribution_id, need_id)
);
CREATE INDEX contribution_links_need ON contribution_links (need_id);

CREATE TABLE contribution_earmarks (
    contribution_id BIGINT NOT NULL REFERENCES contributions (id),
    seq             INTEGER NOT NULL,
    target          TEXT NOT NULL,
    share_bp        BIGINT,
    amount          BIGINT,
    removed_at      TEXT,
    PRIMARY KEY (contribution_id, seq)
);

CREATE TABLE contribution_events (
    id              INTEGER PRIMARY KEY,
    contribution_id BIGINT NOT NULL REFERENCES contributions (id),
    from_stage      TEXT,
    to_stage        TEXT NOT NULL,
    stage_date      TEXT NOT NULL,
    note            TEXT NOT NULL,
    source_url      TEXT,
    actor           TEXT NOT NULL,
    recorded_at     TEXT NOT NULL
);
CREATE INDEX contribution_events_contribution ON contribution_events (contribution_id);

CREATE TABLE contribution_versions (
    contribution_id BIGINT NOT NULL REFERENCES contributions (id),
    version         BIGINT NOT NULL,
    snapshot        TEXT NOT NULL,
    changed_at      TEXT NOT NULL,
    changed_by      TEXT NOT NULL,
    PRIMARY KEY (contribution_id, version)
);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    email                TEXT NOT NULL UNIQUE,
    password_hash        TEXT NOT NULL,
    role                 TEXT NOT NULL,
    country              TEXT REFERENCES countries (iso3),
    org                  TEXT REFERENCES parties (code),
    must_change_password BOOLEAN NOT NULL,
    created_at           TEXT NOT NULL,
    created_by           TEXT NOT NULL,
    disabled_at          TEXT
);

-- Append-only and hash-chained: each entry's hash covers the previous hash.
CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before    TEXT,
    after     TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
