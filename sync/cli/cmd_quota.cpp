// SPDX-License-Identifier: Apache-2.0
// `kerbside quota set|population|show`: a case study's quotas, its population margins for
// weights, and progress against the quotas (from the counters kept at merge).
#include "collectorcli.h"

#include "form/formloader.h"
#include "quota/quotafiles.h"

#include <QFile>

namespace {

using namespace kerbside;
using namespace kerbside::cli;

const QString kUsage = QStringLiteral(
    "usage: kerbside quota set CS --form FORM_ID --by QUESTION[,QUESTION...] --targets FILE.csv\n"
    "                          [--mode soft|hard] [--time-zone ZONE] --db PATH\n"
    "       kerbside quota population CS --by QUESTION --file FILE.csv [--form FORM_ID] --db PATH\n"
    "       kerbside quota show [CS] [--csv] --db PATH\n"
    "Targets: one column per --by question (choice names) and `target`; cells left out get 0.\n"
    "@timeslot as a dimension: weekday/weekend x morning 06-12, afternoon 12-17, evening 17-22\n"
    "in ZONE (IANA, default this machine's zone). Population: columns QUESTION (or choice) and share.\n"
    "Show: per cell target, achieved (merged), unsynced (complete on tablets, as each last reported\n"
    "at sync), remaining and over; --csv: case_study,cell,target,achieved,remaining and one column per dimension.");

bool readFile(const QString &path, QByteArray *bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        err(QStringLiteral("kerbside quota: %1: %2").arg(path, f.errorString()));
        return false;
    }
    *bytes = f.read(8 * 1024 * 1024 + 1);
    return true;
}

// The newest version of the form published to the case study.
std::optional<Form> publishedForm(CollectorStore &store, const QString &caseStudy, const QString &formId)
{
    std::optional<PublishedFormRecord> newest;
    for (const PublishedFormRecord &f : store.forms({caseStudy})) {
        if (f.formId == formId && (!newest || f.published >= newest->published))
            newest = f;
    }
    if (!newest) {
        err(QStringLiteral("kerbside quota: form %1 is not published to case study %2 (kerbside publish)").arg(formId, caseStudy));
        return std::nullopt;
    }
    FormLoadResult loaded = FormLoader::loadJson(newest->json, formId);
    if (!loaded.ok()) {
        err(QStringLiteral("kerbside quota: the published form %1 does not load: %2").arg(formId, loaded.problems.value(0).toString()));
        return std::nullopt;
    }
    return std::move(*loaded.form);
}

QString csvField(const QString &v)
{
    if (!v.contains(QLatin1Char(',')) && !v.contains(QLatin1Char('"')) && !v.contains(QLatin1Char('\n')))
        return v;
    return QLatin1Char('"') + QString(v).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
}

int set(CollectorStore &store, const CollectorArgs &args)
{
    const QString cs = args.positional.value(1);
    const QString formId = args.value(QStringLiteral("form"));
    const QString targets = args.value(QStringLiteral("targets"));
    const QStringList by = args.value(QStringLiteral("by")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (formId.isEmpty() || targets.isEmpty() || by.isEmpty()) {
        err(kUsage);
        return kExitUsage;
    }
    quota::Mode mode = quota::Mode::Soft;
    if (!quota::modeFromName(args.value(QStringLiteral("mode"), QStringLiteral("soft")), &mode)) {
        err(QStringLiteral("kerbside quota: --mode is soft or hard"));
        return kExitUsage;
    }
    const QByteArray zone = args.value(QStringLiteral("time-zone"), QString::fromUtf8(QTimeZone::systemTimeZoneId())).toUtf8();
    if (!QTimeZone(zone).isValid()) {
        err(QStringLiteral("kerbside quota: unknown time zone %1 (an IANA name such as Europe/London)").arg(QString::fromUtf8(zone)));
        return kExitUsage;
    }
    const std::optional<Form> form = publishedForm(store, cs, formId);
    QByteArray csv;
    if (!form || !readFile(targets, &csv))
        return kExitRefused;
    QString error;
    std::optional<quota::Plan> plan = quota::planFromTargets(*form, by, csv, targets, &error);
    if (!plan) {
        err(QStringLiteral("kerbside quota: %1; nothing changed").arg(error));
        return kExitRefused;
    }
    plan->caseStudy = cs;
    plan->mode = mode;
    plan->timeZone = zone;
    const quota::Plan stored = store.setQuotaPlan(*plan);
    out(QStringLiteral("quotas of %1 set (version %2, %3 mode): %4 cells, total target %5")
            .arg(cs).arg(stored.version).arg(quota::modeName(stored.mode)).arg(stored.cells().size()).arg(stored.totalTarget()));
    return kExitOk;
}

int population(CollectorStore &store, const CollectorArgs &args)
{
    const QString cs = args.positional.value(1);
    const QString question = args.value(QStringLiteral("by"));
    const QString file = args.value(QStringLiteral("file"));
    if (question.isEmpty() || question.contains(QLatin1Char(',')) || file.isEmpty()) {
        err(QStringLiteral("kerbside quota population: one --by QUESTION and --file FILE.csv per dimension"));
        return kExitUsage;
    }
    QString formId = args.value(QStringLiteral("form"));
    if (formId.isEmpty()) {
        const std::optional<quota::Plan> plan = store.quotaPlan(cs);
        if (!plan) {
            err(QStringLiteral("kerbside quota population: %1 has no quotas yet; give --form FORM_ID").arg(cs));
            return kExitUsage;
        }
        formId = plan->formId;
    }
    const std::optional<Form> form = publishedForm(store, cs, formId);
    QByteArray csv;
    if (!form || !readFile(file, &csv))
        return kExitRefused;
    QString error;
    const auto shares = quota::marginFromFile(*form, question, csv, file, &error);
    if (!shares) {
        err(QStringLiteral("kerbside quota population: %1; nothing changed").arg(error));
        return kExitRefused;
    }
    store.setPopulationMargin(cs, question, *shares);
    out(QStringLiteral("population margin of %1 by %2 set (%3 choices)").arg(cs, question).arg(shares->size()));
    return kExitOk;
}

int show(CollectorStore &store, const CollectorArgs &args)
{
    const QList<QuotaStatus> all = store.quotaStatus(args.positional.value(1));
    if (args.has(QStringLiteral("csv"))) {
        QStringList dims;
        for (const QuotaStatus &s : all) {
            for (const quota::Dimension &d : s.plan.dimensions) {
                if (!dims.contains(d.name))
                    dims.append(d.name);
            }
        }
        QStringList header{QStringLiteral("case_study"), QStringLiteral("cell"), QStringLiteral("target"),
                           QStringLiteral("achieved"), QStringLiteral("remaining")};
        for (const QString &d : dims)
            header.append(csvField(d));
        out(header.join(QLatin1Char(',')));
        for (const QuotaStatus &s : all) {
            for (const QuotaCellStatus &c : s.cells) {
                QStringList row{csvField(s.caseStudy), csvField(c.cell), QString::number(c.target),
                                QString::number(c.achieved), QString::number(c.remaining())};
                for (const QString &d : dims) {
                    QString v;
                    for (const auto &[name, value] : c.parts) {
                        if (name == d)
                            v = value;
                    }
                    row.append(csvField(v));
                }
                out(row.join(QLatin1Char(',')));
            }
        }
        return kExitOk;
    }
    if (all.isEmpty())
        out(QStringLiteral("no case study has quotas yet (kerbside quota set)"));
    for (const QuotaStatus &s : all) {
        out(QStringLiteral("%1: %2 of %3 interviews, %4 still needed (%5 mode, quotas version %6, form %7)")
                .arg(s.caseStudy).arg(s.totalAchieved).arg(s.totalTarget).arg(s.totalRemaining)
                .arg(quota::modeName(s.plan.mode)).arg(s.plan.version).arg(s.plan.formId));
        int width = 4;
        for (const QuotaCellStatus &c : s.cells)
            width = std::max(width, int(c.cell.size()));
        out(QStringLiteral("  %1  %2  %3  %4  %5  %6").arg(QStringLiteral("cell").leftJustified(width), QStringLiteral("target"),
                                                         QStringLiteral("achieved"), QStringLiteral("unsynced"),
                                                         QStringLiteral("remaining"), QStringLiteral("over")));
        for (const QuotaCellStatus &c : s.cells) {
            if (c.target == 0 && c.achieved == 0 && c.unsynced == 0)
                continue; // not needed and none taken: the CSV lists them all
            out(QStringLiteral("  %1  %2  %3  %4  %5  %6").arg(c.cell.leftJustified(width))
                    .arg(c.target, 6).arg(c.achieved, 8).arg(c.unsynced, 8).arg(c.remaining(), 9).arg(c.over(), 4));
        }
    }
    if (!all.isEmpty())
        out(QStringLiteral("unsynced: complete on tablets but not merged yet, as each tablet last reported at sync "
                           "(not in achieved or remaining)"));
    return kExitOk;
}

int run(const QStringList &argv)
{
    CollectorArgs args;
    if (!parseCollectorArgs(argv,
                            {QStringLiteral("db"), QStringLiteral("form"), QStringLiteral("by"), QStringLiteral("targets"),
                             QStringLiteral("mode"), QStringLiteral("time-zone"), QStringLiteral("file")},
                            {QStringLiteral("csv")}, kUsage, &args))
        return kExitUsage;
    const QString action = args.positional.value(0);
    const bool named = args.positional.size() == 2;
    if (!(((action == QLatin1String("set") || action == QLatin1String("population")) && named)
          || (action == QLatin1String("show") && args.positional.size() <= 2))) {
        err(kUsage);
        return kExitUsage;
    }
    std::unique_ptr<CollectorStore> store = openCollectorDb(args, kUsage);
    if (!store)
        return kExitDatabase;
    try {
        if (action == QLatin1String("set"))
            return set(*store, args);
        if (action == QLatin1String("population"))
            return population(*store, args);
        return show(*store, args);
    } catch (const CollectorError &e) {
        err(QStringLiteral("kerbside quota: %1").arg(e.message()));
        return e.code() == CollectorError::Code::Io ? kExitDatabase : kExitRefused;
    }
}

const kerbside::cli::CommandRegistration reg{
    {QStringLiteral("quota"), QStringLiteral("set quotas and population margins of a case study, show progress"), &run, kUsage}};

} // namespace
