// SPDX-License-Identifier: Apache-2.0
// The outbox journal end to end (label "security"): a tablet finalises interviews, its store is
// destroyed, `kerbside rescue` rebuilds a batch file from the journal, and `kerbside import`
// into a real collector holds every response with its answers; the journal shrinks only once
// the collector has acknowledged.
#include "collectorstore.h"
#include "store/outboxjournal.h"
#include "test_syncclient_harness.h"

#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QSet>

using namespace kerbside;
using namespace kerbside::test;

namespace {

const QString kCase = QStringLiteral("north");

} // namespace

TEST_CASE("a destroyed store loses nothing finalised: rescue from the journal, import, all there",
          "[rescue][security]")
{
    QTemporaryDir dir {scratchTemplate()};
    REQUIRE(dir.isValid());
    Collector collector(dir.path());
    collector.addCaseStudy(kCase, QStringLiteral("North estate"));
    collector.publish(voxpopPath(), {kCase});
    REQUIRE(collector.start());

    auto device = std::make_unique<Device>(dir.path(), QStringLiteral("tab"));
    device->engine().enrol(collector.url(), collector.enrolmentCode(kCase));
    // Five acknowledged by a sync, then 25 finalised that never reach the collector.
    device->addInterviews(5, kCase, 7);
    REQUIRE(device->engine().syncNow().accepted == 5);
    const QStringList waiting = device->addInterviews(25, kCase, 8);
    QMap<QString, QMap<QString, QString>> answers;
    for (const QString &uuid : waiting)
        answers.insert(uuid, device->store().response(uuid)->answers);
    const QString storePath = device->storePath();
    const QString journal = OutboxJournal::pathFor(storePath);
    const OutboxJournal::ReadResult before = OutboxJournal::read(journal);
    CHECK(before.damagedRecords == 0);
    CHECK(before.entries.size() == 25); // the five acknowledged were compacted away
    const QString formsDir = device->formsDir();
    device.reset();

    // The store and its WAL are destroyed (random bytes over all of it).
    for (const QString &p : {storePath, storePath + QStringLiteral("-wal")}) {
        QFile f(p);
        if (!f.exists())
            continue;
        const qint64 size = f.size();
        REQUIRE(f.open(QIODevice::WriteOnly));
        QByteArray junk(size, '\0');
        for (qsizetype i = 0; i < junk.size(); ++i)
            junk[i] = char((i * 2654435761u) >> 13);
        f.write(junk);
    }

    const QString batch = QDir(dir.path()).filePath(QStringLiteral("rescued.kbatch"));
    int code = -1;
    QString stdErr;
    const QString out = runKerbside({QStringLiteral("rescue"), QStringLiteral("--journal"), journal,
                                     QStringLiteral("--out"), batch, QStringLiteral("--forms"), formsDir},
                                    &code, &stdErr);
    INFO(out.toStdString() << stdErr.toStdString());
    REQUIRE(code == 0);
    CHECK(out.contains(QStringLiteral("25 responses")));

    const QString imported = collector.importFile(batch, &code);
    INFO(imported.toStdString());
    REQUIRE(code == 0);
    CHECK(imported.contains(QStringLiteral("25 accepted")));

    auto store = openCollectorStore(collector.dbPath());
    CHECK(store->responseCount(kCase) == 30);
    QSet<QString> found;
    store->forEachResponse(kCase, [&](const StoredResponse &r) {
        if (answers.contains(r.meta.uuid)) {
            found.insert(r.meta.uuid);
            QMap<QString, QString> got;
            for (const TypedAnswer &a : r.answers)
                got.insert(a.question, a.value);
            CHECK(got == answers.value(r.meta.uuid));
        }
        return true;
    });
    CHECK(found.size() == 25);

    // Importing the rescued batch again changes nothing.
    CHECK(collector.importFile(batch, &code).contains(QStringLiteral("imported before")));
    CHECK(openCollectorStore(collector.dbPath())->responseCount(kCase) == 30);
}

TEST_CASE("the journal: every finalise is in it, a damaged record is skipped, acknowledged ones go",
          "[rescue][store][security]")
{
    QTemporaryDir dir;
    Device device(dir.path(), QStringLiteral("tab"));
    const QStringList uuids = device.addInterviews(4, kCase, 3);
    const QString journal = OutboxJournal::pathFor(device.storePath());
    OutboxJournal::ReadResult r = OutboxJournal::read(journal);
    REQUIRE(r.entries.size() == 4);
    CHECK(r.entries[2].response.meta.uuid == uuids[2]);
    CHECK(r.entries[2].response.answers == device.store().response(uuids[2])->answers);
    CHECK(r.entries[2].response.meta.status == ResponseStatus::Complete);

    // A reopened and finalised response is journalled again, at its new revision.
    device.store().reopen(uuids[0]);
    device.store().setAnswer(uuids[0], QStringLiteral("comment"), QStringLiteral("second thoughts"));
    device.store().finalise(uuids[0], ResponseStatus::Complete);
    r = OutboxJournal::read(journal);
    REQUIRE(r.entries.size() == 5);
    CHECK(r.entries[4].response.meta.revision == 2);

    // Acknowledging revision 1 of uuids[0] (now at 2) and uuids[1] drops only uuids[1].
    device.store().acknowledgeRevisions({{uuids[0], 1}, {uuids[1], 1}}, {});
    r = OutboxJournal::read(journal);
    QStringList left;
    for (const auto &e : r.entries)
        left << e.response.meta.uuid + QLatin1Char('#') + QString::number(e.response.meta.revision);
    CHECK(left == QStringList {uuids[0] + "#1", uuids[2] + "#1", uuids[3] + "#1", uuids[0] + "#2"});

    // A flipped byte in one record: that record is skipped, the others read.
    QFile f(journal);
    REQUIRE(f.open(QIODevice::ReadWrite));
    QByteArray bytes = f.readAll();
    const qsizetype second = bytes.indexOf("KBR1", bytes.indexOf("KBR1") + 1);
    bytes[second + 40] = char(bytes[second + 40] ^ 0x20);
    f.seek(0);
    f.write(bytes);
    f.close();
    r = OutboxJournal::read(journal);
    CHECK(r.damagedRecords == 1);
    CHECK(r.entries.size() == 3);
    // A torn last record (a crash mid-append) is dropped too.
    REQUIRE(f.open(QIODevice::Append));
    f.write("KBR1\x10\x00\x00\x00", 8);
    f.close();
    CHECK(OutboxJournal::read(journal).entries.size() == 3);

    // Everything acknowledged: the journal holds no response any more.
    QMap<QString, int> all;
    for (const QString &u : uuids)
        all.insert(u, device.store().response(u)->meta.revision);
    device.store().acknowledgeRevisions(all, {});
    CHECK(OutboxJournal::read(journal).entries.isEmpty());
}
