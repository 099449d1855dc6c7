// SPDX-License-Identifier: Apache-2.0
// `kerbside simulate`: synthetic fieldwork for demos, benchmarks and export tests.
#include "collectorcli.h"

#include "simulator.h"
#include "syncformat.h"

#include "form/formloader.h"

#include <QElapsedTimer>
#include <QFile>

namespace {

using namespace kerbside;
using namespace kerbside::cli;

const QString kUsage = QStringLiteral(
    "usage: kerbside simulate --db TARGET --form FILE [--case-studies N] --responses N [--seed S]\n"
    "  Merges N synthetic interviews (and contact-log entries) into a collector database, in batches of 500,\n"
    "  through the same path as real uploads. The same seed gives the same data. Without --case-studies it\n"
    "  fills the case studies already in the database, honouring their areas (about 5% of interviews a few\n"
    "  hundred metres outside), quotas (needed cells approached more often) and time slots.");

bool positiveNumber(const CollectorArgs &args, const QString &name, qint64 min, qint64 *out)
{
    bool ok = false;
    *out = args.value(name).toLongLong(&ok);
    if (ok && *out >= min)
        return true;
    err(QStringLiteral("--%1 '%2' must be a whole number of at least %3").arg(name, args.value(name)).arg(min));
    return false;
}

int run(const QStringList &argv)
{
    CollectorArgs args;
    if (!parseCollectorArgs(argv,
                            {QStringLiteral("db"), QStringLiteral("form"), QStringLiteral("case-studies"),
                             QStringLiteral("responses"), QStringLiteral("seed")},
                            {}, kUsage, &args))
        return kExitUsage;
    for (const char *required : {"form", "responses"}) {
        if (!args.has(QLatin1String(required))) {
            err(QStringLiteral("--%1 is required").arg(QLatin1String(required)));
            err(kUsage);
            return kExitUsage;
        }
    }
    SimulateOptions o;
    qint64 n = 0;
    o.caseStudies = 0; // the database's own
    if (args.has(QStringLiteral("case-studies"))) {
        if (!positiveNumber(args, QStringLiteral("case-studies"), 1, &n))
            return kExitUsage;
        o.caseStudies = int(std::min<qint64>(n, 1000));
    }
    if (!positiveNumber(args, QStringLiteral("responses"), 0, &o.responses))
        return kExitUsage;
    if (args.has(QStringLiteral("seed"))) {
        bool ok = false;
        o.seed = args.value(QStringLiteral("seed")).toULongLong(&ok);
        if (!ok) {
            err(QStringLiteral("--seed '%1' must be a whole number").arg(args.value(QStringLiteral("seed"))));
            return kExitUsage;
        }
    }
    const QString formPath = args.value(QStringLiteral("form"));
    QFile file(formPath);
    if (!file.open(QIODevice::ReadOnly)) {
        err(QStringLiteral("cannot read %1: %2").arg(formPath, file.errorString()));
        return kExitRefused;
    }
    const QByteArray json = file.readAll();
    const FormLoadResult loaded = FormLoader::loadJson(json, formPath);
    if (!loaded.ok()) {
        for (const FormProblem &p : loaded.problems)
            err(p.toString());
        return kExitRefused;
    }
    std::unique_ptr<CollectorStore> store = openCollectorDb(args, kUsage);
    if (!store)
        return kExitDatabase;
    try {
        QElapsedTimer timer;
        timer.start();
        Simulator sim(*store, *loaded.form, json, o);
        sim.setProgress([&](qint64 done) {
            if (done % 100000 == 0)
                err(QStringLiteral("  %1 responses (%2 s)").arg(done).arg(timer.elapsed() / 1000.0, 0, 'f', 1));
        });
        const SimulateResult r = sim.run();
        out(QStringLiteral("merged %1 responses and %2 contacts in %3 batches into %4 case studies "
                           "(%5 distinct interviews driven in %6 s; merging took %7 s, %8 responses/s)")
                .arg(r.responses).arg(r.contacts).arg(r.batches).arg(r.caseStudies).arg(r.pool)
                .arg(r.poolSeconds, 0, 'f', 2).arg(r.mergeSeconds, 0, 'f', 1)
                .arg(r.mergeSeconds > 0 ? qint64(double(r.responses) / r.mergeSeconds) : 0));
        if (r.rejected > 0) { // the simulator made answers the collector refuses: a bug to see
            err(QStringLiteral("kerbside simulate: the merge refused %1 items, the first: %2").arg(r.rejected).arg(r.firstRejection));
            return kExitRefused;
        }
        return kExitOk;
    } catch (const CollectorError &e) {
        err(QStringLiteral("kerbside simulate: %1").arg(e.message()));
        return e.code() == CollectorError::Code::Io ? kExitDatabase : kExitRefused;
    } catch (const ProtocolError &e) {
        err(QStringLiteral("kerbside simulate: %1").arg(e.message()));
        return kExitRefused;
    }
}

const kerbside::cli::CommandRegistration reg{
    {QStringLiteral("simulate"), QStringLiteral("fill a collector database with synthetic fieldwork"), &run, kUsage}};

} // namespace
