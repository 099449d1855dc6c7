// SPDX-License-Identifier: Apache-2.0
#include "exportjobs.h"

#include "collectorstore.h"
#include "exporter.h"
#include "exporterror.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QUuid>

#include <zip.h>

#include <algorithm>

namespace kerbside::dashboard {

namespace {

constexpr int kMaxRunning = 2;
constexpr qint64 kKeepSeconds = 30 * 60;

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

double ExportProgress::fraction() const
{
    if (state == QLatin1String("done"))
        return 1.0;
    // The passes take 95 %, the zip the rest; a pass never reads as finished before it is.
    const int pass = phase == QLatin1String("writing") && passes == 2 ? 1 : 0;
    const double inPass = expectedRows > 0 ? std::min(0.99, double(rows) / double(expectedRows)) : 0.0;
    if (state == QLatin1String("zipping"))
        return 0.95;
    return 0.95 * (pass + inPass) / passes;
}

ExportJobs::ExportJobs(CollectorStore &store) : m_store(store) {}

ExportJobs::~ExportJobs()
{
    for (auto &[id, t] : m_threads)
        t.join();
}

QString ExportJobs::start(const QString &owner, const ExportOptions &options, qint64 expectedRows, QString *why)
{
    std::lock_guard lock(m_mutex);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    int running = 0;
    for (auto it = m_jobs.begin(); it != m_jobs.end();) {
        if (it->ended.isValid() && it->ended.secsTo(now) > kKeepSeconds) {
            it = m_jobs.erase(it);
            continue;
        }
        if (!it->ended.isValid()) {
            ++running;
            if (it->owner == owner) {
                *why = QStringLiteral("your previous export is still running");
                return {};
            }
        }
        ++it;
    }
    if (running >= kMaxRunning) {
        *why = QStringLiteral("two exports are running already; try again when one has finished");
        return {};
    }
    const QString id = QUuid::createUuid().toString(QUuid::Id128);
    Job job;
    job.owner = owner;
    job.progress.expectedRows = expectedRows;
    job.progress.passes = options.formats.contains(QStringLiteral("sav")) || options.formats.contains(QStringLiteral("dta")) ? 2 : 1;
    job.dir = std::make_shared<QTemporaryDir>();
    if (!job.dir->isValid()) {
        *why = QStringLiteral("cannot make a temporary folder");
        return {};
    }
    m_jobs.insert(id, job);
    // Threads of ended jobs are joined here (they only return after marking the end), so the
    // list stays as long as the running ones.
    for (auto t = m_threads.begin(); t != m_threads.end();) {
        const auto j = m_jobs.constFind(t->first);
        if (j == m_jobs.constEnd() || j->ended.isValid()) {
            t->second.join();
            t = m_threads.erase(t);
        } else {
            ++t;
        }
    }
    m_threads.emplace_back(id, std::thread([this, id, options] { run(id, options); }));
    return id;
}

void ExportJobs::run(const QString &id, ExportOptions options)
{
    QString folder;
    {
        std::lock_guard lock(m_mutex);
        folder = m_jobs[id].dir->path();
    }
    auto progress = [this, &id](const QString &phase, qint64 rows) {
        std::lock_guard lock(m_mutex);
        ExportProgress &p = m_jobs[id].progress;
        p.phase = phase;
        p.rows = rows;
        if (phase.isEmpty())
            p.state = QStringLiteral("zipping");
    };
    QString zipPath;
    int status = 0;
    const QString why = exportToZip(m_store, std::move(options), folder, progress, &zipPath, &status);
    std::lock_guard lock(m_mutex);
    Job &job = m_jobs[id];
    job.ended = QDateTime::currentDateTimeUtc();
    job.zipPath = zipPath;
    job.progress.state = why.isEmpty() ? QStringLiteral("done") : QStringLiteral("failed");
    job.progress.error = why;
    job.progress.zipBytes = why.isEmpty() ? QFileInfo(zipPath).size() : 0;
}

std::optional<ExportProgress> ExportJobs::progress(const QString &id, const QString &owner)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_jobs.constFind(id);
    if (it == m_jobs.constEnd() || it->owner != owner)
        return std::nullopt;
    return it->progress;
}

std::optional<WebResponse> ExportJobs::download(const QString &id, const QString &owner)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_jobs.constFind(id);
    if (it == m_jobs.constEnd() || it->owner != owner || it->progress.state != QLatin1String("done"))
        return std::nullopt;
    return zipResponse(it->dir, it->zipPath);
}

QString ExportJobs::exportToZip(CollectorStore &store, ExportOptions o, const QString &folder,
                                const std::function<void(const QString &, qint64)> &progress, QString *zipPath, int *status)
{
    o.outDir = QDir(folder).filePath(QStringLiteral("export"));
    try {
        Exporter exporter(store, o);
        if (progress)
            exporter.setProgress(progress);
        exporter.run();
    } catch (const ExportError &e) {
        *status = 400;
        return e.message();
    } catch (const CollectorError &e) {
        *status = 500;
        return QStringLiteral("the collector's database failed: %1").arg(e.message());
    }
    if (progress)
        progress(QString(), 0); // zipping
    *zipPath = QDir(folder).filePath(QStringLiteral("export.zip"));
    if (const QString why = zipFolder(o.outDir, *zipPath); !why.isEmpty()) {
        *status = 500;
        return why;
    }
    return {};
}

WebResponse ExportJobs::zipResponse(const std::shared_ptr<QTemporaryDir> &keep, const QString &zipPath)
{
    WebResponse r;
    r.contentType = "application/zip";
    r.addHeader("Content-Disposition", "attachment; filename=\"kerbside-export.zip\"");
    r.addHeader("Content-Length", QByteArray::number(QFileInfo(zipPath).size()));
    r.stream = [keep, zipPath](const std::function<bool(const QByteArray &)> &sink) {
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
