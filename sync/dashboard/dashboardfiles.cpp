// SPDX-License-Identifier: Apache-2.0
// Dashboard: forms (upload, check every problem, publish) and exports (one zip, streamed).
#include "dashboard.h"

#include "collectorstore.h"
#include "exporter.h"
#include "exporterror.h"
#include "form/formloader.h"
#include "xlsform/xlsformimporter.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <zip.h>

#include <memory>

namespace kerbside::dashboard {

namespace {

constexpr qint64 kMaxFormBytes = 10 << 20;

QJsonObject problemJson(const QString &sheet, int row, const QString &column, const QString &path, const QString &message)
{
    return QJsonObject{{QStringLiteral("sheet"), sheet}, {QStringLiteral("row"), row}, {QStringLiteral("column"), column},
                       {QStringLiteral("path"), path}, {QStringLiteral("message"), message}};
}

// Zips every file below `dir` into `zipPath`; "" or the reason it could not.
QString zipFolder(const QString &dir, const QString &zipPath)
{
    int errorCode = 0;
    zip_t *z = zip_open(QFile::encodeName(zipPath).constData(), ZIP_CREATE | ZIP_TRUNCATE, &errorCode);
    if (!z)
        return QStringLiteral("cannot create the zip (libzip error %1)").arg(errorCode);
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QString name = QDir(dir).relativeFilePath(file);
        // libzip reads the file itself when the archive is closed: nothing is held in memory.
        zip_source_t *src = zip_source_file(z, QFile::encodeName(file).constData(), 0, -1);
        if (!src || zip_file_add(z, name.toUtf8().constData(), src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
            if (src)
                zip_source_free(src);
            zip_discard(z);
            return QStringLiteral("cannot add %1 to the zip").arg(name);
        }
    }
    if (zip_close(z) != 0) {
        const QString why = QString::fromUtf8(zip_strerror(z));
        zip_discard(z);
        return QStringLiteral("cannot write the zip: %1").arg(why);
    }
    return {};
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

// GET /api/v1/export.zip?caseStudy=CS,CS&format=csv,sav,dta,jsonl[&approvedOnly=1][&long=1]:
// runs the exporter into a temporary folder, zips it to a file and streams the file out in
// 64 KiB pieces, so memory stays flat however large the export.
WebResponse Dashboard::exportZip(const WebRequest &request, const Caller &who)
{
    ExportOptions o;
    for (const QString &cs : request.query.value(QStringLiteral("caseStudy")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!who.user.sees(cs))
            return error(404, QStringLiteral("no such case study %1").arg(cs));
        o.caseStudies.append(cs);
    }
    if (o.caseStudies.isEmpty()) {
        o.caseStudies = visibleCaseStudies(who);
        if (o.caseStudies.isEmpty())
            return error(404, QStringLiteral("no case study to export"));
    }
    if (request.query.contains(QStringLiteral("format")))
        o.formats = request.query.value(QStringLiteral("format")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    o.approvedOnly = request.query.value(QStringLiteral("approvedOnly")) == QLatin1String("1");
    o.longLayout = request.query.value(QStringLiteral("long")) == QLatin1String("1");
    o.includeSensitive = false; // least data: sensitive answers stay on the collector's command line
    auto tmp = std::make_shared<QTemporaryDir>();
    if (!tmp->isValid())
        return error(500, QStringLiteral("cannot make a temporary folder"));
    o.outDir = QDir(tmp->path()).filePath(QStringLiteral("export"));
    try {
        Exporter(m_store, o).run();
    } catch (const ExportError &e) {
        return error(400, e.message());
    }
    const QString zipPath = QDir(tmp->path()).filePath(QStringLiteral("export.zip"));
    if (const QString why = zipFolder(o.outDir, zipPath); !why.isEmpty())
        return error(500, why);
    WebResponse r;
    r.contentType = "application/zip";
    r.addHeader("Content-Disposition", "attachment; filename=\"kerbside-export.zip\"");
    r.addHeader("Content-Length", QByteArray::number(QFileInfo(zipPath).size()));
    r.stream = [tmp, zipPath](const std::function<bool(const QByteArray &)> &sink) {
        QFile f(zipPath);
        if (!f.open(QIODevice::ReadOnly))
            return false;
        while (!f.atEnd()) {
            if (!sink(f.read(64 << 10)))
                return false;
        }
        return true;
    };
    return r;
}

} // namespace kerbside::dashboard
