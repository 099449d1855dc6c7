// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <chrono>
#include <functional>
#include <memory>

namespace kerbside {

namespace http {
class HttpServer;
}
class CollectorStore;

struct CollectorServerOptions
{
    QString host = QStringLiteral("127.0.0.1");
    int port = 0;                  // 0: pick a free port (see CollectorServer::port())
    QString tlsCert;               // PEM files; both set -> HTTPS
    QString tlsKey;
    qint64 maxBatchBytes = 16 << 20; // largest POST /v1/batches body; 500 responses are ~200 KB
    int maxConnectionsPerAddress = 64; // --max-connections-per-address
    std::chrono::milliseconds headDeadline{10'000}; // request line + headers, from the first byte
    std::chrono::milliseconds idleTimeout{5'000};   // keep-alive connection with no request
    // Enrolment attempts: a bucket of `enrolBurst` per client address, refilled at
    // enrolPerMinute, and one of 3 x that per code prefix (first two characters), so that
    // guesses spread over many addresses still meet a limit. Over it: 429 with Retry-After.
    int enrolBurst = 10;
    double enrolPerMinute = 10;
};

/** The collector's HTTP(S) endpoints over a CollectorStore, on http::HttpServer (Boost.Beast).
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

    // The underlying server: add routes (the dashboard's pages and /api/v1/) before bind().
    http::HttpServer &httpServer();
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
