-- Imports run as jobs: the upload is on disk, and the job checks, then
-- writes it while its caller watches the progress. A job row is the
-- operational record of one import (the import itself is audited when it
-- writes); rows are kept, never deleted.
--
-- state: queued, checking, writing, done (with its report) or failed (with
-- why). A job left unfinished with an old heartbeat was interrupted by a
-- stopped server; being all or nothing, it wrote nothing.
CREATE TABLE import_jobs (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT REFERENCES users (id),
    actor       TEXT NOT NULL,
    file        TEXT NOT NULL,
    format      TEXT NOT NULL,
    bytes       BIGINT NOT NULL,
    dry_run     BOOLEAN NOT NULL,
    state       TEXT NOT NULL,
    rows_read   BIGINT NOT NULL DEFAULT 0,
    report      TEXT,
    error       TEXT,
    created_at  TEXT NOT NULL,
    started_at  TEXT,
    finished_at TEXT,
    heartbeat   TEXT NOT NULL
);
CREATE INDEX import_jobs_user ON import_jobs (user_id, id);
