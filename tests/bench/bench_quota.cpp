// SPDX-License-Identifier: Apache-2.0
// bench_quota [responses] [checkpoint...]: the cost of quotas. Two SQLite collectors get the
// same batches of 500 vox-pop responses through CollectorStore::mergeBatch, alternately, in one
// run (machines here are shared and noisy): one without a fieldwork plan, one with quotas (by
// gender x age band) and an area. Prints the ingest rate of each and their ratio, and at each
// checkpoint (default 100,000 and 1,000,000 responses) the time of quotaStatus() (what
// `kerbside quota show` and the dashboard call; counters, so it must not grow with the number
// of responses) and of the recount by scan it replaces, for comparison.
#include "batchcodec.h"
#include "collectorstore.h"
#include "syncsamples.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace kerbside;

namespace {

constexpr int kPerBatch = 500;

double medianMs(const std::function<void()> &f, int runs)
{
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        f();
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
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
    QTemporaryDir dir;
    auto plain = openCollectorStore(dir.filePath(QStringLiteral("plain.sqlite")));
    auto planned = openCollectorStore(dir.filePath(QStringLiteral("planned.sqlite")));
    for (CollectorStore *s : {plain.get(), planned.get()})
        s->addCaseStudy(QStringLiteral("leeds"), QStringLiteral("Leeds"));
    quota::Plan plan;
    plan.caseStudy = QStringLiteral("leeds");
    plan.formId = QStringLiteral("voxpop_council");
    plan.dimensions = {{QStringLiteral("gender"), {QStringLiteral("woman"), QStringLiteral("man"), QStringLiteral("other")}},
                       {QStringLiteral("age_band"), {QStringLiteral("a25_34"), QStringLiteral("a35_44"), QStringLiteral("a55_64")}}};
    for (const QString &cell : plan.cells())
        plan.targets.insert(cell, 50'000);
    planned->setQuotaPlan(plan);
    planned->setCaseStudyArea(QStringLiteral("leeds"),
                              R"({"type":"Polygon","coordinates":[[[-2.62,51.52],[-2.60,51.52],[-2.60,51.54],[-2.62,51.54],[-2.62,51.52]]]})",
                              QStringLiteral("bench"));

    std::printf("bench_quota: %lld responses in batches of %d, SQLite, plain and with quotas + area, alternating\n",
                static_cast<long long>(total), kPerBatch);
    double plainSeconds = 0, plannedSeconds = 0;
    qint64 merged = 0;
    int next = 0;
    for (quint64 seq = 1; merged < total; ++seq) {
        const QByteArray raw = BatchCodec::encode(test::header(QStringLiteral("dev-bench"), seq),
                                                  test::voxpopBatch(kPerBatch, 0, QStringLiteral("leeds"), QStringLiteral("dev-bench")),
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
            (s == plain.get() ? plainSeconds : plannedSeconds) += double(t.nsecsElapsed()) / 1e9;
        }
        merged += kPerBatch;
        if (next < checkpoints.size() && merged >= checkpoints[next]) {
            ++next;
            const double status = medianMs([&] { planned->quotaStatus(QStringLiteral("leeds")); }, 9);
            const double scan = medianMs([&] {
                qint64 n = 0;
                planned->forEachResponse(QStringLiteral("leeds"), [&](const StoredResponse &) { return ++n > 0; });
            }, 1);
            std::printf("  at %lld responses: quotaStatus %.3f ms (median of 9); a scan of the responses instead %.0f ms\n",
                        static_cast<long long>(merged), status, scan);
        }
        if (merged % 100'000 == 0)
            std::fprintf(stderr, "  %lld merged\n", static_cast<long long>(merged));
    }
    const double plainRate = double(merged) / plainSeconds, plannedRate = double(merged) / plannedSeconds;
    std::printf("  ingest without a plan: %.0f responses/s; with quotas and an area: %.0f responses/s; ratio %.3f (aim >= 0.90)\n",
                plainRate, plannedRate, plannedRate / plainRate);
    const QuotaStatus s = planned->quotaStatus(QStringLiteral("leeds")).value(0);
    std::printf("  counted %lld of %lld complete responses into cells\n", static_cast<long long>(s.totalAchieved),
                static_cast<long long>(merged));
    return 0;
}
