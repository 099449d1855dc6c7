// SPDX-License-Identifier: Apache-2.0
// bench_store [dir...]: setAnswer latency on a store holding 10,000 responses x 20 answers,
// against a raw SQLite baseline (INSERT OR REPLACE of the same row, own transaction, same
// pragmas, fresh file) measured in the same process, interleaved in rounds because machines
// here are noisy. Default dirs: QDir::tempPath() (the normal disk) and /dev/shm (tmpfs) if present.
#include "store/devicestore.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QUuid>

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace kerbside;

namespace {

constexpr int kResponses = 10000;
constexpr int kAnswersEach = 20;
constexpr int kCalls = 2000;
constexpr int kRounds = 4; // store and baseline alternate, kCalls / kRounds calls each per round

void check(int rc, sqlite3 *db, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        std::fprintf(stderr, "bench_store: %s: %s\n", what, sqlite3_errmsg(db));
        std::exit(1);
    }
}

void exec(sqlite3 *db, const char *sql)
{
    check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db, sql);
}

// Fills an existing (empty) store through a bulk path: one raw transaction.
QStringList fill(const QString &path)
{
    sqlite3 *db = nullptr;
    check(sqlite3_open(QFile::encodeName(path).constData(), &db), db, "open");
    exec(db, "BEGIN");
    sqlite3_stmt *resp = nullptr;
    sqlite3_stmt *ans = nullptr;
    check(sqlite3_prepare_v2(db,
                             "INSERT INTO responses(uuid, form_id, form_version, case_study, "
                             "enumerator, device_id, status, started_ms, ended_ms, updated_ms, "
                             "synced) VALUES (?, 'voxpop', '1', ?, 'ana', 'tab', ?, ?, ?, ?, ?)",
                             -1, &resp, nullptr),
          db, "prepare");
    check(sqlite3_prepare_v2(db, "INSERT INTO answers VALUES (?, ?, ?)", -1, &ans, nullptr), db,
          "prepare");
    QStringList drafts;
    const qint64 t0 = QDateTime::currentMSecsSinceEpoch() - qint64(kResponses) * 60000;
    for (int i = 0; i < kResponses; ++i) {
        const QByteArray uuid = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
        const bool draft = i % 100 == 0; // 100 drafts, the rest finalised (half synced)
        if (draft)
            drafts << QString::fromLatin1(uuid);
        const QByteArray caseStudy = i % 3 ? "leith" : "govan";
        sqlite3_bind_text(resp, 1, uuid.constData(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(resp, 2, caseStudy.constData(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(resp, 3, draft ? "draft" : "complete", -1, SQLITE_STATIC);
        sqlite3_bind_int64(resp, 4, t0 + i * 60000LL);
        if (draft)
            sqlite3_bind_null(resp, 5);
        else
            sqlite3_bind_int64(resp, 5, t0 + i * 60000LL + 50000);
        sqlite3_bind_int64(resp, 6, t0 + i * 60000LL + 50000);
        sqlite3_bind_int(resp, 7, i % 2);
        check(sqlite3_step(resp), db, "insert response");
        sqlite3_reset(resp);
        const qint64 id = sqlite3_last_insert_rowid(db);
        for (int q = 0; q < kAnswersEach; ++q) {
            const QByteArray question = "q" + QByteArray::number(q);
            const QByteArray value = "answer " + QByteArray::number(i * 31 + q);
            sqlite3_bind_int64(ans, 1, id);
            sqlite3_bind_text(ans, 2, question.constData(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ans, 3, value.constData(), -1, SQLITE_TRANSIENT);
            check(sqlite3_step(ans), db, "insert answer");
            sqlite3_reset(ans);
        }
    }
    sqlite3_finalize(resp);
    sqlite3_finalize(ans);
    exec(db, "COMMIT");
    sqlite3_close(db);
    return drafts;
}

struct Stats
{
    double median = 0;
    double p99 = 0;
};

Stats stats(std::vector<double> us)
{
    std::sort(us.begin(), us.end());
    return {us[us.size() / 2], us[std::min(us.size() - 1, us.size() * 99 / 100)]};
}

/** The baseline: the same row written with a plain prepared statement, own transaction. */
struct Baseline
{
    sqlite3 *db = nullptr;
    sqlite3_stmt *begin = nullptr, *upsert = nullptr, *commit = nullptr;
    explicit Baseline(const QString &path)
    {
        check(sqlite3_open(QFile::encodeName(path).constData(), &db), db, "open baseline");
        exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
                 "CREATE TABLE answers(response_id INTEGER NOT NULL, question TEXT NOT NULL, "
                 "value TEXT NOT NULL, PRIMARY KEY (response_id, question)) WITHOUT ROWID");
        sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, nullptr);
        sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO answers VALUES (?, ?, ?)", -1, &upsert,
                           nullptr);
        sqlite3_prepare_v2(db, "COMMIT", -1, &commit, nullptr);
    }
    ~Baseline()
    {
        sqlite3_finalize(begin);
        sqlite3_finalize(upsert);
        sqlite3_finalize(commit);
        sqlite3_close(db);
    }
    void write(qint64 id, const QByteArray &question, const QByteArray &value)
    {
        check(sqlite3_step(begin), db, "begin");
        sqlite3_reset(begin);
        sqlite3_bind_int64(upsert, 1, id);
        sqlite3_bind_text(upsert, 2, question.constData(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(upsert, 3, value.constData(), -1, SQLITE_TRANSIENT);
        check(sqlite3_step(upsert), db, "upsert");
        sqlite3_reset(upsert);
        check(sqlite3_step(commit), db, "commit");
        sqlite3_reset(commit);
    }
};

double msSince(const QElapsedTimer &t)
{
    return double(t.nsecsElapsed()) / 1e6;
}

void benchIn(const QString &parent)
{
    QTemporaryDir dir(QDir(parent).filePath(QStringLiteral("bench_store-XXXXXX")));
    if (!dir.isValid()) {
        std::printf("skipping %s: cannot make a temporary dir\n", qPrintable(parent));
        return;
    }
    const QString path = dir.filePath(QStringLiteral("store.sqlite"));
    std::printf("\n== store in %s\n", qPrintable(dir.path()));

    QElapsedTimer t;
    t.start();
    DeviceStore::open(path).reset(); // creates the schema
    const QStringList drafts = fill(path);
    std::printf("fill %d responses x %d answers (bulk, one transaction): %.0f ms, file %.1f MB\n",
                kResponses, kAnswersEach, msSince(t),
                double(QFileInfo(path).size()) / (1024 * 1024));

    t.restart();
    auto store = DeviceStore::open(path);
    std::printf("open (header check, schema check, WAL): %.2f ms\n", msSince(t));
    t.restart();
    const StoreCounts c = store->counts();
    std::printf("counts(): %.2f ms (all %d, drafts %d, waiting %d)\n", msSince(t), c.all, c.drafts,
                c.waiting);
    t.restart();
    const int listed = int(store->responses().size());
    std::printf("responses() listing %d: %.2f ms\n", listed, msSince(t));
    t.restart();
    const OutboxBatch batch = store->outbox(500);
    std::printf("outbox(500) with answers: %.2f ms (%d responses)\n", msSince(t),
                int(batch.responses.size()));

    Baseline baseline(dir.filePath(QStringLiteral("baseline.sqlite")));
    std::vector<double> storeUs, baseUs;
    storeUs.reserve(kCalls);
    baseUs.reserve(kCalls);
    int call = 0, baseCall = 0;
    for (int round = 0; round < kRounds; ++round) {
        for (int i = 0; i < kCalls / kRounds; ++i, ++call) {
            // Updates of existing answers and inserts of new questions, over 100 drafts.
            const QString uuid = drafts[call % drafts.size()];
            const QString question = QStringLiteral("q%1").arg(call % 30);
            const QString value = QStringLiteral("value %1").arg(call);
            QElapsedTimer one;
            one.start();
            store->setAnswer(uuid, question, value);
            storeUs.push_back(double(one.nsecsElapsed()) / 1e3);
        }
        for (int i = 0; i < kCalls / kRounds; ++i, ++baseCall) {
            const QByteArray question = "q" + QByteArray::number(baseCall % 30);
            const QByteArray value = "value " + QByteArray::number(baseCall);
            QElapsedTimer one;
            one.start();
            baseline.write(baseCall % 100, question, value);
            baseUs.push_back(double(one.nsecsElapsed()) / 1e3);
        }
    }
    const Stats s = stats(storeUs);
    const Stats b = stats(baseUs);
    std::printf("setAnswer x %d   : median %8.1f us, p99 %8.1f us\n", kCalls, s.median, s.p99);
    std::printf("raw baseline x %d: median %8.1f us, p99 %8.1f us\n", kCalls, b.median, b.p99);
    std::printf("ratio store/baseline: median %.2f, p99 %.2f\n", s.median / b.median,
                s.p99 / b.p99);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList dirs = app.arguments().mid(1);
    if (dirs.isEmpty()) {
        dirs << QDir::tempPath();
        if (QFileInfo(QStringLiteral("/dev/shm")).isWritable())
            dirs << QStringLiteral("/dev/shm");
    }
    try {
        for (const QString &d : dirs)
            benchIn(d);
    } catch (const StoreError &e) {
        std::fprintf(stderr, "bench_store: %s\n", e.what());
        return 1;
    }
    return 0;
}
