// SPDX-License-Identifier: Apache-2.0
// The collector's WAL is checkpointed by a background connection, not inside an upload's COMMIT.
#include <catch2/catch.hpp>

#include "syncsamples.h"
#include "voxpopform.h"

#include "batchcodec.h"
#include "sqlitecollectorstore.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QThread>

#include <sqlite3.h>

using namespace kerbside;

TEST_CASE("SQLite collector: WAL checkpoints run on a background connection, off the merge path", "[sync][collector]")
{
    QTemporaryDir dir;
    const QString path = QDir(dir.path()).filePath(QStringLiteral("collector.db"));
    auto store = SqliteCollectorStore::open(path);
    store->addCaseStudy(QStringLiteral("leeds"), QStringLiteral("Leeds"));
    test::publishVoxpop(*store, {QStringLiteral("leeds")});
    // Enough batches to pass the 1,000-page threshold several times.
    for (int b = 0; b < 12; ++b) {
        const QByteArray raw = BatchCodec::encode(test::header(QStringLiteral("dev-1"), quint64(b + 1)),
                                                  test::voxpopBatch(500, 0, QStringLiteral("leeds"), QStringLiteral("dev-1")),
                                                  test::voxpopTypes());
        store->mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc());
    }
    for (int i = 0; i < 200 && store->backgroundCheckpoints() == 0; ++i)
        QThread::msleep(50);
    REQUIRE(store->backgroundCheckpoints() > 0);

    // The database file alone (no WAL) now holds merged responses: pages were copied into it
    // by the background checkpoint while the store stayed open.
    QThread::msleep(200); // let a checkpoint under way finish
    const QString copy = QDir(dir.path()).filePath(QStringLiteral("main-only.db"));
    REQUIRE(QFile::copy(path, copy));
    sqlite3 *db = nullptr;
    REQUIRE(sqlite3_open_v2(copy.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt *s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT count(*) FROM responses", -1, &s, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    CHECK(sqlite3_column_int64(s, 0) > 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    CHECK(store->responseCount() == 12 * 500);
}
