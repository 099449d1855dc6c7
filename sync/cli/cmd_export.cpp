// SPDX-License-Identifier: Apache-2.0
// `kerbside export`: analyst exports (CSV, SPSS, Stata, JSON Lines) with codebook, contact log
// and response-rate summary.
#include "collectorcli.h"

#include "exporter.h"
#include "exporterror.h"

namespace {

using namespace kerbside;
using namespace kerbside::cli;

const QString kUsage = QStringLiteral(
    "usage: kerbside export --db DB --out DIR (--case-study ID... | --all) [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
    "                       [--form-version V...] [--format csv,sav,dta,jsonl] [--long] [--include-sensitive]\n"
    "                       [--coarsen-location METRES] [--bom] [--language CODE] [--approved-only]\n"
    "  Writes one file per form and format, contacts.*, summary.csv (AAPOR outcome rates), codebook.md/.csv\n"
    "  and manifest.json; beside each .sav/.dta, FORM.LANG.sps/.do relabel it in the form's other languages.\n"
    "  --language CODE: labels in that language (default: each form's default language).\n"
    "  --approved-only: only interviews a coordinator approved on the dashboard.");

bool parseDate(const CollectorArgs &args, const QString &name, QDate *out)
{
    if (!args.has(name))
        return true;
    *out = QDate::fromString(args.value(name), Qt::ISODate);
    if (out->isValid())
        return true;
    err(QStringLiteral("--%1 '%2' is not a date (YYYY-MM-DD)").arg(name, args.value(name)));
    return false;
}

QStringList listValues(const CollectorArgs &args, const QString &name)
{
    QStringList out;
    for (const QString &v : args.values(name)) {
        for (const QString &part : v.split(QLatin1Char(','), Qt::SkipEmptyParts))
            out.append(part.trimmed());
    }
    return out;
}

int run(const QStringList &argv)
{
    CollectorArgs args;
    if (!parseCollectorArgs(argv,
                            {QStringLiteral("db"), QStringLiteral("out"), QStringLiteral("case-study"),
                             QStringLiteral("from"), QStringLiteral("to"), QStringLiteral("form-version"),
                             QStringLiteral("format"), QStringLiteral("coarsen-location"),
                             QStringLiteral("language")},
                            {QStringLiteral("all"), QStringLiteral("long"), QStringLiteral("include-sensitive"),
                             QStringLiteral("bom"), QStringLiteral("approved-only")},
                            kUsage, &args))
        return kExitUsage;
    if (!args.positional.isEmpty()) {
        err(QStringLiteral("unexpected argument '%1'").arg(args.positional.first()));
        err(kUsage);
        return kExitUsage;
    }
    ExportOptions o;
    o.outDir = args.value(QStringLiteral("out"));
    o.caseStudies = listValues(args, QStringLiteral("case-study"));
    const bool all = args.has(QStringLiteral("all"));
    if (o.outDir.isEmpty() || all == !o.caseStudies.isEmpty()) {
        err(o.outDir.isEmpty() ? QStringLiteral("--out DIR is required")
                               : QStringLiteral("give either --case-study ID or --all"));
        err(kUsage);
        return kExitUsage;
    }
    if (!parseDate(args, QStringLiteral("from"), &o.from) || !parseDate(args, QStringLiteral("to"), &o.to))
        return kExitUsage;
    o.formVersions = listValues(args, QStringLiteral("form-version"));
    if (args.has(QStringLiteral("format")))
        o.formats = listValues(args, QStringLiteral("format"));
    o.longLayout = args.has(QStringLiteral("long"));
    o.includeSensitive = args.has(QStringLiteral("include-sensitive"));
    o.bom = args.has(QStringLiteral("bom"));
    o.language = args.value(QStringLiteral("language"));
    o.approvedOnly = args.has(QStringLiteral("approved-only"));
    if (args.has(QStringLiteral("coarsen-location"))) {
        bool ok = false;
        o.coarsenMetres = args.value(QStringLiteral("coarsen-location")).toDouble(&ok);
        if (!ok || !(o.coarsenMetres > 0)) {
            err(QStringLiteral("--coarsen-location '%1' is not a positive number of metres")
                    .arg(args.value(QStringLiteral("coarsen-location"))));
            return kExitUsage;
        }
    }
    std::unique_ptr<CollectorStore> store = openCollectorDb(args, kUsage);
    if (!store)
        return kExitDatabase;
    try {
        Exporter exporter(*store, o);
        const ExportResult r = exporter.run();
        for (const ExportedFile &f : r.files) {
            if (f.rows >= 0)
                out(QStringLiteral("%1  %2 rows").arg(f.name).arg(f.rows));
            else
                out(f.name);
        }
        for (const QString &w : r.warnings)
            err(QStringLiteral("warning: %1").arg(w));
        out(QStringLiteral("exported %1 responses and %2 contacts to %3").arg(r.responses).arg(r.contacts).arg(o.outDir));
        return kExitOk;
    } catch (const ExportError &e) {
        err(QStringLiteral("kerbside export: %1").arg(e.message()));
        return kExitRefused;
    } catch (const CollectorError &e) {
        err(QStringLiteral("kerbside export: %1").arg(e.message()));
        return kExitDatabase;
    }
}

const kerbside::cli::CommandRegistration reg{
    {QStringLiteral("export"), QStringLiteral("export responses for analysis (CSV, SPSS, Stata, JSON Lines)"), &run, kUsage}};

} // namespace
