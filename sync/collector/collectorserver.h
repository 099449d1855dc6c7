// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "webtypes.h"

#include <QString>

#include <chrono>
#include <functional>
#include <memory>

namespace kerbside {

class CollectorStore;

struct CollectorServerOptions
{
    QString host = QStringLiteral("127.0.0.1");
    int port = 0;                  // 0: pick a free port (see CollectorServer::port())
    QString tlsCert;               // PEM files; both set -> HTTPS
    QString tlsKey;
    qint64 maxBatchBytes = 16 << 20; // largest POST /v1/batches body; 500 responses are ~200 KB
    std::chrono::seconds readTimeout{20}; // a client silent this long mid-request is dropped
    std::chrono::milliseconds failedEnrolmentDelay{250}; // slows guessing enrolment codes
    // The dashboard (sync/dashboard), when served: the paths it owns and its handler. A thin
    // adapter until the Boost.Beast server's route API replaces it.
    std::function<bool(const QString &path)> webOwns;
    std::function<dashboard::WebResponse(const dashboard::WebRequest &)> web;
    qint64 maxUploadBytes = 10 << 20; // largest dashboard upload (a form file)
};

/** The collector's HTTP(S) endpoints over a CollectorStore, on cpp-httplib's thread pool.
 *  Sizes and credentials are checked from the headers before a body is read (see
 *  ARCHITECTURE.md). Log lines go to `log`: method, path, status, device id, sizes, time,
 *  error kind; never a token, enrolment code, query string or answer. */
class CollectorServer
{
public:
    using LogSink = std::function<void(const QString &line)>;
    CollectorServer(CollectorStore &store, CollectorServerOptions options, LogSink log);
    ~CollectorServer();
    CollectorServer(const CollectorServer &) = delete;
    CollectorServer &operator=(const CollectorServer &) = delete;

    // Loads the TLS files and binds. False with *error set when it cannot.
    bool bind(QString *error);
    int port() const;
    QString url() const; // "http://127.0.0.1:PORT" or https://...
    // Serves until stop(); requests under way are finished first.
    bool run();
    void stop(); // thread-safe; callable from a signal-watching thread

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace kerbside
