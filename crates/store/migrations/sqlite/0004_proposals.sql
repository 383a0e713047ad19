-- Allocation proposals: a run of the allocation rule saved for review, which
-- one action turns into commitments from the supplying party.
CREATE TABLE allocation_proposals (
    id           INTEGER PRIMARY KEY,
    item         TEXT NOT NULL REFERENCES items (code),
    supplier     TEXT NOT NULL REFERENCES parties (code),
    request      TEXT NOT NULL,
    result       TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('proposed', 'committed', 'withdrawn')),
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    decided_at   TEXT,
    decided_by   TEXT
);

CREATE TABLE proposal_contributions (
    proposal_id     BIGINT NOT NULL REFERENCES allocation_proposals (id),
    contribution_id BIGINT NOT NULL REFERENCES contributions (id),
    PRIMARY KEY (proposal_id, contribution_id)
);
