// SPDX-License-Identifier: Apache-2.0
#include "exporter.h"

#include "fieldworkcolumns.h"

#include "codebook.h"
#include "contacttable.h"
#include "csvsink.h"
#include "exporterror.h"
#include "jsonlsink.h"
#include "missingchoicesink.h"
#include "outcomerates.h"
#include "outputfile.h"
#include "readstatsink.h"
#include "relabelsyntax.h"
#include "responsetable.h"
#include "variablenamer.h"

#include "collectorstore.h"
#include "form/form.h"
#include "form/formloader.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>

namespace kerbside {

namespace {

// A file stem from a published form id: the form-id pattern of today, or of an older collector
// (letters, digits, '_', '-', '.', starting with a letter): never '/', never "..".
bool isSafeFileStem(const QString &id)
{
    if (isValidFormId(id))
        return true;
    // `Contacts` would be contacts.csv on a case-insensitive disk; `..` is never in a name.
    return !isReservedFormId(id) && isLegacyFormId(id) && id.size() <= 64 && !id.contains(QLatin1String(".."));
}

QString unpublishedStem(const QString &formId)
{
    return QStringLiteral("unpublished-form-")
        + QString::fromLatin1(QCryptographicHash::hash(formId.toUtf8(), QCryptographicHash::Sha256).toHex().left(12));
}

struct Fd
{
    explicit Fd(int f) : fd(f) {}
    ~Fd()
    {
        if (fd >= 0)
            ::close(fd);
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    int fd;
};

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
                if (std::isnan(c.number))
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
                    c.valueLabels.append({++code, v, v + QStringLiteral(" (not in the form's choice list)"), {}, 0});
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

struct RepeatOutput // one repeat group's table: a row per instance
{
    std::unique_ptr<ResponseTable> table;
    TableStats stats;
    std::vector<std::unique_ptr<TableSink>> sinks;
    qint64 rows = 0;
};

struct Output
{
    std::unique_ptr<FieldworkColumns> fieldwork; // before the table, which points at it
    std::unique_ptr<ResponseTable> table;
    TableStats stats;
    std::vector<std::unique_ptr<TableSink>> sinks;
    qint64 rows = 0;
    std::vector<RepeatOutput> repeats;
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
    if (!o.language.isEmpty()) {
        for (const auto &[id, versions] : versionsOf) {
            QStringList has;
            for (const Form *f : versions)
                has += f->languages;
            has.removeDuplicates();
            if (!has.contains(o.language))
                throw ExportError(QStringLiteral("--language %1: form %2 has no such language (it has %3)")
                                      .arg(o.language, id, has.join(QStringLiteral(", "))));
        }
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
        out.fieldwork = std::make_unique<FieldworkColumns>(m_store, selected, formId);
        out.table = std::make_unique<ResponseTable>(versions, o, out.fieldwork.get());
        if (!out.table->formId().isEmpty() && isSafeFileStem(formId)) {
            for (const QString &repeat : ResponseTable::repeatNames(versions)) {
                RepeatOutput ro;
                ro.table = std::make_unique<ResponseTable>(versions, o, nullptr, repeat);
                out.repeats.push_back(std::move(ro));
            }
        }
        ExportTable &t = out.table->table();
        if (out.table->formId().isEmpty() || !isSafeFileStem(formId)) {
            // A form id no published form has (an older collector stored what a device sent):
            // never a file name. Its rows go to a file named after a hash of it.
            t.stem = unpublishedStem(formId) + (o.longLayout ? QStringLiteral(".long") : QString());
            t.title = QStringLiteral("Unpublished form (id %1)").arg(QString::fromLatin1(QJsonDocument(QJsonArray{formId.left(100)}).toJson(QJsonDocument::Compact)));
            result.warnings.append(QStringLiteral("%1: responses naming a form that is not published (%2)").arg(t.stem, t.title));
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
            for (RepeatOutput &ro : out.repeats)
                ro.table->rows(r, [&](const ExportRow &row) { ro.stats.add(ro.table->table(), row); });
            if (r.meta.started.isValid() && (!latest.isValid() || r.meta.started > latest))
                latest = r.meta.started;
        });
        forEachContact([&](const ContactEntry &e) { contactStats.add(contacts.table(), contacts.row(e)); });
        for (auto &[id, out] : outputs) {
            out.stats.applyTo(&out.table->table());
            for (RepeatOutput &ro : out.repeats)
                ro.stats.applyTo(&ro.table->table());
        }
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
        if (formats.contains(QLatin1String("csv")) && t.hasMissingChoices()) {
            auto sink = std::make_unique<MissingChoiceSink>(stage.filePath(t.stem + QStringLiteral(".missing.csv")), o.bom);
            sink->begin(t, -1);
            sinks->push_back(std::move(sink));
        }
    };
    for (auto &[id, out] : outputs) {
        nameVariables(&out.table->table());
        openSinks(out.table->table(), out.stats.rows, &out.sinks);
        for (RepeatOutput &ro : out.repeats) {
            nameVariables(&ro.table->table());
            openSinks(ro.table->table(), ro.stats.rows, &ro.sinks);
        }
    }
    OutcomeRates rates;
    for (const QString &cs : selected.isEmpty() ? allCaseStudies : selected)
        rates.addCaseStudy(cs);
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
            ++out.rows; // rows as written: one per answer in the long layout
        });
        for (RepeatOutput &ro : out.repeats) {
            ro.table->rows(r, [&](const ExportRow &row) {
                for (auto &s : ro.sinks)
                    s->row(row);
                ++ro.rows;
            });
        }
        ++result.responses;
        rates.addResponse(r.meta);
    });

    nameVariables(&contacts.table());
    std::vector<std::unique_ptr<TableSink>> contactSinks;
    openSinks(contacts.table(), contactStats.rows, &contactSinks);
    forEachContact([&](const ContactEntry &e) {
        const ExportRow &row = contacts.row(e);
        for (auto &s : contactSinks)
            s->row(row);
        ++result.contacts;
        rates.addContact(e);
    });

    // Finish the data files -------------------------------------------------------------------------
    Codebook codebook(o);
    QList<std::pair<QString, QByteArray>> pendingDocuments; // relabelling syntax, written with the codebook
    auto finish = [&](const ExportTable &t, std::vector<std::unique_ptr<TableSink>> &sinks, qint64 rows,
                      const QStringList &omitted, const QString &description) {
        QStringList names;
        for (auto &s : sinks) {
            s->finish();
            const QFileInfo info(s->path());
            const auto *missing = dynamic_cast<MissingChoiceSink *>(s.get());
            result.files.append({info.fileName(), missing ? missing->lines() : rows, info.size(), s->sha256Hex()});
            names.append(info.fileName());
            if (auto *rs = dynamic_cast<ReadStatSink *>(s.get()); rs && rs->truncatedValues() > 0)
                result.warnings.append(QStringLiteral("%1: %2 text values cut to Stata's %3 bytes")
                                           .arg(info.fileName()).arg(rs->truncatedValues()).arg(ReadStatSink::kStataMaxString));
            if (auto *rs = dynamic_cast<ReadStatSink *>(s.get()); rs && rs->undeclaredMissing() > 0)
                result.warnings.append(QStringLiteral("%1: %2 choices declared missing could not be declared in SPSS "
                                                      "(a range and one value fit; see the codebook)")
                                           .arg(info.fileName()).arg(rs->undeclaredMissing()));
        }
        // The same file relabelled in each other language of the form.
        for (const QString &lang : t.languages.mid(1)) {
            for (const QString &f : formats) {
                if (f != QLatin1String("sav") && f != QLatin1String("dta"))
                    continue;
                const bool sav = f == QLatin1String("sav");
                const QString name = QStringLiteral("%1.%2.%3").arg(t.stem, lang, sav ? QStringLiteral("sps") : QStringLiteral("do"));
                pendingDocuments.append({name, sav ? relabel::spss(t, lang) : relabel::stata(t, lang)});
                names.append(name);
            }
        }
        codebook.addTable(t, names, omitted, description);
    };
    for (auto &[id, out] : outputs) {
        const QString description = o.longLayout
            ? QStringLiteral("Long layout: one row per answer, in question order.")
            : QStringLiteral("One row per interview (the current version of each response), in UUID order.");
        finish(out.table->table(), out.sinks, out.rows, out.table->omittedSensitive(), description);
        for (RepeatOutput &ro : out.repeats) {
            const ExportTable &t = ro.table->table();
            finish(t, ro.sinks, ro.rows, ro.table->omittedSensitive(),
                   QStringLiteral("Repeat group: one row per instance, linked to the form's table by parent_uuid = uuid%1; "
                                  "_index numbers the instances from 1.")
                       .arg(t.columns.value(1).name == QLatin1String("_parent_index")
                                ? QStringLiteral(" and to the enclosing repeat's table by _parent_index") : QString()));
        }
    }
    finish(contacts.table(), contactSinks, result.contacts, {},
           QStringLiteral("The contact log: one row per approach that did not become an interview."));

    // summary.csv: AAPOR outcome rates ----------------------------------------------------------
    {
        const QByteArray bytes = rates.csv(o.bom);
        OutputFile f(stage.filePath(QStringLiteral("summary.csv")));
        f.write(bytes);
        f.close();
        result.files.append({QStringLiteral("summary.csv"), qint64(bytes.count("\r\n")) - 1, bytes.size(), f.sha256Hex()});
    }

    // weights.csv: raking per case study (fieldworkcolumns.cpp) ------------------------------------
    {
        QList<FieldworkColumns::Weighting> weightings;
        for (const auto &[id, out] : outputs)
            weightings += out.fieldwork->weightings();
        result.files.append(writeWeightsTable(stage.filePath(QStringLiteral("weights.csv")), o.bom, weightings, &codebook));
    }

    // Codebook and manifest -------------------------------------------------------------------------
    auto writeDocument = [&](const QString &name, const QByteArray &bytes) {
        OutputFile f(stage.filePath(name));
        f.write(bytes);
        f.close();
        result.files.append({name, -1, bytes.size(), f.sha256Hex()});
    };
    for (const auto &[name, bytes] : pendingDocuments)
        writeDocument(name, bytes);
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
    opts.insert(QStringLiteral("language"), o.language);
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
    // Relative to the two folders opened once (renameat): a name is one path component, and a
    // symlink planted in the output folder is replaced, never followed.
    const Fd outFd(::open(QFile::encodeName(o.outDir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    const Fd stageFd(::open(QFile::encodeName(stage.path()).constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (outFd.fd < 0 || stageFd.fd < 0)
        throw ExportError(QStringLiteral("cannot open %1: %2").arg(o.outDir, QString::fromLocal8Bit(std::strerror(errno))));
    for (const ExportedFile &f : result.files) {
        if (f.name.contains(QLatin1Char('/')) || f.name.startsWith(QLatin1Char('.')))
            throw ExportError(QStringLiteral("refusing the file name %1").arg(f.name));
        struct stat st {};
        const QByteArray name = QFile::encodeName(f.name);
        if (::fstatat(outFd.fd, name.constData(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode))
            throw ExportError(QStringLiteral("cannot replace %1: it is not a file").arg(QDir(o.outDir).filePath(f.name)));
    }
    for (const ExportedFile &f : result.files) {
        const QByteArray name = QFile::encodeName(f.name);
        if (::renameat(stageFd.fd, name.constData(), outFd.fd, name.constData()) != 0) // atomic replace (POSIX)
            throw ExportError(QStringLiteral("cannot move %1 into %2: %3")
                                  .arg(f.name, o.outDir, QString::fromLocal8Bit(std::strerror(errno))));
    }
    return result;
}

} // namespace kerbside
