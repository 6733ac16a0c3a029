-- Documents of a case file (issue 4): content and file name encrypted at
-- rest, each bound to its row; only the detected kind, size and
-- sensitivity are clear. Every download is audited.
CREATE TABLE case_documents (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    uploaded_by TEXT REFERENCES users (id),
    sensitivity TEXT NOT NULL,
    kind TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX case_documents_case_idx ON case_documents (case_id, sensitivity, created_at);
