-- Personal access tokens (only a keyed hash of the secret is stored), browser sessions (looked
-- up by the SHA-256 of their id), and the append-only audit log.
CREATE TABLE api_tokens (
    id             TEXT PRIMARY KEY NOT NULL,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'engineer', 'admin')),
    secret_hash    TEXT NOT NULL,
    created_unix   REAL NOT NULL,
    revoked_unix   REAL,
    last_used_unix REAL
) STRICT;

CREATE TABLE sessions (
    key            TEXT PRIMARY KEY NOT NULL,
    token_id       TEXT NOT NULL REFERENCES api_tokens (id),
    created_unix   REAL NOT NULL,
    last_seen_unix REAL NOT NULL
) STRICT;

CREATE INDEX sessions_by_token ON sessions (token_id);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at_unix     REAL NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL DEFAULT '',
    outcome     TEXT NOT NULL,
    client      TEXT NOT NULL DEFAULT '',
    detail_json TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE INDEX audit_log_by_time ON audit_log (at_unix);

CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
