// SPDX-License-Identifier: Apache-2.0
// SqliteCollectorStore: its schema, creating it, and upgrading older versions in place.
#include "sqlitecollectorstore.h"

#include "answerpack.h"

namespace kerbside {

namespace {

// Schema version 2 (version 1 kept answers in a table of their own, a row each; see
// upgradeFromVersion1()). Plain SQL types and statements so the PostgreSQL backend can mirror it
// (INTEGER PRIMARY KEY -> BIGSERIAL, BLOB -> BYTEA); WITHOUT ROWID is a SQLite-only storage hint.
// Times are ms since the epoch (UTC). Nothing is ever deleted: batches, response versions and
// contacts are append-only; `responses` points at the current version of each UUID.
const char kSchema[] = R"SQL(
CREATE TABLE collector_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE case_studies (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, created_ms INTEGER NOT NULL);
CREATE TABLE forms (
  form_id TEXT NOT NULL, version TEXT NOT NULL, title TEXT NOT NULL, json BLOB NOT NULL,
  sha256 BLOB NOT NULL, published_ms INTEGER NOT NULL, PRIMARY KEY (form_id, version));
CREATE TABLE form_publications (
  form_id TEXT NOT NULL, version TEXT NOT NULL,
  case_study TEXT NOT NULL REFERENCES case_studies(id), published_ms INTEGER NOT NULL,
  PRIMARY KEY (form_id, version, case_study),
  FOREIGN KEY (form_id, version) REFERENCES forms(form_id, version));
CREATE TABLE enrolment_codes (
  code_hash BLOB PRIMARY KEY, case_study TEXT NOT NULL REFERENCES case_studies(id),
  created_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL, used_ms INTEGER, device_id TEXT);
CREATE TABLE devices (
  id TEXT PRIMARY KEY, token_hash BLOB NOT NULL UNIQUE, label TEXT NOT NULL,
  enrolled_ms INTEGER NOT NULL, revoked_ms INTEGER, last_seen_ms INTEGER);
CREATE TABLE device_case_studies (
  device_id TEXT NOT NULL REFERENCES devices(id),
  case_study TEXT NOT NULL REFERENCES case_studies(id), PRIMARY KEY (device_id, case_study));
CREATE TABLE batches (
  id INTEGER PRIMARY KEY, batch_uuid TEXT NOT NULL UNIQUE, device_id TEXT NOT NULL,
  sequence INTEGER NOT NULL, created_ms INTEGER, app_version TEXT NOT NULL, source TEXT NOT NULL,
  received_ms INTEGER NOT NULL, responses INTEGER NOT NULL, contacts INTEGER NOT NULL,
  raw BLOB NOT NULL);
CREATE INDEX batches_device ON batches(device_id, sequence);
CREATE TABLE batch_acks (batch_id INTEGER PRIMARY KEY REFERENCES batches(id), ack BLOB NOT NULL);
CREATE TABLE response_versions (
  id INTEGER PRIMARY KEY, uuid TEXT NOT NULL, revision INTEGER NOT NULL,
  content_hash BLOB NOT NULL, batch_id INTEGER NOT NULL REFERENCES batches(id),
  form_id TEXT NOT NULL, form_version TEXT NOT NULL, case_study TEXT NOT NULL,
  enumerator TEXT NOT NULL, device_id TEXT NOT NULL, status TEXT NOT NULL,
  started_ms INTEGER, ended_ms INTEGER, updated_ms INTEGER, latitude REAL, longitude REAL,
  altitude REAL, accuracy REAL, fix_ms INTEGER, language TEXT NOT NULL, answers BLOB NOT NULL);
CREATE INDEX response_versions_uuid ON response_versions(uuid);
CREATE INDEX response_versions_device ON response_versions(device_id, case_study);
CREATE TABLE responses (
  uuid TEXT PRIMARY KEY, case_study TEXT NOT NULL,
  current_version INTEGER NOT NULL REFERENCES response_versions(id),
  versions INTEGER NOT NULL, conflicted INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX responses_case_study ON responses(case_study, uuid);
CREATE TABLE paradata (
  version_id INTEGER NOT NULL, seq INTEGER NOT NULL, time_ms INTEGER, kind TEXT NOT NULL,
  question TEXT NOT NULL, detail TEXT NOT NULL, PRIMARY KEY (version_id, seq)) WITHOUT ROWID;
CREATE TABLE contacts (
  id INTEGER PRIMARY KEY, uuid TEXT NOT NULL, is_current INTEGER NOT NULL,
  content_hash BLOB NOT NULL, batch_id INTEGER NOT NULL REFERENCES batches(id),
  case_study TEXT NOT NULL, enumerator TEXT NOT NULL, device_id TEXT NOT NULL, time_ms INTEGER,
  latitude REAL, longitude REAL, altitude REAL, accuracy REAL, fix_ms INTEGER,
  disposition TEXT NOT NULL, age_band TEXT NOT NULL, gender TEXT NOT NULL, note TEXT NOT NULL);
CREATE INDEX contacts_uuid ON contacts(uuid);
CREATE INDEX contacts_case_study ON contacts(case_study, is_current);
CREATE TABLE conflicts (
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, uuid TEXT NOT NULL, case_study TEXT NOT NULL,
  revision INTEGER NOT NULL, kept_id INTEGER NOT NULL, other_id INTEGER NOT NULL,
  other_batch INTEGER NOT NULL REFERENCES batches(id), differences TEXT NOT NULL,
  detected_ms INTEGER NOT NULL, resolved_ms INTEGER);
CREATE INDEX conflicts_case_study ON conflicts(case_study);
)SQL";

} // namespace

void SqliteCollectorStore::migrate()
{
    const qint64 tables = m_db->scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table'");
    const qint64 ours = m_db->scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'collector_meta'");
    if (tables > 0 && ours == 0)
        throw CollectorError(CollectorError::Code::Invalid,
                             QStringLiteral("%1: not a Kerbside collector database (it has other tables)").arg(m_db->path()));
    if (ours == 0) {
        m_db->exec("BEGIN IMMEDIATE");
        try {
            m_db->exec(kSchema);
            m_db->prepare("INSERT INTO collector_meta (key, value) VALUES ('schema_version', ?1)")
                .bind(1, QString::number(kSchemaVersion)).run();
            m_db->exec("COMMIT");
        } catch (...) {
            m_db->exec("ROLLBACK");
            throw;
        }
        return;
    }
    int version = 0;
    {
        auto s = m_db->prepare("SELECT value FROM collector_meta WHERE key = 'schema_version'");
        version = s.next() ? s.text(0).toInt() : 0;
    } // reset here: an open read would keep the upgrade below from dropping a table
    if (version > kSchemaVersion)
        throw CollectorError(CollectorError::Code::TooNew,
                             QStringLiteral("%1: schema version %2 was written by a newer collector (this one reads up to %3)")
                                 .arg(m_db->path()).arg(version).arg(kSchemaVersion));
    if (version < 1)
        throw CollectorError(CollectorError::Code::Invalid,
                             QStringLiteral("%1: collector database without a schema version").arg(m_db->path()));
    if (version == 1)
        upgradeFromVersion1();
}

// Version 1 -> 2: each version's rows of `answers` become its packed `answers` column, in one
// transaction (a failure leaves version 1 as it was).
void SqliteCollectorStore::upgradeFromVersion1()
{
    m_db->exec("BEGIN IMMEDIATE");
    try {
        // Another process may have upgraded the file between our read and our write lock.
        if (m_db->scalar("SELECT CAST(value AS INTEGER) FROM collector_meta WHERE key = 'schema_version'") >= 2) {
            m_db->exec("COMMIT");
            return;
        }
        // NOT NULL as in a new database; the default (an empty pack) is overwritten just below.
        m_db->exec("ALTER TABLE response_versions ADD COLUMN answers BLOB NOT NULL DEFAULT x'01'");
        {
        auto versions = m_db->prepare("SELECT id FROM response_versions ORDER BY id");
        auto rows = m_db->prepare("SELECT question, type, value FROM answers WHERE version_id = ?1 ORDER BY question");
        auto update = m_db->prepare("UPDATE response_versions SET answers = ?2 WHERE id = ?1");
        while (versions.next()) {
            const qint64 id = versions.int64(0);
            QList<TypedAnswer> answers;
            rows.reset().bind(1, id);
            while (rows.next()) {
                AnswerType type = AnswerType::Text;
                if (!answerTypeFromInt(int(rows.int64(1)), &type))
                    throw CollectorError(CollectorError::Code::Invalid,
                                         QStringLiteral("%1: answer %2 of response version %3 has unknown type %4")
                                             .arg(m_db->path(), rows.text(0)).arg(id).arg(rows.int64(1)));
                answers.append({rows.text(0), type, rows.text(2)});
            }
            update.reset().bind(1, id).bind(2, answerpack::pack(answers)).run();
        }
        } // the statements are reset here: SQLite cannot drop a table a statement still reads
        m_db->exec("DROP TABLE answers");
        // `responses` becomes clustered by UUID (WITHOUT ROWID): an export reads it in UUID
        // order without a second lookup per row.
        m_db->exec("CREATE TABLE responses_v2 ("
                   "  uuid TEXT PRIMARY KEY, case_study TEXT NOT NULL,"
                   "  current_version INTEGER NOT NULL REFERENCES response_versions(id),"
                   "  versions INTEGER NOT NULL, conflicted INTEGER NOT NULL) WITHOUT ROWID;"
                   "INSERT INTO responses_v2 (uuid, case_study, current_version, versions, conflicted)"
                   "  SELECT uuid, case_study, current_version, versions, conflicted FROM responses;"
                   "DROP TABLE responses;"
                   "ALTER TABLE responses_v2 RENAME TO responses;"
                   "CREATE INDEX responses_case_study ON responses(case_study, uuid);");
        m_db->exec("UPDATE collector_meta SET value = '2' WHERE key = 'schema_version'");
        m_db->exec("COMMIT");
    } catch (...) {
        rollbackWrite();
        throw;
    }
}

} // namespace kerbside
