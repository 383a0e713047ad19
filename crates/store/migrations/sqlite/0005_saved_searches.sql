-- Saved searches a partner follows as an Atom feed. The feed URL carries a
-- secret token; only its SHA-256 is stored.
CREATE TABLE saved_searches (
    id         INTEGER PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    name       TEXT NOT NULL,
    query      TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX saved_searches_user ON saved_searches (user_id);
