// SPDX-License-Identifier: Apache-2.0
// The tablet's store after a full disk, damage, an empty or a missing file (label "security"):
// an intact store that lives mostly in its WAL opens; only SQLite's quick_check calls a file
// damaged; a damaged one is kept byte for byte and what is readable is copied into a new store;
// an empty file or a vanished store is an error, never a silent fresh start.
#include <catch2/catch.hpp>

#include "store/devicestore.h"
#include "store/storeschema.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <sqlite3.h>

using namespace kerbside;

namespace {

NewResponse newResponse()
{
    NewResponse r;
    r.formId = QStringLiteral("voxpop");
    r.formVersion = QStringLiteral("1");
    r.caseStudy = QStringLiteral("leith");
    r.enumerator = QStringLiteral("ana");
    r.deviceId = QStringLiteral("tab-07");
    r.language = QStringLiteral("en");
    return r;
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    REQUIRE(f.write(bytes) == bytes.size());
}

quint32 be32(const QByteArray &b, qsizetype at)
{
    const auto *p = reinterpret_cast<const uchar *>(b.constData() + at);
    return (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | quint32(p[3]);
}

// `n` finalised responses with a few answers each.
QStringList fill(DeviceStore &store, int n)
{
    QStringList uuids;
    for (int i = 0; i < n; ++i) {
        const QString uuid = store.createResponse(newResponse());
        store.setAnswer(uuid, QStringLiteral("name"), QStringLiteral("person %1").arg(i));
        store.setAnswer(uuid, QStringLiteral("note"), QString(300, QChar(u'a' + i % 26)));
        store.finalise(uuid, ResponseStatus::Complete);
        uuids << uuid;
    }
    return uuids;
}

int quickCheckErrors(const QString &path)
{
    sqlite3 *db = nullptr;
    REQUIRE(sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt *st = nullptr;
    int errors = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, nullptr) != SQLITE_OK) {
        errors = 1;
    } else {
        while (sqlite3_step(st) == SQLITE_ROW) {
            if (qstrcmp(reinterpret_cast<const char *>(sqlite3_column_text(st, 0)), "ok") != 0)
                ++errors;
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return errors;
}

} // namespace

TEST_CASE("an intact store that is mostly in its WAL opens, after a full disk", "[store][security]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("store.sqlite"));
    const QString copy = dir.filePath(QStringLiteral("copy.sqlite"));
    QStringList uuids;
    {
        auto store = DeviceStore::open(path);
        uuids = fill(*store, 46);
        store->acknowledge(uuids, {});
        // While it is open (no checkpoint yet: under 1,000 pages), the answers are in the WAL
        // only: copy the pair as a kill or a full disk leaves it.
        REQUIRE(QFile(path + QStringLiteral("-wal")).size() > QFile(path).size());
        REQUIRE(QFile::copy(path, copy));
        REQUIRE(QFile::copy(path + QStringLiteral("-wal"), copy + QStringLiteral("-wal")));
    }
    // A checkpoint that ran out of space after writing page 1: the main file's header now
    // counts every page, but the file holds only the pages it had; the rest is in the WAL.
    QByteArray wal = fileBytes(copy + QStringLiteral("-wal"));
    const quint32 pageSize = be32(wal, 8);
    QByteArray page1;
    for (qsizetype at = 32; at + 24 + pageSize <= quint32(wal.size()); at += 24 + pageSize) {
        if (be32(wal, at) == 1)
            page1 = wal.mid(at + 24, pageSize); // the last image of page 1 wins
    }
    REQUIRE(page1.size() == qsizetype(pageSize));
    QByteArray main = fileBytes(copy);
    REQUIRE(be32(page1, 28) * pageSize > quint32(main.size())); // "header says N pages"
    main.replace(0, pageSize, page1);
    writeFile(copy, main);

    StoreOpenReport report;
    auto store = DeviceStore::open(copy, &report);
    CHECK_FALSE(report.salvaged);
    CHECK(report.message().isEmpty());
    CHECK(store->responses().size() == 46);
    for (const QString &uuid : uuids)
        CHECK(store->response(uuid)->answers.size() == 2);
    CHECK(store->outboxSize() == 0); // acknowledged stays acknowledged
}

TEST_CASE("random damage in the middle: the file is kept, what is readable is saved and said",
          "[store][security]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("store.sqlite"));
    QStringList uuids;
    {
        auto store = DeviceStore::open(path);
        uuids = fill(*store, 300);
        store->acknowledge(uuids.mid(0, 100), {});
        store->setSetting(QStringLiteral("device_id"), QStringLiteral("tab-07"));
    } // closing checkpoints everything into the main file
    REQUIRE(!QFile::exists(path + QStringLiteral("-wal")));
    QByteArray bytes = fileBytes(path);
    const qsizetype pageSize = 4096;
    const qsizetype pages = bytes.size() / pageSize;
    REQUIRE(pages > 40);
    QRandomGenerator gen(20261201);
    for (int k = 0; k < 3; ++k) {
        const qsizetype page = pages * 2 / 5 + gen.bounded(int(pages / 5));
        for (qsizetype i = page * pageSize; i < (page + 1) * pageSize; ++i)
            bytes[i] = char(gen.bounded(256));
    }
    writeFile(path, bytes);
    REQUIRE(quickCheckErrors(path) > 0);

    StoreOpenReport report;
    auto store = DeviceStore::open(path, &report);
    INFO(report.message().toStdString());
    REQUIRE(report.salvaged);
    // SQLite's verdict: its quick_check, or the error it met reading the header pages.
    CHECK((report.damage.contains(QStringLiteral("SQLite's check found damage"))
           || report.damage.contains(QStringLiteral("database disk image is malformed"))));
    // The damaged file, byte for byte, beside the new store.
    CHECK(report.damagedCopy.startsWith(path + QStringLiteral(".damaged-")));
    CHECK(fileBytes(report.damagedCopy) == bytes);
    // What was read is in the new store, and the report says how much.
    const QList<ResponseMeta> kept = store->responses();
    CHECK(kept.size() == report.responses);
    CHECK(report.responses > 150);
    CHECK(report.responses <= 300);
    CHECK(report.settings == 1);
    CHECK(store->setting(QStringLiteral("device_id")) == QStringLiteral("tab-07"));
    CHECK(store->outboxSize() == report.unsent);
    // Every finalised response the collector had not acknowledged is back, from the journal
    // where the damaged pages lost it.
    CHECK(report.unsent == 200);
    for (const QString &uuid : uuids.mid(100)) {
        const std::optional<Response> r = store->response(uuid);
        REQUIRE(r);
        CHECK(r->answers.value(QStringLiteral("name")).startsWith(QStringLiteral("person ")));
        CHECK_FALSE(r->meta.synced);
    }
    const QString message = report.message();
    CHECK(message.startsWith(QStringLiteral("The survey data on this tablet was damaged.")));
    CHECK(message.contains(QStringLiteral("%1 responses (%2 of them finished and not sent yet)")
                               .arg(report.responses)
                               .arg(report.unsent)));
    CHECK(message.contains(QFileInfo(report.damagedCopy).fileName()));
    // The new store is sound, takes writes, and opens again without any salvage.
    CHECK(quickCheckErrors(path) == 0);
    store->setSetting(QStringLiteral("after"), QStringLiteral("yes"));
    store.reset();
    StoreOpenReport again;
    store = DeviceStore::open(path, &again);
    CHECK_FALSE(again.salvaged);
    CHECK(store->setting(QStringLiteral("after")) == QStringLiteral("yes"));
}

TEST_CASE("a truncated store is salvaged too: every whole page before the cut is kept",
          "[store][security]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("store.sqlite"));
    {
        auto store = DeviceStore::open(path);
        fill(*store, 120);
    }
    const QByteArray whole = fileBytes(path);
    writeFile(path, whole.left(whole.size() / 2));
    StoreOpenReport report;
    auto store = DeviceStore::open(path, &report);
    REQUIRE(report.salvaged);
    CHECK(fileBytes(report.damagedCopy) == whole.left(whole.size() / 2));
    CHECK(store->responses().size() == report.responses);
}

TEST_CASE("an empty store file is an error, not a fresh start", "[store][security]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("store.sqlite"));
    writeFile(path, QByteArray());
    try {
        DeviceStore::open(path);
        FAIL("an empty file opened");
    } catch (const StoreError &e) {
        CHECK(e.code() == StoreError::Code::Corrupt);
        CHECK(QString::fromUtf8(e.what()).contains(QStringLiteral("the file is empty (0 bytes)")));
    }
    CHECK(QFile(path).size() == 0);
    // A brand-new store is never an empty file at its path, even for a moment.
    const QString fresh = dir.filePath(QStringLiteral("fresh.sqlite"));
    DeviceStore::open(fresh);
    CHECK(QFile(fresh).size() > 0);
}

TEST_CASE("a missing store where this tablet had one is an error, not a fresh start",
          "[store][security]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("store.sqlite"));
    {
        auto store = DeviceStore::open(path);
        fill(*store, 3);
    }
    REQUIRE(QFile::exists(StoreSchema::markerPath(path)));
    REQUIRE(QFile::remove(path));
    try {
        DeviceStore::open(path);
        FAIL("a vanished store was silently replaced");
    } catch (const StoreError &e) {
        const QString message = QString::fromUtf8(e.what());
        CHECK(message.contains(QStringLiteral("is missing, but this tablet kept its survey data there")));
        CHECK(message.contains(StoreSchema::markerPath(path)));
    }
    CHECK_FALSE(QFile::exists(path));
    // Deleting the marker is the deliberate way to start again.
    REQUIRE(QFile::remove(StoreSchema::markerPath(path)));
    CHECK(DeviceStore::open(path)->responses().isEmpty());
}

// Not run by default: `test_store_damage "[.measure]"` prints what opening costs at 10,000
// responses (the quick_check is most of it).
TEST_CASE("cost of quick_check when opening a store of 10,000 responses", "[.measure]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("store.sqlite"));
    {
        auto store = DeviceStore::open(path);
        fill(*store, 1);
    }
    {
        sqlite3 *db = nullptr;
        REQUIRE(sqlite3_open(QFile::encodeName(path).constData(), &db) == SQLITE_OK);
        // 9,999 more copies of the first response, each with 20 answers.
        const char *sql = R"sql(
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
INSERT INTO responses(id, uuid, form_id, form_version, case_study, enumerator, device_id, status,
    revision, started_ms, ended_ms, updated_ms, language)
SELECT i, 'uuid-' || i, form_id, form_version, case_study, enumerator, device_id, status, 1,
    started_ms, ended_ms, updated_ms, language FROM n, responses WHERE responses.id = 1;
WITH RECURSIVE q(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM q WHERE j < 20)
INSERT OR IGNORE INTO answers(response_id, question, value)
SELECT id, 'question_' || j, 'an answer of about forty characters ' || j FROM responses, q;
COMMIT;)sql";
        REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    QElapsedTimer t;
    t.start();
    auto store = DeviceStore::open(path);
    const qint64 openMs = t.elapsed();
    CHECK(store->counts().all == 10000);
    store.reset();
    sqlite3 *db = nullptr;
    REQUIRE(sqlite3_open(QFile::encodeName(path).constData(), &db) == SQLITE_OK);
    t.restart();
    REQUIRE(sqlite3_exec(db, "PRAGMA quick_check", nullptr, nullptr, nullptr) == SQLITE_OK);
    const qint64 checkMs = t.elapsed();
    sqlite3_close(db);
    WARN("store of 10,000 responses, 200,000 answers: " << QFile(path).size() / 1024 << " KiB; open "
         << openMs << " ms, of which quick_check alone " << checkMs << " ms");
}
