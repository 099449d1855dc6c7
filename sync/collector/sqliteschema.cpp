// SPDX-License-Identifier: Apache-2.0
// SqliteCollectorStore: its schema, creating it, and upgrading older versions in place.
#include "sqlitecollectorstore.h"

#include "answerpack.h"
#include "collectorschema.h"
#include "paradatapack.h"

#include <algorithm>

namespace kerbside {

namespace {

// What only SQLite has (the tables themselves are in collectorschema.cpp): plain indexes to
// find the versions of a UUID (one writer, so no uniqueness guard is needed).
// The stored schema version (0 when missing). scalar() resets its statement at once: an open
// read would keep upgradeFromVersion1() from dropping a table.
const char kVersionSql[] = "SELECT CAST(value AS INTEGER) FROM collector_meta WHERE key = 'schema_version'";

const char kSqliteOnly[] = R"SQL(
CREATE INDEX response_versions_uuid ON response_versions(uuid);
CREATE INDEX contacts_uuid ON contacts(uuid);
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
            m_db->exec(collectorSchemaSql(SqlDialect::Sqlite).constData());
            m_db->exec(kSqliteOnly);
            m_db->prepare("INSERT INTO collector_meta (key, value) VALUES ('schema_version', ?1)")
                .bind(1, QString::number(kSchemaVersion)).run();
            m_db->exec("COMMIT");
        } catch (...) {
            m_db->exec("ROLLBACK");
            throw;
        }
        return;
    }
    const qint64 version = m_db->scalar(kVersionSql);
    if (version > kSchemaVersion)
        throw CollectorError(CollectorError::Code::TooNew,
                             QStringLiteral("%1: schema version %2 was written by a newer collector (this one reads up to %3)")
                                 .arg(m_db->path()).arg(version).arg(kSchemaVersion));
    if (version < 1)
        throw CollectorError(CollectorError::Code::Invalid,
                             QStringLiteral("%1: collector database without a schema version").arg(m_db->path()));
    if (version == 1)
        upgradeFromVersion1();
    for (int to = std::max<int>(int(version), 2) + 1; to <= kSchemaVersion; ++to)
        upgradeStep(to, collectorUpgradeSql(to, SqlDialect::Sqlite));
}

// Versions 3 to 6 (3: refusals and device links; 4: the fieldwork plan's areas, quota plans,
// counters and margins; 5: the dashboard's tables, with the merge counters filled from what is
// held; 6: the start time's UTC offset on response versions). Each step runs in its own transaction and re-checks the version
// under its write lock: another process may have upgraded the file since we read it.
void SqliteCollectorStore::upgradeStep(int to, const QByteArray &sql)
{
    m_db->exec("BEGIN IMMEDIATE");
    try {
        if (m_db->scalar(kVersionSql) >= to) {
            m_db->exec("COMMIT");
            return;
        }
        m_db->exec(sql.constData());
        if (to == kPackedAnswersVersion)
            upgradeToPackedAnswers();
        if (to == kPackedParadataVersion)
            upgradeToPackedParadata();
        m_db->prepare("UPDATE collector_meta SET value = ?1 WHERE key = 'schema_version'")
            .bind(1, QString::number(to)).run();
        m_db->exec("COMMIT");
    } catch (...) {
        rollbackWrite();
        throw;
    }
}

QByteArray SqliteCollectorStore::formJson(SqliteConnection &db, const QString &formId, const QString &version)
{
    auto s = db.prepare("SELECT json FROM forms WHERE form_id = ?1 AND version = ?2");
    return s.bind(1, formId).bind(2, version).next() ? s.blob(0) : QByteArray();
}

// To kPackedAnswersVersion, inside upgradeStep()'s transaction: every version in format 1 is
// repacked against its form version's dictionary, read in slices by id (no update while a
// read of the same table is open).
void SqliteCollectorStore::upgradeToPackedAnswers()
{
    AnswerDictionaryCursor dictionaries(m_dictionaries, [this](const QString &id, const QString &v) {
        return formJson(*m_db, id, v);
    });
    struct Row
    {
        qint64 id;
        QByteArray packed;
    };
    QList<Row> rows;
    qint64 after = -1;
    for (int seen = 1; seen > 0;) {
        rows.clear();
        seen = 0;
        {
            auto read = m_db->prepare("SELECT id, form_id, form_version, answers FROM response_versions "
                                      "WHERE id > ?1 ORDER BY id LIMIT 5000");
            read.bind(1, after);
            while (read.next()) {
                ++seen;
                after = read.int64(0);
                const QByteArrayView old = read.blobView(3);
                QList<TypedAnswer> answers;
                const AnswerDictionary *d = dictionaries.find(read.text(1), read.text(2));
                if (d && !old.isEmpty() && old[0] == '\x01' && answerpack::unpack(old.data(), old.size(), &answers))
                    rows.append({after, answerpack::pack(answers, d)});
            }
        }
        auto update = m_db->prepare("UPDATE response_versions SET answers = ?2 WHERE id = ?1");
        for (const Row &r : std::as_const(rows))
            update.reset().bind(1, r.id).bind(2, r.packed).run();
    }
}

// To kPackedParadataVersion, inside upgradeStep()'s transaction: each version's rows of the
// `paradata` table become its packed column and the counts beside it, read in slices of 5000
// versions (no update while a read of the same table is open); then the table goes.
void SqliteCollectorStore::upgradeToPackedParadata()
{
    AnswerDictionaryCursor dictionaries(m_dictionaries, [this](const QString &id, const QString &v) {
        return formJson(*m_db, id, v);
    });
    struct Row
    {
        qint64 id;
        QByteArray packed;
        int changes;
        bool switched;
    };
    QList<Row> rows;
    qint64 after = -1;
    for (int seen = 1; seen > 0;) {
        rows.clear();
        seen = 0;
        {
            auto versions = m_db->prepare("SELECT id, form_id, form_version, started_ms FROM response_versions "
                                          "WHERE id > ?1 ORDER BY id LIMIT 5000");
            auto events = m_db->prepare("SELECT seq, time_ms, kind, question, detail FROM paradata "
                                        "WHERE version_id = ?1 ORDER BY seq");
            versions.bind(1, after);
            QList<ParadataEvent> list;
            while (versions.next()) {
                ++seen;
                after = versions.int64(0);
                list.clear();
                events.reset().bind(1, after);
                while (events.next())
                    list.append(paradatapack::fromVersion10Row(m_db->path(), after, events.int64(0),
                                                               events.isNull(1) ? QVariant() : QVariant(events.int64(1)),
                                                               events.text(2), events.text(3), events.text(4)));
                if (list.isEmpty())
                    continue; // no pack (NULL), no changes
                const QDateTime started = versions.isNull(3) ? QDateTime()
                                                              : QDateTime::fromMSecsSinceEpoch(versions.int64(3), Qt::UTC);
                rows.append({after, paradatapack::pack(list, dictionaries.find(versions.text(1), versions.text(2)), started),
                             paradatapack::changes(list), paradatapack::languageSwitched(list)});
            }
        }
        auto update = m_db->prepare("UPDATE response_versions SET paradata = ?2, changes = ?3, language_switched = ?4 "
                                    "WHERE id = ?1");
        for (const Row &r : std::as_const(rows))
            update.reset().bind(1, r.id).bind(2, r.packed).bind(3, r.changes).bind(4, int(r.switched)).run();
    } // the statements are reset here: SQLite cannot drop a table a statement still reads
    m_db->exec("DROP TABLE paradata");
}

// Version 1 -> 2: each version's rows of `answers` become its packed `answers` column, in one
// transaction (a failure leaves version 1 as it was).
void SqliteCollectorStore::upgradeFromVersion1()
{
    m_db->exec("BEGIN IMMEDIATE");
    try {
        // Another process may have upgraded the file between our read and our write lock.
        if (m_db->scalar(kVersionSql) >= 2) {
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
                while (rows.next())
                    answers.append(answerpack::fromVersion1Row(m_db->path(), id, rows.text(0), rows.int64(1), rows.text(2)));
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
