// SPDX-License-Identifier: Apache-2.0
// Many devices at once, a network that cuts connections at random, and a collector killed
// mid-sync: in the end every response is merged exactly once and every outbox is empty.
#include <catch2/catch.hpp>

#include "faultproxy.h"
#include "test_syncclient_harness.h"

#include "collectorstore.h"
#include "syncsettings.h"

#include <QElapsedTimer>
#include <QSet>
#include <QTemporaryDir>

#include <atomic>
#include <thread>
#include <vector>

using namespace kerbside;
using namespace kerbside::test;

namespace {

const QStringList kCases{QStringLiteral("north"), QStringLiteral("south"), QStringLiteral("riverside")};

struct World
{
    QTemporaryDir dir{scratchTemplate()};
    Collector collector{dir.path()};
    World()
    {
        REQUIRE(dir.isValid());
        for (const QString &c : kCases)
            collector.addCaseStudy(c, c.toUpper());
        collector.publish(voxpopPath(), kCases);
        REQUIRE(collector.start());
    }
    std::unique_ptr<Device> device(const QString &name, const QString &caseStudy, const SyncOptions &o)
    {
        auto d = std::make_unique<Device>(dir.path(), name, o);
        d->engine().enrol(collector.url(), collector.enrolmentCode(caseStudy));
        return d;
    }
};

// Every created response is held once, at revision 1, in its case study; nothing else is held.
void checkHeldExactlyOnce(CollectorStore &store, const QHash<QString, QString> &caseOf)
{
    QSet<QString> seen;
    int wrongCase = 0, extraVersions = 0, unknown = 0, twice = 0;
    store.forEachResponse({}, [&](const StoredResponse &r) {
        if (!caseOf.contains(r.meta.uuid))
            ++unknown;
        else if (caseOf.value(r.meta.uuid) != r.meta.caseStudy)
            ++wrongCase;
        if (seen.contains(r.meta.uuid))
            ++twice;
        seen.insert(r.meta.uuid);
        if (r.versions != 1 || r.conflicted)
            ++extraVersions;
        return true;
    });
    CHECK(seen.size() == caseOf.size());
    CHECK(store.responseCount() == caseOf.size());
    CHECK(unknown == 0);
    CHECK(twice == 0);
    CHECK(wrongCase == 0);
    CHECK(extraVersions == 0);
    CHECK(store.conflicts().isEmpty());
}

} // namespace

TEST_CASE("six devices with 200 interviews each sync at once: 1,200 responses, each in its case study",
          "[sync][client][load]")
{
    World w;
    SyncOptions o;
    o.initialBackoff = std::chrono::milliseconds(50);
    std::vector<std::unique_ptr<Device>> devices;
    QHash<QString, QString> caseOf;
    for (int i = 0; i < 6; ++i) {
        const QString cs = kCases[i % kCases.size()];
        devices.push_back(w.device(QStringLiteral("tablet-%1").arg(i), cs, o));
    }
    // Each tablet records its interviews on its own thread, then all sync at once.
    std::vector<QStringList> created(devices.size());
    std::vector<SyncReport> reports(devices.size());
    {
        std::vector<std::thread> threads;
        for (size_t i = 0; i < devices.size(); ++i)
            threads.emplace_back([&, i] { created[i] = devices[i]->addInterviews(200, kCases[int(i) % 3], quint32(100 + i)); });
        for (std::thread &t : threads)
            t.join();
        threads.clear();
        for (size_t i = 0; i < devices.size(); ++i)
            threads.emplace_back([&, i] { reports[i] = devices[i]->engine().syncNow(); });
        for (std::thread &t : threads)
            t.join();
    }
    for (size_t i = 0; i < devices.size(); ++i) {
        INFO("tablet " << i << ": " << reports[i].summary().toStdString());
        CHECK(reports[i].result == SyncReport::Result::Ok);
        CHECK(reports[i].accepted == 200);
        CHECK(devices[i]->outboxSize() == 0);
        for (const QString &u : created[i])
            caseOf.insert(u, kCases[int(i) % 3]);
    }
    REQUIRE(caseOf.size() == 1200);
    auto store = openCollectorStore(w.collector.dbPath());
    for (const QString &c : kCases)
        CHECK(store->responseCount(c) == 400);
    checkHeldExactlyOnce(*store, caseOf);
    // The collector's own view, as a tablet sees it.
    const CollectorStatus s = devices[0]->engine().status();
    REQUIRE(s.caseStudies.size() == 1);
    CHECK(s.caseStudies.first().responsesFromDevice == 200);
    CHECK(s.caseStudies.first().responsesTotal == 400);
}

TEST_CASE("hundreds of syncs through a link that cuts connections at random merge everything once",
          "[sync][client][faults]")
{
    World w;
    FaultProxy proxy(w.collector.port(), 20261124, 0.35);
    proxy.setCutRange(6'000, 1'500); // batches of 8 are ~3 kB, their acknowledgements a few hundred B
    SyncOptions o;
    o.maxBatchResponses = 8; // many batches, many chances to be cut
    o.maxAttempts = 3;
    o.initialBackoff = std::chrono::milliseconds(2);
    o.maxBackoff = std::chrono::milliseconds(20);
    o.connectTimeout = std::chrono::milliseconds(2000);
    o.readTimeout = std::chrono::milliseconds(5000);
    constexpr int kDevices = 4;
    constexpr int kRounds = 75;       // syncs per device with faults
    constexpr int kPerRound = 3;      // interviews recorded between syncs
    std::vector<std::unique_ptr<Device>> devices;
    for (int i = 0; i < kDevices; ++i) {
        devices.push_back(w.device(QStringLiteral("tablet-%1").arg(i), kCases[i % 3], o));
        devices.back()->store().setSetting(syncsettings::collectorUrl, QStringLiteral("http://127.0.0.1:%1").arg(proxy.port()));
    }
    std::vector<QHash<QString, QString>> created(kDevices);
    std::vector<int> syncs(kDevices, 0), failed(kDevices, 0), held(kDevices, 0);
    QElapsedTimer timer;
    timer.start();
    {
        std::vector<std::thread> threads;
        for (int i = 0; i < kDevices; ++i) {
            threads.emplace_back([&, i] {
                for (int round = 0; round < kRounds && timer.elapsed() < 240'000; ++round) {
                    for (const QString &u : devices[i]->addInterviews(kPerRound, kCases[i % 3], quint32(i * 1000 + round)))
                        created[i].insert(u, kCases[i % 3]);
                    const SyncReport r = devices[i]->engine().syncNow();
                    ++syncs[i];
                    failed[i] += r.result == SyncReport::Result::Failed;
                    held[i] += r.accepted + r.duplicates;
                }
            });
        }
        for (std::thread &t : threads)
            t.join();
    }
    const FaultProxy::Counts faults = proxy.counts();
    // The link heals; each tablet syncs until its outbox is empty (bounded).
    proxy.setFaultRate(0);
    for (int i = 0; i < kDevices; ++i) {
        for (int attempt = 0; attempt < 5 && devices[i]->outboxSize() > 0; ++attempt)
            held[i] += devices[i]->engine().syncNow().accepted;
    }

    QHash<QString, QString> caseOf;
    int totalSyncs = 0, totalFailed = 0;
    for (int i = 0; i < kDevices; ++i) {
        INFO("tablet " << i);
        CHECK(devices[i]->outboxSize() == 0);
        CHECK(devices[i]->store().setting(syncsettings::pendingBatch).isEmpty());
        CHECK(held[i] >= int(created[i].size())); // everything acknowledged at least once
        // No sequence number was skipped or reused: every batch went until acknowledged.
        devices[i]->store().setSetting(syncsettings::collectorUrl, w.collector.url());
        const CollectorStatus s = devices[i]->engine().status();
        CHECK(s.missingSequences.isEmpty());
        CHECK(s.lastSequence == s.batches);
        CHECK(s.lastSequence == devices[i]->store().setting(syncsettings::sequence).toULongLong());
        caseOf.insert(created[i]);
        totalSyncs += syncs[i];
        totalFailed += failed[i];
    }
    INFO("syncs " << totalSyncs << ", failed " << totalFailed << ", connections " << faults.connections
                  << ", cut before send " << faults.beforeSend << ", mid-request " << faults.midRequest
                  << ", after request " << faults.afterRequest << ", mid-response " << faults.midResponse
                  << ", cut " << faults.cut);
    CHECK(totalSyncs >= 100);
    CHECK(faults.faults() >= 50);
    CHECK(faults.cut >= 50);
    CHECK(faults.beforeSend > 0);
    CHECK(faults.midRequest > 0);
    CHECK(faults.afterRequest > 0);
    CHECK(faults.midResponse > 0);
    WARN("fault proxy: " << totalSyncs << " syncs (" << totalFailed << " gave up for the moment), "
                         << faults.connections << " connections, " << faults.cut << " cut");
    auto store = openCollectorStore(w.collector.dbPath());
    checkHeldExactlyOnce(*store, caseOf);
}

TEST_CASE("the collector killed mid-sync and restarted on the same database loses and doubles nothing",
          "[sync][client][faults]")
{
    // One device, and four at once: with four, batches share commits (group commit) when the
    // kill comes, so a group half-merged or merged but not acknowledged is among the cases.
    const int devices = GENERATE(1, 4);
    INFO("devices: " << devices);
    World w;
    FaultProxy proxy(w.collector.port(), 1, 0.0); // a fixed address for the tablets across restarts
    SyncOptions o;
    o.maxBatchResponses = 20;
    o.maxAttempts = 60;
    o.initialBackoff = std::chrono::milliseconds(20);
    o.maxBackoff = std::chrono::milliseconds(250);
    std::vector<std::unique_ptr<Device>> tablets;
    QHash<QString, QString> caseOf;
    for (int i = 0; i < devices; ++i) {
        const QString cs = kCases[i % kCases.size()];
        auto d = w.device(QStringLiteral("tablet-%1").arg(i), cs, o);
        d->store().setSetting(syncsettings::collectorUrl, QStringLiteral("http://127.0.0.1:%1").arg(proxy.port()));
        for (const QString &u : d->addInterviews(300, cs, 77 + i))
            caseOf.insert(u, cs);
        tablets.push_back(std::move(d));
    }

    std::vector<std::atomic_int> done(static_cast<size_t>(devices));
    std::vector<SyncReport> first(static_cast<size_t>(devices));
    std::vector<std::thread> workers;
    for (int i = 0; i < devices; ++i) {
        tablets[size_t(i)]->engine().setProgressHook([&done, i](const SyncProgress &p) { done[size_t(i)] = p.done; });
        workers.emplace_back([&first, &tablets, i] { first[size_t(i)] = tablets[size_t(i)]->engine().syncNow(); });
    }
    auto sent = [&] {
        int n = 0;
        for (const std::atomic_int &d : done)
            n += d;
        return n;
    };
    QElapsedTimer timer;
    timer.start();
    while (sent() < 60 * devices && timer.elapsed() < 60'000)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    w.collector.kill(); // mid-sync: most batches are still to go, some may be in flight
    const qint64 heldAtKill = openCollectorStore(w.collector.dbPath())->responseCount();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    REQUIRE(w.collector.start());
    proxy.setTargetPort(w.collector.port());
    for (std::thread &t : workers)
        t.join();
    INFO("held when killed: " << heldAtKill);
    CHECK(heldAtKill >= 60);
    CHECK(heldAtKill < 300 * devices);
    for (int i = 0; i < devices; ++i) {
        Device &d = *tablets[size_t(i)];
        INFO("tablet " << i << ", first sync: " << first[size_t(i)].summary().toStdString());
        if (!first[size_t(i)].ok()) // it may have run out of attempts while the collector was down
            CHECK(d.engine().syncNow().ok());
        CHECK(d.outboxSize() == 0);
        const CollectorStatus s = d.engine().status();
        CHECK(s.missingSequences.isEmpty());
        CHECK(s.batches == 15);
    }
    int retries = 0;
    for (const SyncReport &r : first)
        retries += r.retries;
    CHECK(retries > 0);
    auto store = openCollectorStore(w.collector.dbPath());
    checkHeldExactlyOnce(*store, caseOf);
}
