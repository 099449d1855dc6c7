// SPDX-License-Identifier: Apache-2.0
// Answers packed against a form version's dictionary (answerpack.h, format 2; schema 9): exact
// round trips, a fraction of format 1's bytes, and every damaged or mismatched pack refused
// with nothing half-read, or, read from a store, an error that names the row.
#include "answerdictionary.h"
#include "answerpack.h"
#include "batchcodec.h"
#include "collectortypes.h"
#include "format1packs.h"
#include "postgrescollectorstore.h"
#include "postgresconnection.h"
#include "postgrestestdb.h"
#include "sqlitecollectorstore.h"
#include "syncsamples.h"
#include "version10paradata.h"
#include "voxpopform.h"

#include "form/formloader.h"

#include <QFile>
#include <QTemporaryDir>

#include <catch2/catch.hpp>
#include <sqlite3.h>

using namespace kerbside;
using namespace kerbside::test;

namespace {

QList<TypedAnswer> voxpopSample()
{
    return {{QStringLiteral("age_band"), AnswerType::Choice, QStringLiteral("a35_44")},
            {QStringLiteral("comment_best"), AnswerType::Text, QStringLiteral("Zażółć gęślą jaźń \"quoted\"\ttab\nline")},
            {QStringLiteral("comment_improve"), AnswerType::Text, QString()},
            {QStringLiteral("free_text"), AnswerType::Text, QString(300, QLatin1Char('x'))}, // 2-byte length
            {QStringLiteral("gender"), AnswerType::Choice, QStringLiteral("not_a_choice")}, // kept as text
            {QStringLiteral("location"), AnswerType::Geopoint, QStringLiteral("51.5 -2.6 33.5 4.3")},
            {QStringLiteral("member[2]/age"), AnswerType::Integer, QStringLiteral("7")}, // not in the dictionary
            {QStringLiteral("priorities"), AnswerType::Choices, QStringLiteral("roads housing")},
            {QStringLiteral("sat_parks"), AnswerType::Choice, QStringLiteral("4")},
            {QStringLiteral("services_used"), AnswerType::Choices, QStringLiteral("parks  housing")}, // two spaces
            {QStringLiteral("spend"), AnswerType::Decimal, QStringLiteral("12.50")}};
}

bool same(const QList<TypedAnswer> &a, const QList<TypedAnswer> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (a[i].question != b[i].question || a[i].type != b[i].type || a[i].value != b[i].value)
            return false;
    return true;
}

bool unpackWith(const QByteArray &packed, QList<TypedAnswer> *out, const AnswerDictionary *d)
{
    return answerpack::unpack(packed.constData(), packed.size(), out, nullptr, d);
}

} // namespace

TEST_CASE("answers packed against the form's dictionary read back exactly", "[sync][collector]")
{
    const Form form = voxpopCouncilForm();
    const AnswerDictionary d(form);
    CHECK(d.size() == form.questions.size());
    CHECK(d.name(0) == QStringLiteral("age_band")); // sorted by name, not by the form's order
    const QList<TypedAnswer> answers = voxpopSample();
    const QByteArray packed = answerpack::pack(answers, &d);
    CHECK(packed.at(0) == char(0x02));
    QList<TypedAnswer> back;
    REQUIRE(unpackWith(packed, &back, &d));
    CHECK(same(back, answers));
    // The choices and names cost a byte or two each: far below the names and values spelt out.
    CHECK(packed.size() < answerpack::pack(answers).size() - 100);
    const QList<TypedAnswer> choices{{QStringLiteral("age_band"), AnswerType::Choice, QStringLiteral("a65_plus")},
                                     {QStringLiteral("priorities"), AnswerType::Choices,
                                      QStringLiteral("older_people young_people safety")}};
    CHECK(answerpack::pack(choices, &d).size() == 2 + 3 + 6); // format, size; 1+1+1; 1+1+1+3

    QList<TypedAnswer> none;
    CHECK(unpackWith(answerpack::pack({}, &d), &none, &d));
    CHECK(none.isEmpty());
    // Without a dictionary the pack is format 1, which needs none to read.
    CHECK(answerpack::pack(answers, nullptr) == answerpack::pack(answers));
    CHECK(unpackWith(answerpack::pack(answers), &none, &d));
}

TEST_CASE("a dictionary pack that is damaged or meets another dictionary is refused, nothing half-read", "[sync][collector]")
{
    const AnswerDictionary d(voxpopCouncilForm());
    const QByteArray packed = answerpack::pack(voxpopSample(), &d);
    const QList<TypedAnswer> before{{QStringLiteral("kept"), AnswerType::Text, QStringLiteral("1")}};
    for (qsizetype n = 1; n < packed.size(); ++n) {
        QList<TypedAnswer> out = before;
        if (!unpackWith(packed.left(n), &out, &d))
            CHECK(same(out, before));
    }
    QList<TypedAnswer> out = before;
    CHECK_FALSE(unpackWith(packed, &out, nullptr)); // format 2 needs its dictionary

    // Another form's dictionary (another size) is refused before any answer is read.
    Form other = voxpopCouncilForm();
    other.questions.removeLast();
    other.rebuildIndex();
    const AnswerDictionary smaller(other);
    CHECK_FALSE(unpackWith(packed, &out, &smaller));

    const auto bytes = [](std::initializer_list<int> b) {
        QByteArray out;
        for (int c : b)
            out.append(char(c));
        return out;
    };
    const char n = char(d.size());
    CHECK_FALSE(unpackWith(bytes({2, n, 99, 1, 0}), &out, &d));         // question past the dictionary
    CHECK_FALSE(unpackWith(bytes({2, n, 1, 2, 0x8d, 0x03}), &out, &d)); // choice 99 of 6
    CHECK_FALSE(unpackWith(bytes({2, n, 1, 2, 3}), &out, &d));          // value kind 3
    CHECK_FALSE(unpackWith(bytes({2, n, 1, 2, (1 << 2) | 2, 0}), &out, &d)); // one choice as a list
    CHECK_FALSE(unpackWith(bytes({2, n, 1, 2, (2 << 2) | 2, 0}), &out, &d)); // a list cut short
    CHECK_FALSE(unpackWith(bytes({2, n, 0, 1, 'x', 1, 1}), &out, &d));  // a choice for a name it lacks
    CHECK_FALSE(unpackWith(bytes({2, n, 1, 42, 0}), &out, &d));         // unknown type
    CHECK(same(out, before));
}

TEST_CASE("a stored response whose dictionary pack is damaged is named when read, never a crash", "[sync][collector]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("c.sqlite"));
    auto store = SqliteCollectorStore::open(path);
    store->addCaseStudy(QStringLiteral("leeds"), QStringLiteral("Leeds"));
    publishVoxpop(*store, {QStringLiteral("leeds")});
    const QByteArray raw = BatchCodec::encode(header(QStringLiteral("dev-test"), 1), voxpopBatch(3), voxpopTypes());
    store->mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc());
    REQUIRE(store->responseCount() == 3);
    {
        sqlite3 *db = nullptr;
        REQUIRE(sqlite3_open(path.toUtf8().constData(), &db) == SQLITE_OK);
        // Every answer packed against the form; then one row's pack loses its tail.
        sqlite3_stmt *s = nullptr;
        sqlite3_prepare_v2(db, "SELECT count(*) FROM response_versions WHERE substr(answers, 1, 1) = x'02'", -1, &s, nullptr);
        REQUIRE(sqlite3_step(s) == SQLITE_ROW);
        CHECK(sqlite3_column_int64(s, 0) == 3);
        sqlite3_finalize(s);
        REQUIRE(sqlite3_exec(db, "UPDATE response_versions SET answers = substr(answers, 1, length(answers) - 1) "
                                 "WHERE id = (SELECT max(id) FROM response_versions)", nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    QString seen;
    try {
        store->forEachResponse({}, [](const StoredResponse &) { return true; });
    } catch (const CollectorError &e) {
        seen = e.message();
    }
    CHECK(seen.contains(path));
    CHECK(seen.contains(QStringLiteral("are damaged")));
    CHECK(seen.contains(QStringLiteral("version 3")));
}

TEST_CASE("schema 9 repacks the answers of an existing database in place, answers intact", "[sync][collector]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("c.sqlite"));
    QList<StoredResponse> before;
    {
        auto store = SqliteCollectorStore::open(path);
        store->addCaseStudy(QStringLiteral("leeds"), QStringLiteral("Leeds"));
        publishVoxpop(*store, {QStringLiteral("leeds")});
        const QByteArray raw = BatchCodec::encode(header(QStringLiteral("dev-test"), 1), voxpopBatch(20), voxpopTypes());
        store->mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc());
        store->forEachResponse({}, [&](const StoredResponse &r) {
            before.append(r);
            return true;
        });
    }
    REQUIRE(before.size() == 20);
    // Back to what schema 8 wrote: every pack in format 1, the paradata table.
    repackAsFormat1(path);
    unpackParadataToVersion10(path, false);
    {
        sqlite3 *db = nullptr;
        REQUIRE(sqlite3_open(path.toUtf8().constData(), &db) == SQLITE_OK);
        REQUIRE(sqlite3_exec(db, "DROP TABLE device_syncs; DROP TABLE device_forms; DROP TABLE start_counts;"
                                 " DROP TABLE question_counts; DROP TABLE response_flags;" // version 10's
                                 " UPDATE collector_meta SET value = '8' WHERE key = 'schema_version'",
                             nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    auto store = SqliteCollectorStore::open(path);
    QList<StoredResponse> after;
    store->forEachResponse({}, [&](const StoredResponse &r) {
        after.append(r);
        return true;
    });
    REQUIRE(after.size() == before.size());
    for (qsizetype i = 0; i < after.size(); ++i)
        CHECK(same(after[i].answers, before[i].answers));
    sqlite3 *db = nullptr;
    REQUIRE(sqlite3_open(path.toUtf8().constData(), &db) == SQLITE_OK);
    sqlite3_stmt *s = nullptr;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM response_versions WHERE substr(answers, 1, 1) = x'02' "
                           "UNION ALL SELECT value FROM collector_meta WHERE key = 'schema_version'", -1, &s, nullptr);
    REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    CHECK(sqlite3_column_int64(s, 0) == 20);
    REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    CHECK(sqlite3_column_int64(s, 0) == SqliteCollectorStore::kSchemaVersion);
    sqlite3_finalize(s);
    sqlite3_close(db);
}

TEST_CASE("PostgreSQL: schema 9 repacks the answers of an existing database in place", "[sync][postgres]")
{
    if (testPostgresUrl().isEmpty()) {
        WARN("KERBSIDE_TEST_PG is not set: PostgreSQL test skipped (.ci/test.sh starts a cluster)");
        return;
    }
    PostgresTestDb db;
    QList<StoredResponse> before;
    {
        auto store = PostgresCollectorStore::open(db.url());
        store->addCaseStudy(QStringLiteral("leeds"), QStringLiteral("Leeds"));
        publishVoxpop(*store, {QStringLiteral("leeds")});
        const QByteArray raw = BatchCodec::encode(header(QStringLiteral("dev-test"), 1), voxpopBatch(20), voxpopTypes());
        store->mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc());
        store->forEachResponse({}, [&](const StoredResponse &r) {
            before.append(r);
            return true;
        });
    }
    REQUIRE(before.size() == 20);
    PgConnection pg(db.url());
    const AnswerDictionary d(voxpopCouncilForm());
    {
        const PgResult rows = pg.exec("SELECT id, answers FROM response_versions");
        for (int i = 0; i < rows.rows(); ++i) {
            QList<TypedAnswer> answers;
            REQUIRE(unpackWith(rows.blob(i, 1), &answers, &d));
            pg.exec("UPDATE response_versions SET answers = $2 WHERE id = $1",
                    PgParams().add(rows.int64(i, 0)).add(answerpack::pack(answers)));
        }
        pg.exec("DROP TABLE device_syncs, device_forms, start_counts, question_counts, response_flags"); // version 10's
        unpackParadataToVersion10(db.url(), true);                                                         // version 11's
        pg.exec("UPDATE collector_meta SET value = '8' WHERE key = 'schema_version'");
        REQUIRE(pg.scalar("SELECT count(*) FROM response_versions WHERE substr(answers, 1, 1) = '\\x01'::bytea") == 20);
    }
    auto store = PostgresCollectorStore::open(db.url());
    CHECK(pg.scalar("SELECT count(*) FROM response_versions WHERE substr(answers, 1, 1) = '\\x02'::bytea") == 20);
    CHECK(pg.scalar("SELECT value::bigint FROM collector_meta WHERE key = 'schema_version'")
          == PostgresCollectorStore::kSchemaVersion);
    QList<StoredResponse> after;
    store->forEachResponse({}, [&](const StoredResponse &r) {
        after.append(r);
        return true;
    });
    REQUIRE(after.size() == before.size());
    for (qsizetype i = 0; i < after.size(); ++i)
        CHECK(same(after[i].answers, before[i].answers));
}
