// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "exportoptions.h"
#include "webtypes.h"

#include <QDateTime>
#include <QHash>
#include <QString>

#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

class QTemporaryDir;

namespace kerbside {
class CollectorStore;
}

namespace kerbside::dashboard {

/** How far one export is, as the Exports page polls it. */
struct ExportProgress
{
    QString state = QStringLiteral("running"); // "running", "zipping", "done", "failed"
    QString phase;             // the exporter's: "measuring" (.sav/.dta widths), "writing"
    qint64 rows = 0;           // rows of the phase done (the exporter reports every 10,000)
    qint64 expectedRows = 0;   // interviews of the chosen case studies (counters kept at merge)
    int passes = 1;            // 2 with .sav or .dta (a measuring pass first)
    qint64 zipBytes = 0;       // when done
    QString error;
    double fraction() const;   // 0..1 over the passes and the zipping
};

/** The exports the Exports page starts (POST /api/v1/exports): each runs the exporter on its
 *  own thread into a temporary folder and zips it to a file there, then waits to be
 *  downloaded, streamed in 64 KiB pieces: memory stays flat however large the export. A
 *  finished job is dropped 30 minutes after it ended. At most two run at once, one per user.
 *  Thread-safe; the destructor waits for running exports. */
class ExportJobs
{
public:
    explicit ExportJobs(CollectorStore &store);
    ~ExportJobs();
    ExportJobs(const ExportJobs &) = delete;
    ExportJobs &operator=(const ExportJobs &) = delete;

    // The new job's id, or "" with *why when refused (too many running).
    QString start(const QString &owner, const ExportOptions &options, qint64 expectedRows, QString *why);
    std::optional<ExportProgress> progress(const QString &id, const QString &owner);
    // The finished zip, streamed; nullopt when there is no such finished job of `owner`.
    std::optional<WebResponse> download(const QString &id, const QString &owner);

    // Runs one export into `folder` and zips it there (blocking): "" and *zipPath, or why not
    // (*status 400 for a bad request, 500 for a failure here).
    static QString exportToZip(CollectorStore &store, ExportOptions options, const QString &folder,
                               const std::function<void(const QString &, qint64)> &progress, QString *zipPath, int *status);
    // The zip as an attachment streamed in 64 KiB pieces; `keep` holds its folder until sent.
    static WebResponse zipResponse(const std::shared_ptr<QTemporaryDir> &keep, const QString &zipPath);

private:
    struct Job
    {
        QString owner;
        ExportProgress progress;
        std::shared_ptr<QTemporaryDir> dir;
        QString zipPath;
        QDateTime ended;
    };
    void run(const QString &id, ExportOptions options);

    CollectorStore &m_store;
    std::mutex m_mutex;
    QHash<QString, Job> m_jobs;
    std::list<std::pair<QString, std::thread>> m_threads; // by job id
};

} // namespace kerbside::dashboard
