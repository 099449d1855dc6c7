// SPDX-License-Identifier: Apache-2.0
#include "exporter.h"

#include "codebook.h"
#include "contacttable.h"
#include "csvsink.h"
#include "exporterror.h"
#include "jsonlsink.h"
#include "outputfile.h"
#include "readstatsink.h"
#include "responsetable.h"
#include "variablenamer.h"

#include "collectorstore.h"
#include "form/formloader.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>

namespace kerbside {

namespace {

constexpr int kAttempts = 3; // a merge landing between the two passes makes us start again
constexpr qint64 kProgressEvery = 10000;

struct ColumnStats
{
    int maxBytes = 0;
    bool notNumeric = false;
    QSet<QString> unknownCodes;
};

/** What the first pass learns about a table: rows, text widths, values the types do not cover. */
struct TableStats
{
    qint64 rows = 0;
    QList<ColumnStats> columns;

    void add(const ExportTable &t, const ExportRow &row)
    {
        ++rows;
        columns.resize(t.columns.size());
        for (qsizetype i = 0; i < row.size(); ++i) {
            const ExportCell &c = row[i];
            if (!c.hasValue())
                continue;
            ColumnStats &s = columns[i];
            s.maxBytes = std::max(s.maxBytes, int(c.text.size()));
            switch (t.columns[i].kind) {
            case ColumnKind::Number:
            case ColumnKind::Date:
            case ColumnKind::DateTime:
            case ColumnKind::Time:
                s.notNumeric |= std::isnan(c.number);
                break;
            case ColumnKind::Code:
                if (c.number == 0)
                    s.unknownCodes.insert(QString::fromUtf8(c.text));
                break;
            default:
                break;
            }
        }
    }

    // Widths, text fallbacks and codes for unlisted choices, so .sav/.dta lose nothing.
    void applyTo(ExportTable *t) const
    {
        for (qsizetype i = 0; i < t->columns.size() && i < columns.size(); ++i) {
            ExportColumn &c = t->columns[i];
            const ColumnStats &s = columns[i];
            c.textWidth = std::max(1, s.maxBytes);
            if (s.notNumeric && c.kind != ColumnKind::Text) {
                c.kind = ColumnKind::Text;
                c.note += (c.note.isEmpty() ? QString() : QStringLiteral("; "))
                          + QStringLiteral("some values are not valid for the question's type: kept as text");
            }
            if (!s.unknownCodes.isEmpty()) {
                QStringList extra(s.unknownCodes.begin(), s.unknownCodes.end());
                extra.sort();
                int code = 0;
                for (const ValueLabel &l : c.valueLabels)
                    code = std::max(code, l.code);
                for (const QString &v : extra) {
                    c.valueLabels.append({++code, v, v + QStringLiteral(" (not in the form's choice list)")});
                    c.codes.insert(v, code);
                }
            }
        }
        if (columns.isEmpty()) {
            for (ExportColumn &c : t->columns)
                c.textWidth = 1;
        }
    }
};

void nameVariables(ExportTable *t)
{
    VariableNamer spss(VariableNamer::Format::Spss);
    VariableNamer stata(VariableNamer::Format::Stata);
    for (ExportColumn &c : t->columns) {
        c.spssName = spss.add(c.name);
        c.stataName = stata.add(c.name);
    }
}

QString extension(const QString &format)
{
    return format;
}

std::unique_ptr<TableSink> makeSink(const QString &format, const QString &path, const ExportOptions &o,
                                    const QDateTime &timestamp)
{
    if (format == QLatin1String("csv"))
        return std::make_unique<CsvSink>(path, o.bom);
    if (format == QLatin1String("jsonl"))
        return std::make_unique<JsonlSink>(path);
    if (format == QLatin1String("sav"))
        return std::make_unique<ReadStatSink>(path, ReadStatSink::Format::Sav, timestamp);
    return std::make_unique<ReadStatSink>(path, ReadStatSink::Format::Dta, timestamp);
}

struct Output
{
    std::unique_ptr<ResponseTable> table;
    TableStats stats;
    std::vector<std::unique_ptr<TableSink>> sinks;
    qint64 rows = 0;
};

struct CaseCounts
{
    qint64 complete = 0;
    qint64 refusedInterviews = 0;
    qint64 contacts = 0;
    qint64 refusedContacts = 0;
};

} // namespace

Exporter::Exporter(CollectorStore &store, const ExportOptions &options) : m_store(store), m_options(options)
{
}

ExportResult Exporter::run()
{
    for (int attemptNo = 1;; ++attemptNo) {
        try {
            return attempt();
        } catch (const ExportError &e) {
            if (!e.dataChanged() || attemptNo == kAttempts)
                throw;
        }
    }
}

ExportResult Exporter::attempt()
{
    const ExportOptions &o = m_options;
    ExportResult result;

    // Options ---------------------------------------------------------------------------------
    static const QStringList known{QStringLiteral("csv"), QStringLiteral("sav"), QStringLiteral("dta"),
                                   QStringLiteral("jsonl")};
    QStringList formats;
    for (const QString &f : o.formats) {
        if (!known.contains(f))
            throw ExportError(QStringLiteral("unknown format '%1' (use csv, sav, dta, jsonl)").arg(f));
        if (!formats.contains(f))
            formats.append(f);
    }
    if (formats.isEmpty())
        throw ExportError(QStringLiteral("no format given (use csv, sav, dta, jsonl)"));
    if (o.coarsenMetres < 0 || std::isnan(o.coarsenMetres))
        throw ExportError(QStringLiteral("--coarsen-location must be a positive number of metres"));
    if (o.from.isValid() && o.to.isValid() && o.from > o.to)
        throw ExportError(QStringLiteral("--from %1 is after --to %2").arg(o.from.toString(Qt::ISODate), o.to.toString(Qt::ISODate)));
    if (o.outDir.isEmpty())
        throw ExportError(QStringLiteral("no output folder given (--out DIR)"));

    QStringList allCaseStudies;
    for (const CaseStudyRecord &c : m_store.caseStudies())
        allCaseStudies.append(c.id);
    allCaseStudies.sort();
    QStringList selected = o.caseStudies;
    selected.removeDuplicates();
    selected.sort();
    for (const QString &id : selected) {
        if (!allCaseStudies.contains(id))
            throw ExportError(QStringLiteral("unknown case study '%1' (the database has: %2)")
                                  .arg(id, allCaseStudies.join(QStringLiteral(", "))));
    }
    const QStringList streams = selected.isEmpty() ? QStringList{QString()} : selected;

    // Forms: every published version, grouped by form id ------------------------------------------
    std::vector<std::unique_ptr<Form>> forms;
    std::map<QString, QList<const Form *>> versionsOf;
    for (const PublishedFormRecord &p : m_store.forms(selected, true)) {
        const FormLoadResult loaded = FormLoader::loadJson(p.json, QStringLiteral("%1 version %2").arg(p.formId, p.version));
        if (!loaded.ok())
            throw ExportError(QStringLiteral("published form %1 version %2 does not load: %3")
                                  .arg(p.formId, p.version, loaded.problems.value(0).toString()));
        forms.push_back(std::make_unique<Form>(*loaded.form));
        versionsOf[p.formId].append(forms.back().get());
    }
    std::map<QString, Output> outputs;
    auto outputFor = [&](const QString &formId) -> Output & {
        auto it = outputs.find(formId);
        if (it != outputs.end())
            return it->second;
        QList<const Form *> versions;
        for (const Form *f : versionsOf[formId]) {
            if (o.formVersions.isEmpty() || o.formVersions.contains(f->version))
                versions.append(f);
        }
        if (versions.isEmpty())
            versions = versionsOf[formId];
        Output &out = outputs[formId];
        out.table = std::make_unique<ResponseTable>(versions, o);
        if (out.table->formId().isEmpty()) { // a form id no published form has
            ExportTable &t = out.table->table();
            t.stem = formId + (o.longLayout ? QStringLiteral(".long") : QString());
            t.title = formId;
        }
        return out;
    };
    for (const auto &[id, versions] : versionsOf)
        outputFor(id);

    // Target and staging folder ------------------------------------------------------------------
    if (!QDir().mkpath(o.outDir))
        throw ExportError(QStringLiteral("cannot create the output folder %1").arg(o.outDir));
    QTemporaryDir staging(QDir(o.outDir).filePath(QStringLiteral(".kerbside-export-XXXXXX")));
    if (!staging.isValid())
        throw ExportError(QStringLiteral("cannot write to %1: %2").arg(o.outDir, staging.errorString()));
    const QDir stage(staging.path());

    const QSet<QString> approved = o.approvedOnly ? m_store.approvedResponses() : QSet<QString>();
    auto accept = [&](const ResponseMeta &m) {
        if (o.approvedOnly && !approved.contains(m.uuid))
            return false;
        if (!o.formVersions.isEmpty() && !o.formVersions.contains(m.formVersion))
            return false;
        if (o.from.isValid() || o.to.isValid()) {
            if (!m.started.isValid())
                return false;
            const QDate d = m.started.toUTC().date();
            if ((o.from.isValid() && d < o.from) || (o.to.isValid() && d > o.to))
                return false;
        }
        return true;
    };
    auto acceptContact = [&](const ContactEntry &e) {
        if (o.from.isValid() || o.to.isValid()) {
            if (!e.time.isValid())
                return false;
            const QDate d = e.time.toUTC().date();
            if ((o.from.isValid() && d < o.from) || (o.to.isValid() && d > o.to))
                return false;
        }
        return true;
    };
    auto forEachResponse = [&](const QString &phase, const std::function<void(const StoredResponse &)> &fn) {
        qint64 n = 0;
        for (const QString &cs : streams) {
            m_store.forEachResponse(cs, [&](const StoredResponse &r) {
                if (accept(r.meta)) {
                    fn(r);
                    if (++n % kProgressEvery == 0 && m_progress)
                        m_progress(phase, n);
                }
                return true;
            });
        }
    };
    auto forEachContact = [&](const std::function<void(const ContactEntry &)> &fn) {
        for (const QString &cs : streams) {
            m_store.forEachContact(cs, [&](const ContactEntry &e) {
                if (acceptContact(e))
                    fn(e);
                return true;
            });
        }
    };

    // First pass (.sav/.dta): rows, widths, the data's own timestamp -----------------------------
    ContactTable contacts(o);
    TableStats contactStats;
    const bool statistical = formats.contains(QLatin1String("sav")) || formats.contains(QLatin1String("dta"));
    QDateTime latest;
    if (statistical) {
        forEachResponse(QStringLiteral("measuring"), [&](const StoredResponse &r) {
            Output &out = outputFor(r.meta.formId);
            const ExportTable &t = out.table->table();
            out.table->rows(r, [&](const ExportRow &row) { out.stats.add(t, row); });
            if (r.meta.started.isValid() && (!latest.isValid() || r.meta.started > latest))
                latest = r.meta.started;
        });
        forEachContact([&](const ContactEntry &e) { contactStats.add(contacts.table(), contacts.row(e)); });
        for (auto &[id, out] : outputs)
            out.stats.applyTo(&out.table->table());
        contactStats.applyTo(&contacts.table());
    }
    const QDateTime timestamp = latest.isValid() ? latest : QDateTime::fromSecsSinceEpoch(946684800, Qt::UTC);
    const qsizetype firstPassTables = qsizetype(outputs.size());

    // Second pass: write ---------------------------------------------------------------------------
    auto openSinks = [&](const ExportTable &t, qint64 rows, std::vector<std::unique_ptr<TableSink>> *sinks) {
        for (const QString &f : formats) {
            auto sink = makeSink(f, stage.filePath(t.stem + QLatin1Char('.') + extension(f)), o, timestamp);
            sink->begin(t, rows);
            sinks->push_back(std::move(sink));
        }
    };
    for (auto &[id, out] : outputs) {
        nameVariables(&out.table->table());
        openSinks(out.table->table(), out.stats.rows, &out.sinks);
    }
    std::map<QString, CaseCounts> counts;
    for (const QString &cs : selected.isEmpty() ? allCaseStudies : selected)
        counts[cs];
    forEachResponse(QStringLiteral("writing"), [&](const StoredResponse &r) {
        const bool known = outputs.count(r.meta.formId) > 0;
        Output &out = outputFor(r.meta.formId);
        if (!known) {
            if (statistical && qsizetype(outputs.size()) > firstPassTables)
                throw ExportError(QStringLiteral("form %1 appeared during the export").arg(r.meta.formId), true);
            nameVariables(&out.table->table());
            openSinks(out.table->table(), -1, &out.sinks);
        }
        out.table->rows(r, [&](const ExportRow &row) {
            for (auto &s : out.sinks)
                s->row(row);
        });
        ++out.rows;
        ++result.responses;
        CaseCounts &c = counts[r.meta.caseStudy];
        c.complete += r.meta.status == ResponseStatus::Complete;
        c.refusedInterviews += r.meta.status == ResponseStatus::Refused;
    });

    nameVariables(&contacts.table());
    std::vector<std::unique_ptr<TableSink>> contactSinks;
    openSinks(contacts.table(), contactStats.rows, &contactSinks);
    forEachContact([&](const ContactEntry &e) {
        const ExportRow &row = contacts.row(e);
        for (auto &s : contactSinks)
            s->row(row);
        ++result.contacts;
        CaseCounts &c = counts[e.caseStudy];
        ++c.contacts;
        c.refusedContacts += e.disposition == Disposition::Refused;
    });

    // Finish the data files -------------------------------------------------------------------------
    Codebook codebook(o);
    auto finish = [&](const ExportTable &t, std::vector<std::unique_ptr<TableSink>> &sinks, qint64 rows,
                      const QStringList &omitted, const QString &description) {
        QStringList names;
        for (auto &s : sinks) {
            s->finish();
            const QFileInfo info(s->path());
            result.files.append({info.fileName(), rows, info.size(), s->sha256Hex()});
            names.append(info.fileName());
            if (auto *rs = dynamic_cast<ReadStatSink *>(s.get()); rs && rs->truncatedValues() > 0)
                result.warnings.append(QStringLiteral("%1: %2 text values cut to Stata's %3 bytes")
                                           .arg(info.fileName()).arg(rs->truncatedValues()).arg(ReadStatSink::kStataMaxString));
        }
        codebook.addTable(t, names, omitted, description);
    };
    for (auto &[id, out] : outputs) {
        const QString description = o.longLayout
            ? QStringLiteral("Long layout: one row per answer, in question order.")
            : QStringLiteral("One row per interview (the current version of each response), in UUID order.");
        finish(out.table->table(), out.sinks, out.rows, out.table->omittedSensitive(), description);
    }
    finish(contacts.table(), contactSinks, result.contacts, {},
           QStringLiteral("The contact log: one row per approach that did not become an interview."));

    // summary.csv ---------------------------------------------------------------------------------
    ExportTable summary;
    summary.stem = QStringLiteral("summary");
    summary.title = QStringLiteral("Response rate per case study");
    auto sumColumn = [](const QString &name, ColumnKind kind, const QString &label, const QString &note) {
        ExportColumn c;
        c.name = c.spssName = c.stataName = name;
        c.kind = kind;
        c.label = label;
        c.note = note;
        c.questionType = QStringLiteral("summary");
        return c;
    };
    summary.columns = {
        sumColumn(QStringLiteral("case_study"), ColumnKind::Text, QStringLiteral("Case study"), {}),
        sumColumn(QStringLiteral("approached"), ColumnKind::Number, QStringLiteral("People approached"),
                  QStringLiteral("complete + refused interviews + contact-log entries")),
        sumColumn(QStringLiteral("interviewed"), ColumnKind::Number, QStringLiteral("Complete interviews"), {}),
        sumColumn(QStringLiteral("refused"), ColumnKind::Number, QStringLiteral("Refusals"),
                  QStringLiteral("interviews refused at consent + contacts with disposition refused")),
        sumColumn(QStringLiteral("response_rate"), ColumnKind::Number, QStringLiteral("Response rate"),
                  QStringLiteral("interviewed / approached, 4 decimals")),
    };
    {
        CsvSink sink(stage.filePath(QStringLiteral("summary.csv")), o.bom);
        sink.begin(summary, qint64(counts.size()));
        ExportRow row(summary.columns.size());
        for (const auto &[cs, c] : counts) {
            const qint64 approached = c.complete + c.refusedInterviews + c.contacts;
            row[0].set(cs);
            row[1].set(QByteArray::number(approached), double(approached));
            row[2].set(QByteArray::number(c.complete), double(c.complete));
            row[3].set(QByteArray::number(c.refusedInterviews + c.refusedContacts),
                       double(c.refusedInterviews + c.refusedContacts));
            if (approached > 0)
                row[4].set(QByteArray::number(double(c.complete) / double(approached), 'f', 4));
            else
                row[4].clear();
            sink.row(row);
        }
        sink.finish();
        const QFileInfo info(sink.path());
        result.files.append({info.fileName(), qint64(counts.size()), info.size(), sink.sha256Hex()});
        codebook.addTable(summary, {info.fileName()}, {}, QStringLiteral("See \"Response rate\" above."));
    }

    // Codebook and manifest -------------------------------------------------------------------------
    auto writeDocument = [&](const QString &name, const QByteArray &bytes) {
        OutputFile f(stage.filePath(name));
        f.write(bytes);
        f.close();
        result.files.append({name, -1, bytes.size(), f.sha256Hex()});
    };
    writeDocument(QStringLiteral("codebook.md"), codebook.markdown());
    writeDocument(QStringLiteral("codebook.csv"), codebook.csv());

    QJsonObject manifest;
    manifest.insert(QStringLiteral("format"), QStringLiteral("kerbside-export/1"));
    // The only place the export time appears: every other file depends on the data alone.
    manifest.insert(QStringLiteral("exported_at"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    QJsonObject opts;
    opts.insert(QStringLiteral("case_studies"), QJsonArray::fromStringList(selected));
    opts.insert(QStringLiteral("from"), o.from.isValid() ? o.from.toString(Qt::ISODate) : QString());
    opts.insert(QStringLiteral("to"), o.to.isValid() ? o.to.toString(Qt::ISODate) : QString());
    opts.insert(QStringLiteral("form_versions"), QJsonArray::fromStringList(o.formVersions));
    opts.insert(QStringLiteral("formats"), QJsonArray::fromStringList(formats));
    opts.insert(QStringLiteral("long"), o.longLayout);
    opts.insert(QStringLiteral("include_sensitive"), o.includeSensitive);
    opts.insert(QStringLiteral("coarsen_location_m"), o.coarsenMetres);
    opts.insert(QStringLiteral("bom"), o.bom);
    manifest.insert(QStringLiteral("options"), opts);
    QJsonArray files;
    for (const ExportedFile &f : result.files) {
        QJsonObject j;
        j.insert(QStringLiteral("name"), f.name);
        if (f.rows >= 0)
            j.insert(QStringLiteral("rows"), f.rows);
        j.insert(QStringLiteral("bytes"), f.bytes);
        j.insert(QStringLiteral("sha256"), QString::fromLatin1(f.sha256Hex));
        files.append(j);
    }
    manifest.insert(QStringLiteral("files"), files);
    manifest.insert(QStringLiteral("warnings"), QJsonArray::fromStringList(result.warnings));
    writeDocument(QStringLiteral("manifest.json"), QJsonDocument(manifest).toJson());

    // Move into place: check first, so a clash leaves the target untouched ------------------------
    for (const ExportedFile &f : result.files) {
        const QFileInfo target(QDir(o.outDir).filePath(f.name));
        if (target.exists() && !target.isFile())
            throw ExportError(QStringLiteral("cannot replace %1: it is not a file").arg(target.filePath()));
    }
    for (const ExportedFile &f : result.files) {
        const QByteArray from = QFile::encodeName(stage.filePath(f.name));
        const QByteArray to = QFile::encodeName(QDir(o.outDir).filePath(f.name));
        if (std::rename(from.constData(), to.constData()) != 0) // atomic replace (POSIX)
            throw ExportError(QStringLiteral("cannot move %1 into %2: %3")
                                  .arg(f.name, o.outDir, QString::fromLocal8Bit(std::strerror(errno))));
    }
    return result;
}

} // namespace kerbside
