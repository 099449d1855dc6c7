// SPDX-License-Identifier: Apache-2.0
// PostgresCollectorStore: its schema, creating it, and upgrading older versions in place.
#include "postgrescollectorstore.h"

#include "answerpack.h"
#include "collectorschema.h"
#include "paradatapack.h"

#include <algorithm>

namespace kerbside {

namespace {

// What only PostgreSQL has (the tables themselves are in collectorschema.cpp): the unique
// indexes on (uuid, content_hash) and on the current contact, this backend's guard that two
// collectors never store one item twice, and a function that locks a UUID, then reads it.
const char kPostgresOnly[] = R"SQL(
CREATE UNIQUE INDEX response_versions_uuid ON response_versions(uuid, content_hash);
CREATE UNIQUE INDEX contacts_uuid ON contacts(uuid, content_hash);
CREATE UNIQUE INDEX contacts_current ON contacts(uuid) WHERE is_current = 1;
CREATE FUNCTION kb_response_versions(p_uuid TEXT)
  RETURNS TABLE (id BIGINT, revision INTEGER, content_hash BYTEA, is_current BOOLEAN, case_study TEXT)
  LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
  -- The lock first, then the read: a VOLATILE function takes a new snapshot per query, so it
  -- sees what a collector that held the lock before us committed. One round trip for both.
  PERFORM pg_advisory_xact_lock(hashtextextended('r:' || p_uuid, 0));
  RETURN QUERY SELECT v.id, v.revision, v.content_hash, v.id = r.current_version, r.case_study
    FROM response_versions v JOIN responses r ON r.uuid = v.uuid WHERE v.uuid = p_uuid ORDER BY v.id;
END $fn$;
)SQL";

// Creating the schema: so two collectors starting on an empty database do not both try.
const char kSchemaLockSql[] = "SELECT pg_advisory_xact_lock(7308051206540914034)";

} // namespace

QStringList PostgresCollectorStore::tables()
{
    return collectorTables();
}

void PostgresCollectorStore::migrate()
{
    transaction([this] {
        m_db->exec(kSchemaLockSql);
        createOrUpgradeSchema();
    });
}

// Inside migrate()'s transaction and schema lock.
void PostgresCollectorStore::createOrUpgradeSchema()
{
    const qint64 tables = m_db->scalar("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()");
    const qint64 ours = m_db->scalar("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() "
                                     "AND tablename = 'collector_meta'");
    if (tables > 0 && ours == 0)
        throw CollectorError(CollectorError::Code::Invalid,
                             QStringLiteral("%1: not a Kerbside collector database (it has other tables)").arg(m_db->where()));
    if (ours == 0) {
        m_db->exec(collectorSchemaSql(SqlDialect::Postgres).constData());
        m_db->exec(kPostgresOnly);
        m_db->exec("INSERT INTO collector_meta (key, value) VALUES ('schema_version', $1)",
                   PgParams().add(QString::number(kSchemaVersion)));
        return;
    }
    const PgResult r = m_db->exec("SELECT value FROM collector_meta WHERE key = 'schema_version'", PgParams());
    const int version = r.rows() ? r.text(0, 0).toInt() : 0;
    if (version > kSchemaVersion)
        throw CollectorError(CollectorError::Code::TooNew,
                             QStringLiteral("%1: schema version %2 was written by a newer collector (this one reads up to %3)")
                                 .arg(m_db->where()).arg(version).arg(kSchemaVersion));
    if (version < 1)
        throw CollectorError(CollectorError::Code::Invalid,
                             QStringLiteral("%1: collector database without a schema version").arg(m_db->where()));
    if (version == 1)
        upgradeFromVersion1();
    // Versions 3 to 6 (collectorUpgradeSql), inside migrate()'s transaction and schema lock.
    for (int to = std::max(version, 2) + 1; to <= kSchemaVersion; ++to) {
        m_db->exec(collectorUpgradeSql(to, SqlDialect::Postgres).constData());
        if (to == kPackedAnswersVersion)
            repackAnswers();
        if (to == kPackedParadataVersion)
            packParadata();
        m_db->exec("UPDATE collector_meta SET value = $1 WHERE key = 'schema_version'", PgParams().add(QString::number(to)));
    }
}

QByteArray PostgresCollectorStore::formJson(PgConnection &db, const QString &formId, const QString &version)
{
    const PgResult r = db.exec("SELECT json FROM forms WHERE form_id = $1 AND version = $2",
                               PgParams().add(formId).add(version));
    return r.rows() ? r.blob(0, 0) : QByteArray();
}

// To kPackedAnswersVersion, inside migrate()'s transaction and schema lock: every version in
// format 1 is repacked against its form version's dictionary, in slices by id.
void PostgresCollectorStore::repackAnswers()
{
    AnswerDictionaryCursor dictionaries(m_dictionaries, [this](const QString &id, const QString &v) {
        return formJson(*m_db, id, v);
    });
    qint64 after = -1;
    for (;;) {
        const PgResult r = m_db->exec("SELECT id, form_id, form_version, answers FROM response_versions "
                                      "WHERE id > $1 ORDER BY id LIMIT 5000",
                                      PgParams().add(after));
        if (r.rows() == 0)
            break;
        QList<QByteArray> ids, packs;
        for (int i = 0; i < r.rows(); ++i) {
            after = r.int64(i, 0);
            const QByteArray old = r.blob(i, 3);
            QList<TypedAnswer> answers;
            const AnswerDictionary *d = dictionaries.find(r.text(i, 1), r.text(i, 2));
            if (!d || old.isEmpty() || old[0] != '\x01' || !answerpack::unpack(old, &answers))
                continue; // kept as it is: readers read format 1, and name a damaged row
            ids.append(QByteArray::number(after));
            packs.append("\\x" + answerpack::pack(answers, d).toHex());
        }
        if (!ids.isEmpty())
            m_db->exec("UPDATE response_versions v SET answers = x.a FROM unnest($1::bigint[], $2::bytea[]) AS x(id, a) "
                       "WHERE v.id = x.id",
                       PgParams().addArray(ids).addArray(packs));
    }
}

// To kPackedParadataVersion, inside migrate()'s transaction and schema lock: each version's rows
// of the `paradata` table become its packed column and the counts beside it, in slices of 5000
// versions by id; then the table goes.
void PostgresCollectorStore::packParadata()
{
    AnswerDictionaryCursor dictionaries(m_dictionaries, [this](const QString &id, const QString &v) {
        return formJson(*m_db, id, v);
    });
    qint64 after = -1;
    for (;;) {
        const PgResult v = m_db->exec("SELECT id, form_id, form_version, started_ms FROM response_versions "
                                      "WHERE id > $1 ORDER BY id LIMIT 5000",
                                      PgParams().add(after));
        if (v.rows() == 0)
            break;
        const qint64 first = v.int64(0, 0), last = v.int64(v.rows() - 1, 0);
        after = last;
        const PgResult e = m_db->exec("SELECT version_id, seq, time_ms, kind, question, detail FROM paradata "
                                      "WHERE version_id BETWEEN $1 AND $2 ORDER BY version_id, seq",
                                      PgParams().add(first).add(last));
        QList<QByteArray> ids, packs, changes, switched;
        QList<ParadataEvent> list;
        int row = 0;
        for (int i = 0; i < v.rows(); ++i) {
            const qint64 id = v.int64(i, 0);
            list.clear();
            for (; row < e.rows() && e.int64(row, 0) <= id; ++row) {
                if (e.int64(row, 0) < id)
                    continue; // a row of no version: left behind with the table
                list.append(paradatapack::fromVersion10Row(m_db->where(), id, e.int64(row, 1),
                                                           e.isNull(row, 2) ? QVariant() : QVariant(e.int64(row, 2)),
                                                           e.text(row, 3), e.text(row, 4), e.text(row, 5)));
            }
            if (list.isEmpty())
                continue; // no pack (NULL), no changes
            const QDateTime started = v.isNull(i, 3) ? QDateTime() : QDateTime::fromMSecsSinceEpoch(v.int64(i, 3), Qt::UTC);
            ids.append(QByteArray::number(id));
            packs.append("\\x" + paradatapack::pack(list, dictionaries.find(v.text(i, 1), v.text(i, 2)), started).toHex());
            changes.append(QByteArray::number(paradatapack::changes(list)));
            switched.append(paradatapack::languageSwitched(list) ? "1" : "0");
        }
        if (!ids.isEmpty())
            m_db->exec("UPDATE response_versions v SET paradata = x.p, changes = x.c, language_switched = x.l "
                       "FROM unnest($1::bigint[], $2::bytea[], $3::int[], $4::int[]) AS x(id, p, c, l) WHERE v.id = x.id",
                       PgParams().addArray(ids).addArray(packs).addArray(changes).addArray(switched));
    }
    m_db->exec("DROP TABLE paradata");
}

// Version 1 -> 2, inside migrate()'s transaction and schema lock: each version's rows of
// `answers` become its packed `answers` column (answerpack.h), then the table goes.
void PostgresCollectorStore::upgradeFromVersion1()
{
    m_db->exec("ALTER TABLE response_versions ADD COLUMN answers BYTEA");
    m_db->execOnce("DECLARE kb_answers NO SCROLL CURSOR FOR SELECT version_id, question, type, value FROM answers "
                   "ORDER BY version_id, question COLLATE \"C\"");
    QList<QByteArray> ids, packs;
    qint64 current = -1;
    QList<TypedAnswer> answers;
    auto write = [&] {
        if (ids.isEmpty())
            return;
        m_db->exec("UPDATE response_versions v SET answers = x.a FROM unnest($1::bigint[], $2::bytea[]) AS x(id, a) "
                   "WHERE v.id = x.id",
                   PgParams().addArray(ids).addArray(packs));
        ids.clear();
        packs.clear();
    };
    auto finish = [&] {
        if (current < 0)
            return;
        ids.append(QByteArray::number(current));
        packs.append("\\x" + answerpack::pack(answers).toHex());
        answers.clear();
        if (ids.size() >= 5000)
            write();
    };
    for (;;) {
        const PgResult r = m_db->exec("FETCH 10000 FROM kb_answers");
        if (r.rows() == 0)
            break;
        for (int i = 0; i < r.rows(); ++i) {
            const qint64 id = r.int64(i, 0);
            if (id != current) {
                finish();
                current = id;
            }
            answers.append(answerpack::fromVersion1Row(m_db->where(), id, r.text(i, 1), r.int64(i, 2), r.text(i, 3)));
        }
    }
    finish();
    write();
    m_db->exec("CLOSE kb_answers");
    // Versions without a single answer (refusals) had no rows: they get the empty pack.
    m_db->exec("UPDATE response_versions SET answers = $1 WHERE answers IS NULL",
               PgParams().add(answerpack::pack({})));
    m_db->exec("ALTER TABLE response_versions ALTER COLUMN answers SET NOT NULL");
    m_db->exec("DROP TABLE answers");
    m_db->exec("UPDATE collector_meta SET value = '2' WHERE key = 'schema_version'");
}

} // namespace kerbside
