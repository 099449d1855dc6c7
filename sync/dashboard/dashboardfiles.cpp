// SPDX-License-Identifier: Apache-2.0
// Dashboard: forms (upload, check every problem, publish) and exports (one zip, streamed).
#include "dashboard.h"

#include "collectorstore.h"
#include "exporter.h"
#include "exporterror.h"
#include "form/formattachments.h"
#include "form/formloader.h"
#include "xlsform/xlsformimporter.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <memory>

namespace kerbside::dashboard {

namespace {

constexpr qint64 kMaxFormBytes = 10 << 20;

QJsonObject problemJson(const QString &sheet, int row, const QString &column, const QString &path, const QString &message)
{
    return QJsonObject{{QStringLiteral("sheet"), sheet}, {QStringLiteral("row"), row}, {QStringLiteral("column"), column},
                       {QStringLiteral("path"), path}, {QStringLiteral("message"), message}};
}

} // namespace

WebResponse Dashboard::formList(const Caller &who)
{
    QJsonArray out;
    for (const PublishedFormRecord &f : m_store.forms({}, false)) {
        QStringList visible;
        for (const QString &cs : f.caseStudies) {
            if (who.user.sees(cs))
                visible.append(cs);
        }
        if (visible.isEmpty())
            continue;
        out.append(QJsonObject{{QStringLiteral("form"), f.formId}, {QStringLiteral("version"), f.version},
                               {QStringLiteral("title"), f.title}, {QStringLiteral("caseStudies"), QJsonArray::fromStringList(visible)},
                               {QStringLiteral("published"), f.published.toUTC().toString(Qt::ISODate)}});
    }
    return json(200, QJsonObject{{QStringLiteral("forms"), out}});
}

// POST /api/v1/forms?filename=NAME.xlsx|.json[&publish=CS,CS]: the body is the file. Every
// problem is listed (sheet, row, column) and nothing stored while there is one; with no
// problem and `publish`, the version is published to those case studies.
WebResponse Dashboard::formUpload(const WebRequest &request, const Caller &who)
{
    if (!who.coordinator())
        return error(403, QStringLiteral("an analyst can read and export, not change the fieldwork"));
    if (request.body.size() > kMaxFormBytes)
        return error(413, QStringLiteral("a form file may have at most 10 MB"));
    const QString filename = request.query.value(QStringLiteral("filename"));
    const QString suffix = filename.section(QLatin1Char('.'), -1).toLower();
    QJsonArray problems;
    QByteArray formJson;
    if (suffix == QLatin1String("xlsx")) {
        QTemporaryDir tmp;
        const QString path = QDir(tmp.path()).filePath(QStringLiteral("upload.xlsx"));
        QFile f(path);
        if (!tmp.isValid() || !f.open(QIODevice::WriteOnly) || f.write(request.body) != request.body.size())
            return error(500, QStringLiteral("cannot keep the upload to read it"));
        f.close();
        // One file was uploaded: select_one_from_file attachments are not looked for in tmp.
        const XlsFormImportResult r = XlsFormImporter::importFile(path, {}, XlsFormImporter::Search::None);
        for (const XlsFormProblem &p : r.problems)
            problems.append(problemJson(p.sheet, p.row, p.column, {}, p.message));
        if (r.ok())
            formJson = QJsonDocument(r.form).toJson(QJsonDocument::Indented);
    } else if (suffix == QLatin1String("json")) {
        formJson = request.body;
    } else {
        return error(400, QStringLiteral("upload an XLSForm (.xlsx) or a Kerbside form (.json)"));
    }
    std::optional<Form> form;
    if (problems.isEmpty()) {
        const FormLoadResult loaded = FormLoader::loadJson(formJson, filename);
        for (const FormProblem &p : loaded.problems)
            problems.append(problemJson({}, p.line, {}, p.path, p.message));
        if (loaded.ok())
            form = *loaded.form;
        if (const QString refusal = publishRefusal(formJson); form && !refusal.isEmpty())
            problems.append(problemJson({}, 0, {}, QStringLiteral("$.missing_attachments"), refusal));
    }
    if (!problems.isEmpty())
        return json(422, QJsonObject{{QStringLiteral("problems"), problems}, {QStringLiteral("stored"), false}});
    QJsonObject o{{QStringLiteral("problems"), problems}, {QStringLiteral("form"), form->id},
                  {QStringLiteral("version"), form->version},
                  {QStringLiteral("title"), form->title.text(form->defaultLanguage)},
                  {QStringLiteral("questions"), int(form->questions.size())}, {QStringLiteral("stored"), false}};
    QStringList targets;
    for (const QString &cs : request.query.value(QStringLiteral("publish")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!who.user.sees(cs))
            return error(404, QStringLiteral("no such case study %1").arg(cs));
        targets.append(cs);
    }
    if (!targets.isEmpty()) {
        PublishedFormRecord record;
        record.formId = form->id;
        record.version = form->version;
        record.title = form->title.text(form->defaultLanguage);
        record.json = formJson;
        m_store.publishForm(record, targets);
        o.insert(QStringLiteral("stored"), true);
        o.insert(QStringLiteral("publishedTo"), QJsonArray::fromStringList(targets));
    }
    return json(200, o);
}

// The export options of GET /api/v1/export.zip and POST /api/v1/exports, from the query:
// caseStudy=CS,CS&format=csv,sav,dta,jsonl[&approvedOnly=1][&long=1]. nullopt: *refusal says why.
std::optional<ExportOptions> Dashboard::exportOptions(const WebRequest &request, const Caller &who, WebResponse *refusal)
{
    ExportOptions o;
    for (const QString &cs : request.query.value(QStringLiteral("caseStudy")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!who.user.sees(cs)) {
            *refusal = error(404, QStringLiteral("no such case study %1").arg(cs));
            return std::nullopt;
        }
        o.caseStudies.append(cs);
    }
    if (o.caseStudies.isEmpty()) {
        o.caseStudies = visibleCaseStudies(who);
        if (o.caseStudies.isEmpty()) {
            *refusal = error(404, QStringLiteral("no case study to export"));
            return std::nullopt;
        }
    }
    if (request.query.contains(QStringLiteral("format")))
        o.formats = request.query.value(QStringLiteral("format")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    o.approvedOnly = request.query.value(QStringLiteral("approvedOnly")) == QLatin1String("1");
    o.longLayout = request.query.value(QStringLiteral("long")) == QLatin1String("1");
    o.includeSensitive = false; // least data: sensitive answers stay on the collector's command line
    return o;
}

// GET /api/v1/export.zip?...: runs the exporter into a temporary folder, zips it to a file and
// streams the file out in 64 KiB pieces, so memory stays flat however large the export.
WebResponse Dashboard::exportZip(const WebRequest &request, const Caller &who)
{
    WebResponse refusal;
    const std::optional<ExportOptions> o = exportOptions(request, who, &refusal);
    if (!o)
        return refusal;
    auto tmp = std::make_shared<QTemporaryDir>();
    if (!tmp->isValid())
        return error(500, QStringLiteral("cannot make a temporary folder"));
    QString zipPath;
    int status = 0;
    if (const QString why = ExportJobs::exportToZip(m_store, *o, tmp->path(), {}, &zipPath, &status); !why.isEmpty())
        return error(status, why);
    return ExportJobs::zipResponse(tmp, zipPath);
}

// POST /api/v1/exports?... (the same options): starts the export in the background and answers
// 202 with its id; GET /api/v1/exports/ID says how far it is, GET /api/v1/exports/ID/zip
// downloads it once done. Only the user who started it sees it.
WebResponse Dashboard::exportStart(const WebRequest &request, const Caller &who)
{
    WebResponse refusal;
    const std::optional<ExportOptions> o = exportOptions(request, who, &refusal);
    if (!o)
        return refusal;
    qint64 expected = 0; // every interview of the case studies: what the exporter reads
    for (const CounterRow &c : m_store.counters(o->caseStudies, false, false))
        expected += c.kind.startsWith(QLatin1String("contact:")) ? 0 : c.n;
    QString why;
    const QString id = m_exports.start(who.user.name, *o, expected, &why);
    if (id.isEmpty())
        return error(429, why);
    return json(202, QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("expectedRows"), expected}});
}

WebResponse Dashboard::exportJob(const Caller &who, const QString &id, bool download)
{
    if (download) {
        if (std::optional<WebResponse> r = m_exports.download(id, who.user.name))
            return *r;
        return error(404, QStringLiteral("no finished export %1").arg(id));
    }
    const std::optional<ExportProgress> p = m_exports.progress(id, who.user.name);
    if (!p)
        return error(404, QStringLiteral("no export %1").arg(id));
    return json(200, QJsonObject{{QStringLiteral("id"), id}, {QStringLiteral("state"), p->state},
                                 {QStringLiteral("phase"), p->phase}, {QStringLiteral("rows"), p->rows},
                                 {QStringLiteral("expectedRows"), p->expectedRows}, {QStringLiteral("passes"), p->passes},
                                 {QStringLiteral("fraction"), p->fraction()}, {QStringLiteral("zipBytes"), p->zipBytes},
                                 {QStringLiteral("error"), p->error}});
}

} // namespace kerbside::dashboard
