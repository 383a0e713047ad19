-- Notifications sent by e-mail: one row per user and notice, claimed before
-- sending, so several servers never send the same notice twice.
CREATE TABLE mail_sent (
    user_id    BIGINT NOT NULL REFERENCES users (id),
    notice_id  TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    outcome    TEXT NOT NULL DEFAULT 'sending',
    PRIMARY KEY (user_id, notice_id)
);
