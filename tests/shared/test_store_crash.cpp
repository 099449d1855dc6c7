// SPDX-License-Identifier: Apache-2.0
// Kills a real writer process (store_crash_writer) with SIGKILL at random moments, over and over
// on one store file, and checks after each kill that every write it had confirmed is there.
#include <catch2/catch.hpp>

#include "store/devicestore.h"

#include <QElapsedTimer>
#include <QFile>
#include <QMap>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>

#include <sqlite3.h>

using namespace kerbside;

namespace {

/** What the parent knows about one response from the writer's confirmed lines. */
struct Expected
{
    QMap<QString, QString> answers;
    bool finalised = false;
    // The write that was under way at the kill: it may or may not have landed.
    QString pendingQuestion;
    QString pendingValue;
    bool pendingFinal = false;
    // Page turns: the cursor and the number of "shown" events confirmed, and one under way.
    QString cursor;
    QString pendingCursor;
    int pagesShown = 0;
};

int shownEvents(const DeviceStore &store, const QString &uuid)
{
    int n = 0;
    for (const ParadataEvent &e : store.paradata(uuid))
        n += e.kind == ParadataEvent::Kind::Shown;
    return n;
}

QString integrityCheck(const QString &path)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *stmt = nullptr;
    QString result = QStringLiteral("(failed)");
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK
        && sqlite3_step(stmt) == SQLITE_ROW)
        result = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return result;
}

} // namespace

TEST_CASE("kill -9 at random moments loses no confirmed write, page turns included", "[store][crash]")
{
    QTemporaryDir dir; // on the normal disk (/tmp here), so fsync is real
    const QString path = dir.filePath(QStringLiteral("crash.sqlite"));
    QMap<QString, Expected> expected;
    QRandomGenerator random(20240503); // seeded: the same kill moments each run
    const int kills = 60;
    int confirmedWrites = 0;
    int finalisedCount = 0;
    int pendingLanded = 0;
    int confirmedPages = 0;

    for (int run = 0; run < kills; ++run) {
        INFO("run " << run);
        QProcess child;
        child.setProcessChannelMode(QProcess::SeparateChannels);
        child.start(QStringLiteral(STORE_CRASH_WRITER), {path, QString::number(run)});
        REQUIRE(child.waitForStarted(10000));

        // Read until "ready", then for a random time, then SIGKILL (QProcess::kill on Unix).
        QByteArray output;
        while (!output.contains("ready\n")) {
            if (!child.waitForReadyRead(10000))
                break;
            output += child.readAllStandardOutput();
        }
        INFO(child.readAllStandardError().toStdString());
        REQUIRE(output.contains("ready\n"));
        const int delayMs = random.bounded(1, 120);
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < delayMs) {
            child.waitForReadyRead(int(qMax<qint64>(1, delayMs - timer.elapsed())));
            output += child.readAllStandardOutput();
        }
        child.kill();
        REQUIRE(child.waitForFinished(10000));
        CHECK(child.exitStatus() == QProcess::CrashExit);
        output += child.readAllStandardOutput();

        // Only whole lines count: a line cut by the kill was never confirmed.
        QList<QByteArray> lines = output.split('\n');
        lines.removeLast();
        for (const QByteArray &raw : lines) {
            const QStringList f = QString::fromUtf8(raw).split(QLatin1Char(' '));
            if (f[0] == QLatin1String("created")) {
                expected[f[1]];
            } else if (f[0] == QLatin1String("begin") && f[1] == QLatin1String("answer")) {
                Expected &e = expected[f[2]];
                e.pendingQuestion = f[3];
                e.pendingValue = f[4];
            } else if (f[0] == QLatin1String("done") && f[1] == QLatin1String("answer")) {
                Expected &e = expected[f[2]];
                e.answers[f[3]] = f[4];
                e.pendingQuestion.clear();
                ++confirmedWrites;
            } else if (f[0] == QLatin1String("begin") && f[1] == QLatin1String("page")) {
                expected[f[2]].pendingCursor = f[3];
            } else if (f[0] == QLatin1String("done") && f[1] == QLatin1String("page")) {
                Expected &e = expected[f[2]];
                e.cursor = f[3];
                e.pendingCursor.clear();
                ++e.pagesShown;
                ++confirmedPages;
            } else if (f[0] == QLatin1String("begin") && f[1] == QLatin1String("final")) {
                expected[f[2]].pendingFinal = true;
            } else if (f[0] == QLatin1String("done") && f[1] == QLatin1String("final")) {
                Expected &e = expected[f[2]];
                e.finalised = true;
                e.pendingFinal = false;
                e.answers.remove(QStringLiteral("q9"));
                ++finalisedCount;
            }
        }

        // Check the file the way the app would find it after the crash.
        auto store = DeviceStore::open(path);
        QSet<QString> outbox;
        for (const Response &r : store->outbox(1000000).responses)
            outbox.insert(r.meta.uuid);
        for (auto it = expected.begin(); it != expected.end(); ++it) {
            const QString &uuid = it.key();
            Expected &e = it.value();
            INFO("response " << uuid.toStdString());
            const std::optional<Response> got = store->response(uuid);
            REQUIRE(got);
            if (e.pendingFinal && got->meta.status == ResponseStatus::Complete) {
                e.finalised = true; // the finalise under way landed, atomically
                e.answers.remove(QStringLiteral("q9"));
            }
            if (e.finalised) {
                CHECK(got->meta.status == ResponseStatus::Complete);
                CHECK(outbox.contains(uuid));
                CHECK(!got->answers.contains(QStringLiteral("q9")));
            } else {
                CHECK(got->meta.status == ResponseStatus::Draft);
            }
            QMap<QString, QString> actual = got->answers;
            if (!e.pendingQuestion.isEmpty() && !e.finalised
                && actual.value(e.pendingQuestion) == e.pendingValue
                && e.answers.value(e.pendingQuestion) != e.pendingValue) {
                e.answers[e.pendingQuestion] = e.pendingValue; // it landed before the kill
                ++pendingLanded;
            }
            CHECK(actual == e.answers);
            // Page turns (synchronous=NORMAL) survive a kill as answers do: every confirmed
            // "shown" event is there, and the one under way at most once more.
            const int shown = shownEvents(*store, uuid);
            if (!e.pendingCursor.isEmpty() && shown == e.pagesShown + 1) {
                ++e.pagesShown; // it landed before the kill
                e.cursor = e.pendingCursor;
            }
            CHECK(shown == e.pagesShown);
            if (!e.finalised)
                CHECK(got->meta.cursor == e.cursor);
            e.pendingQuestion.clear();
            e.pendingCursor.clear();
            e.pendingFinal = false;
        }
        if (!expected.isEmpty()) {
            const QString someFinal = outbox.isEmpty() ? QString() : *outbox.begin();
            if (!someFinal.isEmpty()) {
                try {
                    store->setAnswer(someFinal, QStringLiteral("q0"), QStringLiteral("late"));
                    FAIL("a finalised response accepted an answer");
                } catch (const StoreError &err) {
                    CHECK(err.code() == StoreError::Code::Locked);
                }
            }
        }
        store.reset();
        CHECK(integrityCheck(path) == QLatin1String("ok"));
    }
    // The test means something only if the writer got work done between kills.
    CHECK(confirmedWrites > kills);
    CHECK(finalisedCount > 0);
    CHECK(confirmedPages > kills);
    WARN("kills: " << kills << ", confirmed answers: " << confirmedWrites << ", finalised: "
                   << finalisedCount << ", in-flight writes found landed: " << pendingLanded
                   << ", responses: " << expected.size());
}
