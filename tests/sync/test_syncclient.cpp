// SPDX-License-Identifier: Apache-2.0
// The device-side sync client against a real `kerbside serve` on 127.0.0.1: enrolment, batches,
// exactly-once resends, USB batch files, revisions, conflicts, rejections, form downloads.
#include <catch2/catch.hpp>

#include "faultproxy.h"
#include "test_syncclient_harness.h"

#include "batchcodec.h"
#include "batchfile.h"
#include "collectorstore.h"
#include "formdirectory.h"
#include "interview/interviewsession.h"
#include "synchttp.h"
#include "syncsettings.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <thread>

using namespace kerbside;
using namespace kerbside::test;

namespace {

const QString kCase = QStringLiteral("north");
const QString kOther = QStringLiteral("south");

// Fast retries: the tests cut connections on purpose.
SyncOptions quickOptions(int batch = 500)
{
    SyncOptions o;
    o.maxBatchResponses = batch;
    o.maxAttempts = 4;
    o.initialBackoff = std::chrono::milliseconds(20);
    o.maxBackoff = std::chrono::milliseconds(200);
    o.connectTimeout = std::chrono::milliseconds(3000);
    o.readTimeout = std::chrono::milliseconds(10000);
    return o;
}

/** A collector with two case studies and the vox-pop form published to both. */
struct World
{
    QTemporaryDir dir{scratchTemplate()};
    Collector collector{dir.path()};
    World()
    {
        REQUIRE(dir.isValid());
        collector.addCaseStudy(kCase, QStringLiteral("North estate"));
        collector.addCaseStudy(kOther, QStringLiteral("South estate"));
        collector.publish(voxpopPath(), {kCase, kOther});
        REQUIRE(collector.start());
    }
    std::unique_ptr<Device> device(const QString &name, const QString &caseStudy = kCase, SyncOptions o = quickOptions())
    {
        auto d = std::make_unique<Device>(dir.path(), name, o);
        d->engine().enrol(collector.url(), collector.enrolmentCode(caseStudy));
        return d;
    }
    std::unique_ptr<CollectorStore> store() { return openCollectorStore(collector.dbPath()); }
};

QStringList syncedStates(DeviceStore &store, const QStringList &uuids)
{
    QStringList states;
    for (const QString &u : uuids) {
        const auto r = store.response(u);
        states << (r ? (r->meta.synced ? QStringLiteral("synced") : QStringLiteral("waiting")) : QStringLiteral("missing"));
    }
    return states;
}

} // namespace

TEST_CASE("backoff doubles from its start up to its cap, with bounded jitter", "[sync][client]")
{
    SyncOptions o;
    o.initialBackoff = std::chrono::milliseconds(100);
    o.maxBackoff = std::chrono::milliseconds(1000);
    for (int i = 0; i < 50; ++i) {
        CHECK(SyncHttp::backoff(o, 1).count() >= 80);
        CHECK(SyncHttp::backoff(o, 1).count() <= 120);
        CHECK(SyncHttp::backoff(o, 3).count() >= 320);
        CHECK(SyncHttp::backoff(o, 3).count() <= 480);
        CHECK(SyncHttp::backoff(o, 30).count() <= 1200); // capped, never overflowing
        CHECK(SyncHttp::backoff(o, 30).count() >= 800);
    }
}

TEST_CASE("a bad collector address is refused in plain words", "[sync][client]")
{
    for (const QString &url : {QStringLiteral("ftp://example.org"), QStringLiteral("not a url"), QString()}) {
        try {
            SyncHttp http(url, SyncOptions{});
            FAIL("accepted " << url.toStdString());
        } catch (const SyncError &e) {
            CHECK(e.code() == SyncError::Code::Address);
            CHECK(e.message().contains(QStringLiteral("not of the form")));
        }
    }
}

TEST_CASE("an unenrolled tablet does not sync and keeps everything", "[sync][client]")
{
    QTemporaryDir dir{scratchTemplate()};
    Device d(dir.path(), QStringLiteral("tablet"), quickOptions());
    d.addInterviews(3, kCase);
    const SyncReport r = d.engine().syncNow();
    CHECK(r.result == SyncReport::Result::NotEnrolled);
    CHECK_FALSE(r.ok());
    CHECK(d.outboxSize() == 3);
    CHECK(r.summary().contains(QStringLiteral("not enrolled")));
}

TEST_CASE("enrolment stores the device id, token and case studies, and a used code is refused", "[sync][client]")
{
    World w;
    QTemporaryDir dir{scratchTemplate()};
    Device d(dir.path(), QStringLiteral("tablet"), quickOptions());
    const QString code = w.collector.enrolmentCode(kCase);
    const EnrolResult e = d.engine().enrol(w.collector.url(), code);
    CHECK(e.deviceId.startsWith(QStringLiteral("dev-")));
    REQUIRE(e.caseStudies.size() == 1);
    CHECK(e.caseStudies.first().first == kCase);
    CHECK(d.store().setting(syncsettings::deviceId) == e.deviceId);
    CHECK(d.store().setting(syncsettings::collectorUrl) == w.collector.url());
    const QString token = d.store().setting(syncsettings::deviceToken);
    CHECK(token.size() >= 32);
    CHECK(d.store().setting(syncsettings::caseStudies).contains(kCase));
    CHECK(d.engine().isEnrolled());

    // Single use: a second tablet typing the same code is refused in the collector's words.
    Device other(dir.path(), QStringLiteral("other"), quickOptions());
    try {
        other.engine().enrol(w.collector.url(), code);
        FAIL("a used code was accepted");
    } catch (const SyncError &err) {
        CHECK(err.code() == SyncError::Code::Refused);
        CHECK(err.message().contains(QStringLiteral("enrolment code")));
    }
    CHECK(other.store().setting(syncsettings::deviceToken).isEmpty());

    // The token (and the code) never reach the collector's log.
    d.addInterviews(2, kCase);
    CHECK(d.engine().syncNow().result == SyncReport::Result::Ok);
    const QString log = w.collector.serverLog();
    CHECK_FALSE(log.isEmpty());
    CHECK_FALSE(log.contains(token));
    CHECK_FALSE(log.contains(code));
}

TEST_CASE("the outbox goes in batches of at most the limit and is marked only once acknowledged",
          "[sync][client]")
{
    World w;
    auto d = w.device(QStringLiteral("tablet"), kCase, quickOptions(40));
    const QStringList uuids = d->addInterviews(100, kCase);
    d->store().logContact(ContactEntry{{}, kCase, QStringLiteral("e1"), {}, QDateTime::currentDateTimeUtc(),
                                       {}, Disposition::NotResident, {}, {}, QStringLiteral("flat 3"), false});
    REQUIRE(d->outboxSize() == 101);

    QList<SyncProgress> progress;
    d->engine().setProgressHook([&](const SyncProgress &p) { progress.append(p); });
    const SyncReport r = d->engine().syncNow();
    INFO(r.summary().toStdString());
    CHECK(r.result == SyncReport::Result::Ok);
    CHECK(r.batches == 3); // 40 + 40 + 20 responses; the contact rides in the first
    CHECK(r.sent == 101);
    CHECK(r.accepted == 101);
    CHECK(r.duplicates == 0);
    CHECK(r.rejected == 0);
    CHECK(r.waiting == 0);
    CHECK(d->outboxSize() == 0);
    CHECK(syncedStates(d->store(), uuids) == QStringList(100, QStringLiteral("synced")));
    CHECK(d->store().setting(syncsettings::pendingBatch).isEmpty());
    CHECK(d->store().setting(syncsettings::sequence) == QStringLiteral("3"));
    REQUIRE_FALSE(progress.isEmpty());
    CHECK(progress.last().phase == SyncProgress::Phase::Finished);
    CHECK(progress.last().done == 101);
    CHECK(progress.last().total == 101);

    const CollectorStatus s = d->engine().status();
    CHECK(s.batches == 3);
    CHECK(s.lastSequence == 3);
    CHECK(s.missingSequences.isEmpty());
    auto store = w.store();
    CHECK(store->responseCount(kCase) == 100);
    CHECK(store->contactCount(kCase) == 1);

    // Nothing new: nothing sent, the sequence does not move.
    const SyncReport again = d->engine().syncNow();
    CHECK(again.result == SyncReport::Result::NothingToDo);
    CHECK(again.sent == 0);
    CHECK(d->store().setting(syncsettings::sequence) == QStringLiteral("3"));
}

TEST_CASE("an answer lost after the collector merged is recovered by re-sending the same batch",
          "[sync][client]")
{
    World w;
    // The device talks to the collector through a proxy that drops every answer.
    FaultProxy proxy(w.collector.port(), 7, 0.0);
    auto d = w.device(QStringLiteral("tablet"));
    d->store().setSetting(syncsettings::collectorUrl, QStringLiteral("http://127.0.0.1:%1").arg(proxy.port()));
    const QStringList uuids = d->addInterviews(30, kCase);
    proxy.forceFault(FaultProxy::Fault::AfterRequest);

    const SyncReport cut = d->engine().syncNow();
    CHECK(cut.result == SyncReport::Result::Failed);
    CHECK(cut.retries == quickOptions().maxAttempts - 1);
    CHECK(cut.error.contains(QStringLiteral("could not reach the collector")));
    // The collector merged it (once) but the device never heard: nothing is marked.
    CHECK(d->outboxSize() == 30);
    CHECK(syncedStates(d->store(), uuids) == QStringList(30, QStringLiteral("waiting")));
    const QByteArray pending = QByteArray::fromBase64(d->store().setting(syncsettings::pendingBatch).toLatin1());
    REQUIRE_FALSE(pending.isEmpty());
    const IncomingBatch sent = BatchCodec::decode(pending);
    CHECK(sent.header.sequence == 1);
    CHECK(w.store()->responseCount() == 30);
    CHECK(w.store()->batchCount() == 1); // four attempts, one batch in the log

    // The link heals: the same batch UUID goes again and the stored acknowledgement comes back.
    proxy.forceFault(FaultProxy::Fault::None);
    const SyncReport healed = d->engine().syncNow();
    INFO(healed.summary().toStdString());
    CHECK(healed.result == SyncReport::Result::Ok);
    CHECK(healed.batches == 1);
    CHECK(healed.accepted == 30); // the acknowledgement as first given, not "duplicate"
    CHECK(d->outboxSize() == 0);
    CHECK(d->store().setting(syncsettings::pendingBatch).isEmpty());
    CHECK(d->store().setting(syncsettings::sequence) == QStringLiteral("1")); // no new batch was built
    CHECK(w.store()->batchCount() == 1);
    CHECK(w.store()->responseCount() == 30);

    // Re-sending those bytes once more gets a byte-identical acknowledgement and changes nothing.
    SyncHttp http(w.collector.url(), quickOptions());
    http.setToken(d->store().setting(syncsettings::deviceToken));
    const SyncHttp::Reply first = http.post(QStringLiteral("/v1/batches"), pending);
    const SyncHttp::Reply second = http.post(QStringLiteral("/v1/batches"), pending);
    CHECK(first.status == 200);
    CHECK(first.body == second.body);
    CHECK(w.store()->batchCount() == 1);
    CHECK(w.store()->responseCount() == 30);
}

TEST_CASE("a batch persisted before the collector was reachable keeps its UUID across restarts",
          "[sync][client]")
{
    World w;
    auto d = w.device(QStringLiteral("tablet"));
    const QString url = w.collector.url();
    d->addInterviews(12, kCase);
    w.collector.stop();
    const SyncReport down = d->engine().syncNow();
    CHECK(down.result == SyncReport::Result::Failed);
    const QString pending = d->store().setting(syncsettings::pendingBatch);
    REQUIRE_FALSE(pending.isEmpty());
    const QString batchUuid = BatchCodec::decode(QByteArray::fromBase64(pending.toLatin1())).header.batchUuid;

    // New interviews while offline do not change the pending batch: it goes first, as it was.
    d->addInterviews(5, kCase, 2);
    const SyncReport stillDown = d->engine().syncNow();
    CHECK(stillDown.result == SyncReport::Result::Failed);
    CHECK(d->store().setting(syncsettings::pendingBatch) == pending);

    REQUIRE(w.collector.start());
    d->store().setSetting(syncsettings::collectorUrl, w.collector.url()); // a new port
    CHECK(url != QString()); // (the old address is gone with the old process)
    const SyncReport up = d->engine().syncNow();
    INFO(up.summary().toStdString());
    CHECK(up.result == SyncReport::Result::Ok);
    CHECK(up.batches == 2);
    CHECK(up.sent == 17);
    CHECK(d->outboxSize() == 0);
    CHECK(d->store().setting(syncsettings::sequence) == QStringLiteral("2"));
    bool found = false;
    auto store = w.store();
    store->forEachResponse(kCase, [&](const StoredResponse &r) {
        found = found || r.batchUuid == batchUuid;
        return true;
    });
    CHECK(found);
    CHECK(store->responseCount() == 17);
}

TEST_CASE("the same responses by USB file and by network are held once, and late files are duplicates",
          "[sync][client][usb]")
{
    World w;
    auto d = w.device(QStringLiteral("tablet"));
    const QStringList first = d->addInterviews(20, kCase);
    const QString file = QDir(w.dir.path()).filePath(QStringLiteral("stick/tablet.kbatch"));
    QDir().mkpath(QFileInfo(file).path());

    const SyncReport written = d->engine().writeBatchFile(file);
    INFO(written.error.toStdString());
    REQUIRE(written.ok());
    CHECK(written.sent == 20);
    CHECK(d->outboxSize() == 20); // a file is not an acknowledgement
    CHECK(QFile::exists(file));
    CHECK_FALSE(QFile::exists(file + QStringLiteral(".tmp")));

    int exit = -1;
    const QString imported = w.collector.importFile(file, &exit);
    INFO(imported.toStdString());
    CHECK(exit == 0);
    CHECK(w.store()->responseCount(kCase) == 20);

    // The network sync finds them held: duplicates, marked synced, not copied.
    const SyncReport net = d->engine().syncNow();
    CHECK(net.result == SyncReport::Result::Ok);
    CHECK(net.duplicates == 20);
    CHECK(net.accepted == 0);
    CHECK(d->outboxSize() == 0);
    CHECK(w.store()->responseCount(kCase) == 20);

    // Out of order: a file written (sequence 3) but carried in only after a later network
    // batch (sequence 4) brought the same responses.
    const QStringList second = d->addInterviews(10, kCase, 3);
    const QString late = QDir(w.dir.path()).filePath(QStringLiteral("stick/late.kbatch"));
    REQUIRE(d->engine().writeBatchFile(late).ok());
    const SyncReport net2 = d->engine().syncNow();
    CHECK(net2.accepted == 10);
    CHECK(d->outboxSize() == 0);
    const QString lateOut = w.collector.importFile(late, &exit);
    INFO(lateOut.toStdString());
    CHECK(exit == 0);
    auto store = w.store();
    CHECK(store->responseCount(kCase) == 30);
    CHECK(store->conflicts().isEmpty());
    const CollectorStatus s = d->engine().status();
    CHECK(s.lastSequence == 4);
    CHECK(s.missingSequences.isEmpty());
    CHECK(syncedStates(d->store(), first + second) == QStringList(30, QStringLiteral("synced")));
}

TEST_CASE("an acknowledgement file for an imported batch marks exactly what it acknowledges", "[sync][client][usb]")
{
    World w;
    auto d = w.device(QStringLiteral("tablet"));
    const QStringList uuids = d->addInterviews(6, kCase);
    const QString file = QDir(w.dir.path()).filePath(QStringLiteral("tablet.kbatch"));
    REQUIRE(d->engine().writeBatchFile(file).ok());
    int exit = -1;
    w.collector.importFile(file, &exit);
    REQUIRE(exit == 0);
    // `kerbside import` has no --ack-out yet: the collector's stored acknowledgement of the
    // imported batch is what such a file would hold (a re-sent batch gets it byte for byte).
    QFile in(file);
    REQUIRE(in.open(QIODevice::ReadOnly));
    const QByteArray batch = BatchFile::unwrap(in.readAll());
    SyncHttp http(w.collector.url(), quickOptions());
    http.setToken(d->store().setting(syncsettings::deviceToken));
    const SyncHttp::Reply ack = http.post(QStringLiteral("/v1/batches"), batch);
    REQUIRE(ack.status == 200);
    const QString ackFile = QDir(w.dir.path()).filePath(QStringLiteral("tablet.kack"));
    QFile out(ackFile);
    REQUIRE(out.open(QIODevice::WriteOnly));
    out.write(ack.body);
    out.close();

    // A response reopened and finalised again since the file was written stays in the outbox.
    d->store().reopen(uuids.first());
    d->store().finalise(uuids.first(), ResponseStatus::Complete);
    const SyncReport r = d->engine().applyAcknowledgementFile(ackFile);
    INFO(r.error.toStdString());
    CHECK(r.ok());
    CHECK(r.accepted == 6);
    CHECK(d->outboxSize() == 1);
    CHECK(syncedStates(d->store(), uuids.mid(1)) == QStringList(5, QStringLiteral("synced")));
    CHECK(d->engine().applyAcknowledgementFile(file).result == SyncReport::Result::Failed); // not an ack
    CHECK(d->outboxSize() == 1);
}

TEST_CASE("an empty outbox writes no batch file", "[sync][client][usb]")
{
    World w;
    auto d = w.device(QStringLiteral("tablet"));
    const QString file = QDir(w.dir.path()).filePath(QStringLiteral("empty.kbatch"));
    CHECK(d->engine().writeBatchFile(file).result == SyncReport::Result::NothingToDo);
    CHECK_FALSE(QFile::exists(file));
}

TEST_CASE("a reopened response goes as a new revision and replaces the collector's copy", "[sync][client]")
{
    World w;
    auto d = w.device(QStringLiteral("tablet"));
    auto session = InterviewSession::start(d->store(), voxpopForm(),
                                           NewResponse{voxpopForm().id, voxpopForm().version, kCase,
                                                       QStringLiteral("e1"), d->store().setting(syncsettings::deviceId),
                                                       QStringLiteral("en"), {}, {}});
    QRandomGenerator random(5);
    const QMap<QString, QString> answers = voxpopAnswers(random);
    for (auto it = answers.cbegin(); it != answers.cend(); ++it) {
        if (it.key() != QLatin1String("involved_any"))
            session->answer(it.key(), it.value());
    }
    session->answer(QStringLiteral("years_in_area"), QStringLiteral("12"));
    ResponseStatus status = ResponseStatus::Draft;
    const QList<FinaliseIssue> issues = session->finalise(&status);
    REQUIRE(issues.isEmpty());
    const QString uuid = session->uuid();
    session.reset();
    CHECK(d->engine().syncNow().accepted == 1);

    d->store().reopen(uuid);
    CHECK(d->outboxSize() == 0); // a draft again: not sent half-edited
    d->store().setAnswer(uuid, QStringLiteral("years_in_area"), QStringLiteral("13"));
    d->store().finalise(uuid, ResponseStatus::Complete);
    CHECK(d->outboxSize() == 1);
    const SyncReport r = d->engine().syncNow();
    CHECK(r.accepted == 1);
    CHECK(r.conflicts == 0);
    CHECK(d->outboxSize() == 0);
    CHECK(d->store().response(uuid)->meta.revision == 2);

    auto store = w.store();
    CHECK(store->responseCount() == 1);
    int seen = 0;
    store->forEachResponse(kCase, [&](const StoredResponse &s) {
        ++seen;
        CHECK(s.meta.uuid == uuid);
        CHECK(s.meta.revision == 2);
        CHECK(s.versions == 2);
        for (const TypedAnswer &a : s.answers) {
            if (a.question == QLatin1String("years_in_area"))
                CHECK(a.value == QStringLiteral("13"));
        }
        return true;
    });
    CHECK(seen == 1);
}

TEST_CASE("a tablet restored from a backup sends the same revision with other answers: a conflict",
          "[sync][client]")
{
    World w;
    QStringList uuids;
    auto d = w.device(QStringLiteral("tablet"));
    NewResponse nr{voxpopForm().id, voxpopForm().version, kCase, QStringLiteral("e1"),
                   d->store().setting(syncsettings::deviceId), QStringLiteral("en"), {}, {}};
    const QString uuid = d->store().createResponse(nr);
    d->store().setAnswer(uuid, QStringLiteral("consent"), QStringLiteral("yes"));
    d->store().setAnswer(uuid, QStringLiteral("aware"), QStringLiteral("no"));

    // The backup: a copy of the tablet's file while the interview was still a draft.
    const QString backupDir = QDir(w.dir.path()).filePath(QStringLiteral("restored"));
    QDir().mkpath(backupDir);
    const QString backup = QDir(backupDir).filePath(QStringLiteral("device.db"));
    // (Nothing writes while copying; the WAL holds the latest pages, so it is copied too.)
    REQUIRE(QFile::copy(d->storePath(), backup));
    if (QFile::exists(d->storePath() + QStringLiteral("-wal")))
        REQUIRE(QFile::copy(d->storePath() + QStringLiteral("-wal"), backup + QStringLiteral("-wal")));

    d->store().finalise(uuid, ResponseStatus::Complete);
    CHECK(d->engine().syncNow().accepted == 1);

    {
        auto restored = DeviceStore::open(backup);
        restored->setAnswer(uuid, QStringLiteral("aware"), QStringLiteral("yes"));
        restored->finalise(uuid, ResponseStatus::Complete);
        REQUIRE(restored->response(uuid)->meta.revision == 1);
    }
    SyncOptions o = quickOptions();
    o.formsDir = d->formsDir();
    SyncEngine restoredEngine(backup, o);
    const SyncReport r = restoredEngine.syncNow();
    INFO(r.summary().toStdString());
    CHECK(r.conflicts == 1);
    CHECK(r.accepted == 0);
    CHECK(r.summary().contains(QStringLiteral("checked by the coordinator")));
    // Held by the collector (both versions kept), so it leaves the restored tablet's outbox.
    CHECK(DeviceStore::open(backup)->outboxSize() == 0);
    const QList<ConflictRecord> conflicts = w.store()->conflicts(kCase);
    REQUIRE(conflicts.size() == 1);
    CHECK(conflicts.first().uuid == uuid);
    CHECK(conflicts.first().differences.contains(QStringLiteral("aware")));
    CHECK(w.collector.conflicts().contains(uuid));
}

TEST_CASE("a response of a case study the tablet is not enrolled in stays and is reported while the rest go",
          "[sync][client]")
{
    World w;
    auto d = w.device(QStringLiteral("tablet"), kCase);
    const QStringList ours = d->addInterviews(5, kCase);
    const QStringList stray = d->addInterviews(2, kOther, 9);
    const SyncReport r = d->engine().syncNow();
    INFO(r.summary().toStdString());
    CHECK(r.accepted == 5);
    CHECK(r.rejected == 2);
    REQUIRE(r.rejections.size() == 2);
    CHECK(r.rejections.first().reason.contains(kOther));
    CHECK(r.waiting == 2);
    CHECK(syncedStates(d->store(), ours) == QStringList(5, QStringLiteral("synced")));
    CHECK(syncedStates(d->store(), stray) == QStringList(2, QStringLiteral("waiting")));
    CHECK(r.summary().contains(QStringLiteral("kept on this tablet")));
    CHECK(w.store()->responseCount(kOther) == 0);
}

TEST_CASE("a newer form version is downloaded and a draft on the old version keeps it", "[sync][client][forms]")
{
    World w;
    auto d = w.device(QStringLiteral("tablet"));
    const QString installed = QDir(d->formsDir()).filePath(QStringLiteral("community-contracts-voxpop.json"));
    QFile f(installed);
    REQUIRE(f.open(QIODevice::ReadOnly));
    const QByteArray installedBytes = f.readAll();
    f.close();

    // Nothing new yet: the installed version is the published one.
    SyncReport r = d->engine().syncNow();
    CHECK(r.formsDownloaded.isEmpty());
    CHECK(r.formProblems.isEmpty());

    auto draft = InterviewSession::start(d->store(), voxpopForm(),
                                         NewResponse{voxpopForm().id, voxpopForm().version, kCase,
                                                     QStringLiteral("e1"), {}, QStringLiteral("en"), {}, {}});
    draft->answer(QStringLiteral("consent"), QStringLiteral("yes"));
    const QString draftUuid = draft->uuid();
    draft.reset();

    const QString newer = QStringLiteral("2026120101");
    const QString newFile = QDir(w.dir.path()).filePath(QStringLiteral("voxpop-newer.json"));
    QFile out(newFile);
    REQUIRE(out.open(QIODevice::WriteOnly));
    out.write(voxpopJsonWithVersion(newer));
    out.close();
    w.collector.publish(newFile, {kCase});

    r = d->engine().syncNow();
    INFO(r.formProblems.join(QStringLiteral("; ")).toStdString());
    CHECK(r.formsDownloaded == QStringList{voxpopForm().id + QStringLiteral(" ") + newer});
    CHECK(r.summary().contains(QStringLiteral("1 new form downloaded")));
    const QString saved = QDir(d->formsDir()).filePath(FormDirectory::fileName(voxpopForm().id, newer));
    CHECK(QFile::exists(saved));
    // The old version is untouched, and the draft still opens on it.
    REQUIRE(f.open(QIODevice::ReadOnly));
    CHECK(f.readAll() == installedBytes);
    f.close();
    FormDirectory forms(d->formsDir());
    CHECK(forms.find(voxpopForm().id, voxpopForm().version) != nullptr);
    CHECK(forms.find(voxpopForm().id, newer) != nullptr);
    CHECK(d->store().response(draftUuid)->meta.formVersion == voxpopForm().version);
    auto resumed = InterviewSession::resume(d->store(), *forms.find(voxpopForm().id, voxpopForm().version), draftUuid);
    CHECK(resumed->interview().answer(QStringLiteral("consent")) == QStringLiteral("yes"));

    // Once held, a version is not fetched again.
    CHECK(d->engine().syncNow().formsDownloaded.isEmpty());
}

TEST_CASE("a form that would land outside the forms folder or arrives damaged is refused", "[sync][client][forms]")
{
    QTemporaryDir dir{scratchTemplate()};
    FormDirectory forms(dir.path());
    const QByteArray json = voxpopJsonWithVersion(QStringLiteral("2026120101"));
    CHECK(forms.save(QStringLiteral("../evil"), QStringLiteral("1"), json, {}).contains(QStringLiteral("file name")));
    CHECK(forms.save(voxpopForm().id, QStringLiteral("2026120101"), json, QByteArray(32, 'x'))
              .contains(QStringLiteral("checksum")));
    CHECK(forms.save(voxpopForm().id, QStringLiteral("2026999999"), json, {}).contains(QStringLiteral("contains form")));
    CHECK(QDir(dir.path()).entryList(QDir::Files).isEmpty());
    CHECK(forms.save(voxpopForm().id, QStringLiteral("2026120101"), json, {}).isEmpty());
    CHECK(QDir(dir.path()).entryList(QDir::Files) == QStringList{FormDirectory::fileName(voxpopForm().id, QStringLiteral("2026120101"))});
}

TEST_CASE("cancel ends a sync that is waiting to retry, and keeps everything", "[sync][client]")
{
    QTemporaryDir dir{scratchTemplate()};
    SyncOptions o = quickOptions();
    o.maxAttempts = 100;
    o.initialBackoff = std::chrono::milliseconds(60'000); // a cancel is the only way out
    Device d(dir.path(), QStringLiteral("tablet"), o);
    d.store().setSetting(syncsettings::collectorUrl, QStringLiteral("http://127.0.0.1:9")); // discard port: refused
    d.store().setSetting(syncsettings::deviceToken, QStringLiteral("t"));
    d.store().setSetting(syncsettings::deviceId, QStringLiteral("dev-000000000000"));
    d.addInterviews(2, kCase);
    std::atomic_bool retrying{false};
    d.engine().setProgressHook([&](const SyncProgress &p) {
        if (p.phase == SyncProgress::Phase::Retrying)
            retrying = true;
    });
    SyncReport r;
    std::thread worker([&] { r = d.engine().syncNow(); });
    while (!retrying)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    d.engine().cancel();
    worker.join();
    CHECK(r.result == SyncReport::Result::Cancelled);
    CHECK(r.summary().contains(QStringLiteral("stopped")));
    CHECK(d.outboxSize() == 2);
}

TEST_CASE("a revoked tablet is told to enrol again and keeps its outbox", "[sync][client]")
{
    World w;
    auto d = w.device(QStringLiteral("tablet"));
    d->addInterviews(3, kCase);
    int exit = -1;
    runKerbside({QStringLiteral("device"), QStringLiteral("revoke"), d->store().setting(syncsettings::deviceId),
                 QStringLiteral("--db"), w.collector.dbPath()}, &exit);
    REQUIRE(exit == 0);
    const SyncReport r = d->engine().syncNow();
    INFO(r.error.toStdString());
    CHECK(r.result == SyncReport::Result::Failed);
    CHECK(r.error.contains(QStringLiteral("enrolment code")));
    CHECK(d->outboxSize() == 3);
    CHECK(w.store()->responseCount() == 0);

    // A wrong token is refused the same way.
    d->store().setSetting(syncsettings::deviceToken, QStringLiteral("not-the-token-the-collector-gave"));
    CHECK(d->engine().syncNow().error.contains(QStringLiteral("enrolment code")));
    CHECK(d->outboxSize() == 3);
}
