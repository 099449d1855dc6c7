// SPDX-License-Identifier: Apache-2.0
// bench_quota [responses] [checkpoint...]: the cost of quotas. Two SQLite collectors get the
// same batches of 500 vox-pop responses through CollectorStore::mergeBatch, alternately, in one
// run (machines here are shared and noisy): one without a fieldwork plan, one with quotas (by
// gender x age band), an area and a device's report of unsynced completes. Prints the ingest
// rate of each and their ratio (min / median / max over ten stretches of the run), and at each
// checkpoint (default 100,000 and 1,000,000 responses), min / median / max of 9 runs of:
//  - quotaStatus(): what `kerbside quota show` prints (counters and the unsynced reports);
//  - the Home figures: the collector's side (the FieldworkPlan with its counters, as the form
//    manifest carries it) and the tablet's (kept in its store, read back, progress per cell);
// all from counters, so none may grow with the number of responses; and once, the recount by
// scan they replace, for comparison.
#include "batchcodec.h"
#include "benchstats.h"
#include "collectorstore.h"
#include "fieldworkstate.h"
#include "fieldworkwire.h"
#include "form/formloader.h"
#include "kerbside/v1/sync.pb.h"
#include "quota/quotaprogress.h"
#include "store/devicestore.h"
#include "syncsamples.h"
#include "voxpopform.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <algorithm>
#include <functional>
#include <cstdio>
#include <vector>

using namespace kerbside;

namespace {

constexpr int kPerBatch = 500;

bench::Runs timeMs(const std::function<void()> &f, int runs)
{
    bench::Runs ms;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        f();
        ms.add(double(t.nsecsElapsed()) / 1e6);
    }
    return ms;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    const qint64 total = args.isEmpty() ? 1'000'000 : args[0].toLongLong();
    QList<qint64> checkpoints;
    for (const QString &a : args.mid(1))
        checkpoints.append(a.toLongLong());
    if (checkpoints.isEmpty())
        checkpoints = {100'000, 1'000'000};
    const QString cs = QStringLiteral("leeds");
    QTemporaryDir dir;
    auto plain = openCollectorStore(dir.filePath(QStringLiteral("plain.sqlite")));
    auto planned = openCollectorStore(dir.filePath(QStringLiteral("planned.sqlite")));
    for (CollectorStore *s : {plain.get(), planned.get()}) {
        s->addCaseStudy(cs, QStringLiteral("Leeds"));
        test::publishVoxpop(*s, {cs}); // responses to an unpublished form would be refused
    }
    quota::Plan plan;
    plan.caseStudy = cs;
    plan.formId = QStringLiteral("voxpop_council");
    plan.dimensions = {{QStringLiteral("gender"), {QStringLiteral("woman"), QStringLiteral("man"), QStringLiteral("other")}},
                       {QStringLiteral("age_band"), {QStringLiteral("a25_34"), QStringLiteral("a35_44"), QStringLiteral("a55_64")}}};
    for (const QString &cell : plan.cells())
        plan.targets.insert(cell, 50'000);
    planned->setQuotaPlan(plan);
    planned->setCaseStudyArea(cs,
                              R"({"type":"Polygon","coordinates":[[[-2.62,51.52],[-2.60,51.52],[-2.60,51.54],[-2.62,51.54],[-2.62,51.52]]]})",
                              QStringLiteral("bench"));
    // A tablet that reported 300 completes it has not synced (quota show reads them too).
    const QDateTime now = QDateTime::currentDateTimeUtc();
    planned->addEnrolmentCode({QByteArray(32, 'c'), cs, now, now.addDays(1)});
    planned->redeemEnrolmentCode(QByteArray(32, 'c'), now, QStringLiteral("dev-offline"), QByteArray(32, 't'), {});
    QList<UnsyncedComplete> report;
    for (int i = 0; i < 300; ++i)
        report.append({QStringLiteral("unsynced-%1").arg(i), cs, plan.cells().value(i % plan.cells().size())});
    planned->recordDeviceReport(QStringLiteral("dev-offline"), report);

    // The tablet's side of the Home figures: a real device store and the form's labels.
    FormLoadResult form = FormLoader::loadFile(test::voxpopFormPath());
    if (!form.ok()) {
        std::fprintf(stderr, "bench_quota: cannot load the sample form\n");
        return 1;
    }
    auto tablet = DeviceStore::open(dir.filePath(QStringLiteral("tablet.sqlite")));
    // As in the field, the tablet holds completes it has not synced yet: Home adds them.
    for (int i = 0; i < 200; ++i) {
        NewResponse nr;
        nr.formId = plan.formId;
        nr.formVersion = form.form->version;
        nr.caseStudy = cs;
        nr.deviceId = QStringLiteral("dev-tablet");
        const QString uuid = tablet->createResponse(nr);
        tablet->setAnswer(uuid, QStringLiteral("gender"), plan.dimensions[0].values.value(i % 3));
        tablet->setAnswer(uuid, QStringLiteral("age_band"), plan.dimensions[1].values.value(i / 3 % 3));
        tablet->finalise(uuid, ResponseStatus::Complete);
    }
    auto homeFigures = [&] {
        v1::FormManifest manifest;
        addFieldworkPlans(*planned, {cs}, &manifest); // the collector: plan and counters
        rememberFieldworkPlans(*tablet, manifest, QDateTime::currentDateTimeUtc());
        const DeviceFieldwork f = deviceFieldwork(*tablet, cs); // Home, offline
        const quota::Progress p = quota::progress(*f.plan, f.collectorCounts, unsyncedQuotaCounts(*tablet, *f.plan),
                                                  *form.form);
        if (p.cells.isEmpty() || p.cells.size() != plan.cells().size())
            std::abort();
    };

    std::printf("bench_quota: %lld responses in batches of %d, SQLite, plain and with quotas + area, alternating\n",
                static_cast<long long>(total), kPerBatch);
    double plainSeconds = 0, plannedSeconds = 0;
    double stretchPlain = 0, stretchPlanned = 0;
    bench::Runs ratios;
    QList<double> statusMedians, homeMedians; // per checkpoint, for the growth between them
    const qint64 stretch = std::max<qint64>(kPerBatch, total / 10);
    qint64 merged = 0;
    int next = 0;
    for (quint64 seq = 1; merged < total; ++seq) {
        const QByteArray raw = BatchCodec::encode(test::header(QStringLiteral("dev-bench"), seq),
                                                  test::voxpopBatch(kPerBatch, 0, cs, QStringLiteral("dev-bench")),
                                                  test::voxpopTypes());
        const IncomingBatch batch = BatchCodec::decode(raw);
        // Alternate which goes first, so neither always meets a warmer cache.
        CollectorStore *order[2] = {plain.get(), planned.get()};
        if (seq % 2)
            std::swap(order[0], order[1]);
        for (CollectorStore *s : order) {
            QElapsedTimer t;
            t.start();
            s->mergeBatch(batch, raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc());
            const double seconds = double(t.nsecsElapsed()) / 1e9;
            (s == plain.get() ? plainSeconds : plannedSeconds) += seconds;
            (s == plain.get() ? stretchPlain : stretchPlanned) += seconds;
        }
        merged += kPerBatch;
        if (merged % stretch == 0) {
            ratios.add(stretchPlain / stretchPlanned); // planned rate / plain rate
            stretchPlain = stretchPlanned = 0;
        }
        if (next < checkpoints.size() && merged >= checkpoints[next]) {
            ++next;
            const bench::Runs status = timeMs([&] { planned->quotaStatus(cs); }, 9);
            const bench::Runs collectorHome = timeMs([&] {
                v1::FormManifest m;
                addFieldworkPlans(*planned, {cs}, &m);
            }, 9);
            const bench::Runs home = timeMs(homeFigures, 9);
            const bench::Runs scan = timeMs([&] {
                qint64 n = 0;
                planned->forEachResponse(cs, [&](const StoredResponse &) { return ++n > 0; });
            }, 1);
            statusMedians.append(status.median());
            homeMedians.append(home.median());
            std::printf("  at %lld responses (min / median / max of 9, ms): quota show (quotaStatus) %s; "
                        "Home figures: collector side %s, collector + tablet %s; a scan of the responses instead %s\n",
                        static_cast<long long>(merged), qPrintable(status.text(3)), qPrintable(collectorHome.text(3)),
                        qPrintable(home.text(3)), qPrintable(scan.text(0)));
        }
        if (merged % 100'000 == 0)
            std::fprintf(stderr, "  %lld merged\n", static_cast<long long>(merged));
    }
    const double plainRate = double(merged) / plainSeconds, plannedRate = double(merged) / plannedSeconds;
    std::printf("  ingest without a plan: %.0f responses/s; with quotas and an area: %.0f responses/s; ratio %.3f "
                "(per stretch of %lld, min / median / max: %s; aim >= 0.90)\n",
                plainRate, plannedRate, plannedRate / plainRate, static_cast<long long>(stretch), qPrintable(ratios.text(3)));
    if (statusMedians.size() >= 2)
        std::printf("  growth from the first checkpoint to the last (median / median): quota show x%.2f, "
                    "Home figures x%.2f (counters: aim ~x1, not x%.0f as the responses)\n",
                    statusMedians.last() / statusMedians.first(), homeMedians.last() / homeMedians.first(),
                    double(checkpoints.value(statusMedians.size() - 1)) / double(checkpoints.first()));
    const QuotaStatus s = planned->quotaStatus(cs).value(0);
    std::printf("  counted %lld of %lld complete responses into cells; %lld reported unsynced\n",
                static_cast<long long>(s.totalAchieved), static_cast<long long>(merged),
                static_cast<long long>(s.totalUnsynced));
    return 0;
}
