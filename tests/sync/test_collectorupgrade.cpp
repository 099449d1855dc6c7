// SPDX-License-Identifier: Apache-2.0
// The collector's packed answers (answerpack.h) and the schema upgrade from version 1 (a row
// per answer) to version 2 (one packed column), on SQLite and PostgreSQL, from a database the
// version-1 collector wrote: tests/data/collector/schema-v1.sql (see the README beside it).
#include <catch2/catch.hpp>

#include "answerpack.h"
#include "batchcodec.h"
#include "collectorprocess.h"
#include "postgrescollectorstore.h"
#include "postgresconnection.h"
#include "postgrestestdb.h"
#include "sqlitecollectorstore.h"
#include "syncsamples.h"
#include "version10paradata.h"
#include "voxpopform.h"
#include "answerdictionary.h"
#include "form/formloader.h"
#include "testpaths.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <sqlite3.h>

using namespace kerbside;
using namespace kerbside::test;

namespace {

QList<TypedAnswer> sampleAnswers()
{
    return {{QStringLiteral("age_band"), AnswerType::Choice, QStringLiteral("a35_44")},
            {QStringLiteral("comment"), AnswerType::Text, QStringLiteral("Zażółć gęślą jaźń \"quoted\"\ttab\nline")},
            {QStringLiteral("empty"), AnswerType::Text, QString()},
            {QStringLiteral("long"), AnswerType::Text, QString(300, QLatin1Char('x'))}, // 2-byte length
            {QStringLiteral("location"), AnswerType::Geopoint, QStringLiteral("51.5 -2.6 33.5 4.3")},
            {QStringLiteral("services"), AnswerType::Choices, QStringLiteral("bins parks")}};
}

bool sameAnswers(const QList<TypedAnswer> &a, const QList<TypedAnswer> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].question != b[i].question || a[i].type != b[i].type || a[i].value != b[i].value)
            return false;
    }
    return true;
}

// A copy of the version-1 fixture as an SQLite file.
QString writeVersion1Fixture(const QString &dir)
{
    QFile sql(sourcePath(QStringLiteral("tests/data/collector/schema-v1.sql")));
    REQUIRE(sql.open(QIODevice::ReadOnly));
    const QByteArray script = sql.readAll();
    const QString path = QDir(dir).filePath(QStringLiteral("collector-v1.sqlite"));
    sqlite3 *db = nullptr;
    REQUIRE(sqlite3_open(path.toUtf8().constData(), &db) == SQLITE_OK);
    char *error = nullptr;
    const int rc = sqlite3_exec(db, script.constData(), nullptr, nullptr, &error);
    INFO((error ? error : ""));
    sqlite3_free(error);
    sqlite3_close(db);
    REQUIRE(rc == SQLITE_OK);
    return path;
}

QJsonObject expectedResponses()
{
    QFile f(sourcePath(QStringLiteral("tests/data/collector/schema-v1.expected.json")));
    REQUIRE(f.open(QIODevice::ReadOnly));
    return QJsonDocument::fromJson(f.readAll()).object();
}

// Every response the store holds matches what the version-1 collector exported.
void checkAgainstVersion1(CollectorStore &store)
{
    const QJsonObject expected = expectedResponses();
    REQUIRE(expected.size() == 10);
    int seen = 0;
    store.forEachResponse({}, [&](const StoredResponse &r) {
        ++seen;
        INFO("response " << r.meta.uuid.toStdString());
        REQUIRE(expected.contains(r.meta.uuid));
        const QJsonObject e = expected.value(r.meta.uuid).toObject();
        CHECK(r.meta.revision == e.value(QStringLiteral("revision")).toInt());
        CHECK(r.meta.caseStudy == e.value(QStringLiteral("case_study")).toString());
        CHECK(r.versions == e.value(QStringLiteral("versions")).toInt());
        CHECK(r.conflicted == e.value(QStringLiteral("conflicted")).toBool());
        CHECK_FALSE(r.meta.startedUtcOffset); // schema 6: not recorded then, so unknown
        QList<TypedAnswer> want;
        for (const QJsonValue &a : e.value(QStringLiteral("answers")).toArray()) {
            const QJsonArray row = a.toArray();
            AnswerType type = AnswerType::Text;
            REQUIRE(answerTypeFromInt(row.at(1).toInt(), &type));
            want.append({row.at(0).toString(), type, row.at(2).toString()});
        }
        CHECK(sameAnswers(r.answers, want));
        return true;
    });
    CHECK(seen == 10);
    CHECK(store.contactCount() == 3);
    CHECK(store.conflicts().size() == 1);
    // The one paradata row of version 1, packed by schema step 11 (paradatapack.h).
    const QList<ParadataRow> events = store.interviewParadata(1);
    REQUIRE(events.size() == 1);
    CHECK(events[0].time == QDateTime::fromMSecsSinceEpoch(1793324562498LL, Qt::UTC));
    CHECK(events[0].kind == QLatin1String("shown"));
    CHECK(events[0].question == QLatin1String("consent"));
    CHECK(events[0].detail.isEmpty());
}

// After the upgrade the old versions' answers still take part in merges: a new version of a
// migrated response at its revision, one answer changed, is a conflict naming that answer.
void checkConflictAgainstMigratedVersion(CollectorStore &store)
{
    StoredResponse held;
    store.forEachResponse(QStringLiteral("york"), [&](const StoredResponse &r) {
        held = r;
        return false;
    });
    REQUIRE_FALSE(held.meta.uuid.isEmpty());
    OutboxBatch outbox;
    Response changed;
    changed.meta = held.meta;
    for (const TypedAnswer &a : held.answers)
        changed.answers.insert(a.question, a.value);
    changed.answers[QStringLiteral("sat_parks")] = QStringLiteral("1");
    outbox.responses.append(changed);
    publishVoxpop(store, {QStringLiteral("york")}); // a version-1 collector checked no forms; this one does
    const QByteArray raw = BatchCodec::encode(header(held.meta.deviceId, 99), outbox, voxpopTypes());
    const MergeResult m = store.mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("usb"), QDateTime::currentDateTimeUtc());
    REQUIRE(m.responses.size() == 1);
    CHECK(m.responses.first().outcome == MergeOutcome::Conflict);
    bool found = false;
    for (const ConflictRecord &c : store.conflicts()) {
        if (c.uuid == held.meta.uuid) {
            found = true;
            CHECK(c.differences == QStringList{QStringLiteral("sat_parks")});
        }
    }
    CHECK(found);
}

qint64 sqliteScalar(const QString &path, const char *sql)
{
    sqlite3 *db = nullptr;
    sqlite3_open(path.toUtf8().constData(), &db);
    sqlite3_stmt *s = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
    const qint64 v = s && sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

} // namespace

TEST_CASE("packed answers read back exactly, in order", "[sync][collector]")
{
    const QList<TypedAnswer> answers = sampleAnswers();
    const QByteArray packed = answerpack::pack(answers);
    QList<TypedAnswer> back;
    REQUIRE(answerpack::unpack(packed, &back));
    CHECK(sameAnswers(back, answers));

    QList<TypedAnswer> none;
    CHECK(answerpack::pack({}) == QByteArray("\x01", 1));
    CHECK(answerpack::unpack(answerpack::pack({}), &none));
    CHECK(none.isEmpty());
    CHECK_FALSE(answerpack::unpack(QByteArray(), &none)); // a NULL column is damage, not "no answers"
    CHECK(none.isEmpty());
}

TEST_CASE("damaged packed answers are refused and nothing is half-read", "[sync][collector]")
{
    const QByteArray packed = answerpack::pack(sampleAnswers());
    const QList<TypedAnswer> before{{QStringLiteral("kept"), AnswerType::Text, QStringLiteral("1")}};
    // Every truncation is refused: a length or a type always runs past the end.
    for (qsizetype n = 1; n < packed.size(); ++n) {
        QList<TypedAnswer> out = before;
        const QByteArray cut = packed.left(n);
        const bool ok = answerpack::unpack(cut, &out);
        if (ok) {
            // Only a cut exactly between two answers is itself a well-formed pack.
            CHECK(out.size() >= before.size());
            continue;
        }
        CHECK(sameAnswers(out, before));
    }
    QList<TypedAnswer> out = before;
    QByteArray wrongFormat = packed;
    wrongFormat[0] = char(0x02);
    CHECK_FALSE(answerpack::unpack(wrongFormat, &out));
    QByteArray badType = answerpack::pack({{QStringLiteral("q"), AnswerType::Text, QStringLiteral("v")}});
    badType[3] = char(42); // 0x01, length 1, 'q', type
    CHECK_FALSE(answerpack::unpack(badType, &out));
    const QByteArray endlessVarint("\x01\xff\xff\xff\xff\xff\xff", 7);
    CHECK_FALSE(answerpack::unpack(endlessVarint, &out));
    const QByteArray over32Bits("\x01\xff\xff\xff\xff\x1f", 6); // a length of 2^35 - 1
    CHECK_FALSE(answerpack::unpack(over32Bits, &out));
    CHECK(sameAnswers(out, before));
}

TEST_CASE("an SQLite collector written by schema version 1 is upgraded in place, answers intact", "[sync][collector]")
{
    QTemporaryDir dir;
    const QString path = writeVersion1Fixture(dir.path());
    REQUIRE(sqliteScalar(path, "SELECT count(*) FROM answers") == 220);

    auto store = SqliteCollectorStore::open(path);
    CHECK(sqliteScalar(path, "SELECT value FROM collector_meta WHERE key = 'schema_version'") == SqliteCollectorStore::kSchemaVersion);
    CHECK(sqliteScalar(path, "SELECT count(*) FROM sqlite_master WHERE name IN ('quota_plans', 'quota_counts', 'case_study_areas', 'population_margins')") == 4);
    CHECK(sqliteScalar(path, "SELECT count(*) FROM sqlite_master WHERE name = 'answers'") == 0);
    CHECK(sqliteScalar(path, "SELECT count(*) FROM response_versions WHERE answers IS NULL") == 0);
    CHECK(sqliteScalar(path, "SELECT count(*) FROM pragma_table_info('response_versions') WHERE name = 'started_offset_s'") == 1);
    CHECK(sqliteScalar(path, "SELECT count(*) FROM response_versions WHERE started_offset_s IS NOT NULL") == 0);
    // Schema 3's counters are filled from what is held.
    CHECK(sqliteScalar(path, "SELECT sum(n) FROM merge_counters WHERE kind NOT LIKE 'contact:%'")
          == sqliteScalar(path, "SELECT count(*) FROM responses"));
    checkAgainstVersion1(*store);

    // The batch log came through untouched: re-sending a logged batch replays its ack.
    {
        sqlite3 *db = nullptr;
        sqlite3_open(path.toUtf8().constData(), &db);
        sqlite3_stmt *s = nullptr;
        sqlite3_prepare_v2(db, "SELECT raw, (SELECT ack FROM batch_acks WHERE batch_id = batches.id) FROM batches ORDER BY id LIMIT 1",
                           -1, &s, nullptr);
        REQUIRE(sqlite3_step(s) == SQLITE_ROW);
        const QByteArray raw(static_cast<const char *>(sqlite3_column_blob(s, 0)), sqlite3_column_bytes(s, 0));
        const QByteArray ack(static_cast<const char *>(sqlite3_column_blob(s, 1)), sqlite3_column_bytes(s, 1));
        sqlite3_finalize(s);
        sqlite3_close(db);
        const MergeResult replay = store->mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc());
        CHECK(replay.replayed);
        CHECK(replay.ack == ack);
    }
    checkConflictAgainstMigratedVersion(*store);

    // Schema 9 repacked what it could against the form (the fixture's first responses are
    // checked against a form published only by the conflict check above: theirs stayed format 1).
    CHECK(sqliteScalar(path, "SELECT count(*) FROM response_versions WHERE substr(answers, 1, 1) NOT IN (x'01', x'02')") == 0);
    CHECK(sqliteScalar(path, "SELECT count(*) FROM response_versions WHERE substr(answers, 1, 1) = x'02'") >= 1);

    // Opening again finds version 2 and changes nothing.
    store.reset();
    auto again = SqliteCollectorStore::open(path);
    CHECK(again->responseCount() == 10);
}

TEST_CASE("an upgraded SQLite collector has the schema of a new one", "[sync][collector]")
{
    QTemporaryDir dir;
    const QString upgraded = writeVersion1Fixture(dir.path());
    SqliteCollectorStore::open(upgraded).reset();
    const QString fresh = QDir(dir.path()).filePath(QStringLiteral("fresh.sqlite"));
    SqliteCollectorStore::open(fresh).reset();
    // Tables and indexes with their columns in order, and how each table is stored.
    auto shape = [](const QString &path) {
        QStringList out;
        sqlite3 *db = nullptr;
        sqlite3_open(path.toUtf8().constData(), &db);
        sqlite3_stmt *s = nullptr;
        sqlite3_prepare_v2(db,
                           "SELECT m.type, m.name, instr(upper(m.sql), 'WITHOUT ROWID') > 0, "
                           "  (SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info(m.name) ORDER BY cid)) "
                           "FROM sqlite_master m WHERE m.name NOT LIKE 'sqlite_%' ORDER BY m.type, m.name",
                           -1, &s, nullptr);
        while (s && sqlite3_step(s) == SQLITE_ROW) {
            QStringList row;
            for (int c = 0; c < 4; ++c)
                row << QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(s, c)));
            out << row.join(QLatin1Char(' '));
        }
        sqlite3_finalize(s);
        sqlite3_close(db);
        return out;
    };
    const QStringList want = shape(fresh);
    CHECK(want.contains(QStringLiteral("table responses 1 uuid,case_study,current_version,versions,conflicted")));
    CHECK(shape(upgraded) == want);
}

TEST_CASE("an SQLite upgrade that meets a damaged answer changes nothing and names it", "[sync][collector]")
{
    QTemporaryDir dir;
    const QString path = writeVersion1Fixture(dir.path());
    {
        sqlite3 *db = nullptr;
        sqlite3_open(path.toUtf8().constData(), &db);
        REQUIRE(sqlite3_exec(db, "UPDATE answers SET type = 42 WHERE question = 'gender' AND version_id = 3", nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    try {
        SqliteCollectorStore::open(path);
        FAIL("the upgrade should have failed");
    } catch (const CollectorError &e) {
        INFO(e.message().toStdString());
        CHECK(e.message().contains(QStringLiteral("answer gender of response version 3 has unknown type 42")));
        CHECK(e.message().contains(path));
    }
    CHECK(sqliteScalar(path, "SELECT value FROM collector_meta WHERE key = 'schema_version'") == 1);
    CHECK(sqliteScalar(path, "SELECT count(*) FROM answers") == 220);
    CHECK(sqliteScalar(path, "SELECT count(*) FROM pragma_table_info('response_versions') WHERE name = 'answers'") == 0);
}

TEST_CASE("PostgreSQL: a collector database of schema version 1 is upgraded in place", "[sync][postgres]")
{
    if (testPostgresUrl().isEmpty()) {
        WARN("KERBSIDE_TEST_PG is not set: PostgreSQL test skipped (.ci/test.sh starts a cluster)");
        return;
    }
    QTemporaryDir dir;
    const QString sqlite = writeVersion1Fixture(dir.path());
    PostgresTestDb db;
    // `kerbside migrate` from a version-1 file upgrades the file first, then copies.
    const CommandResult r = runKerbside({QStringLiteral("migrate"), QStringLiteral("--from"), QStringLiteral("sqlite:") + sqlite,
                                         QStringLiteral("--to"), db.url()});
    INFO(r.out.toStdString() << r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    CHECK((r.out + r.err).contains(QStringLiteral("from schema version 1 to %1").arg(SqliteCollectorStore::kSchemaVersion))); // progress goes to stderr
    CHECK(r.out.contains(QStringLiteral("verified")));

    // Turn the copy back into what a version-1 collector would have written in PostgreSQL.
    REQUIRE(unpackParadataToVersion10(db.url(), true) > 0); // a table of events, as in version 1
    {
        PgConnection pg(db.url());
        pg.exec("BEGIN");
        QFile form(voxpopFormPath());
        REQUIRE(form.open(QIODevice::ReadOnly));
        const AnswerDictionary dictionary(*FormLoader::loadJson(form.readAll()).form);
        pg.exec("CREATE TABLE answers (version_id BIGINT NOT NULL, question TEXT NOT NULL, type INTEGER NOT NULL, "
                "value TEXT NOT NULL, PRIMARY KEY (version_id, question))");
        const PgResult versions = pg.exec("SELECT id, answers FROM response_versions ORDER BY id");
        for (int i = 0; i < versions.rows(); ++i) {
            QList<TypedAnswer> answers;
            const QByteArray packed = versions.blob(i, 1); // packed against the form by schema 9
            REQUIRE(answerpack::unpack(packed.constData(), packed.size(), &answers, nullptr, &dictionary));
            for (const TypedAnswer &a : answers)
                pg.exec("INSERT INTO answers (version_id, question, type, value) VALUES ($1, $2, $3, $4)",
                        PgParams().add(versions.int64(i, 0)).add(a.question).add(qint64(a.type)).add(a.value));
        }
        pg.exec("ALTER TABLE response_versions DROP COLUMN answers");
        pg.exec("ALTER TABLE response_versions DROP COLUMN started_offset_s"); // added by version 6
        pg.exec("DROP TABLE refusals, device_links"); // added by version 3
        pg.exec("DROP TABLE dashboard_sessions, dashboard_users, response_reviews, conflict_resolutions, merge_counters"); // version 5
        pg.exec("DROP TABLE dashboard_grid, fieldworker_counts"); // version 8
        pg.exec("DROP TABLE device_syncs, device_forms, start_counts, question_counts, response_flags"); // version 10
        pg.exec("UPDATE collector_meta SET value = '1' WHERE key = 'schema_version'");
        pg.exec("COMMIT");
        REQUIRE(pg.scalar("SELECT count(*) FROM answers") == 220);
    }

    auto store = PostgresCollectorStore::open(db.url());
    PgConnection pg(db.url());
    CHECK(pg.scalar("SELECT value::int FROM collector_meta WHERE key = 'schema_version'") == PostgresCollectorStore::kSchemaVersion);
    CHECK(pg.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'quota_counts'") == 1);
    CHECK(pg.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'answers'") == 0);
    CHECK(pg.scalar("SELECT count(*) FROM response_versions WHERE answers IS NULL") == 0);
    // Schema 3's counters are filled from what is held.
    CHECK(pg.scalar("SELECT sum(n) FROM merge_counters WHERE kind NOT LIKE 'contact:%'") == pg.scalar("SELECT count(*) FROM responses"));
    checkAgainstVersion1(*store);
    checkConflictAgainstMigratedVersion(*store);
}
