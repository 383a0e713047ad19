-- Evidence for a need or a delivery: a link, or a small file (a PDF
-- assessment, a photographed delivery note) kept in the database itself,
-- so a backup holds it and it is never served from a path on disk. Never
-- deleted; a file is checked against its declared type before it is kept.
CREATE TABLE evidence (
    id          INTEGER PRIMARY KEY,
    -- need or contribution (a delivery's evidence belongs to its contribution)
    entity      TEXT NOT NULL CHECK (entity IN ('need', 'contribution')),
    entity_id   BIGINT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('link', 'file')),
    title       TEXT NOT NULL,
    url         TEXT,
    file_name   TEXT,
    media_type  TEXT,
    bytes       BIGINT,
    sha256      TEXT,
    content     BLOB,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL
);
CREATE INDEX evidence_entity ON evidence (entity, entity_id);
