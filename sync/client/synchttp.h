// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "synctypes.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

namespace httplib {
class Client;
}

namespace kerbside {

/** The device's HTTP(S) connection to one collector, with bounded retries and exponential
 *  backoff. A transport failure, a 5xx, 408 or 429 is retried; any other status is returned
 *  to the caller, who decides. Blocking: meant for a worker thread. abort() may be called from
 *  any thread and ends a request or a backoff wait at once. Never logs a token or a body. */
class SyncHttp
{
public:
    struct Reply
    {
        int status = 0;
        QByteArray body;
        QString errorKind; // the collector's X-Kerbside-Error header, if any
        QString errorText() const; // the body as plain words (for 4xx)
    };
    // Called before each wait between attempts (attempt = the one that failed, from 1).
    using RetryHook = std::function<void(int attempt, std::chrono::milliseconds wait,
                                         const QString &why)>;

    // Throws SyncError Refused when the URL is not http(s)://host[:port][/prefix].
    SyncHttp(const QString &baseUrl, const SyncOptions &options);
    ~SyncHttp();
    SyncHttp(const SyncHttp &) = delete;
    SyncHttp &operator=(const SyncHttp &) = delete;

    void setToken(const QString &token) { m_token = token.toStdString(); }

    // path is relative to the URL's prefix ("/v1/batches"). Throws SyncError: Network (gave up
    // after maxAttempts), Cancelled.
    Reply get(const QString &path, const RetryHook &onRetry = {});
    Reply post(const QString &path, const QByteArray &body, const RetryHook &onRetry = {});

    void abort(); // thread-safe
    bool aborted() const { return m_aborted.load(); }
    int retries() const { return m_retries; }
    // The backoff before attempt n + 1 (n from 1): initial * 2^(n-1), capped, with +-20% jitter.
    static std::chrono::milliseconds backoff(const SyncOptions &options, int attempt);

private:
    Reply send(bool post, const QString &path, const QByteArray &body, const RetryHook &onRetry);
    void newClient();
    bool waitFor(std::chrono::milliseconds wait); // false when aborted

    SyncOptions m_options;
    std::string m_schemeHostPort;
    std::string m_prefix; // path prefix, no trailing slash
    std::string m_token;
    std::unique_ptr<httplib::Client> m_client;
    std::mutex m_mutex; // guards m_client against abort() from another thread
    std::condition_variable m_wake;
    std::atomic_bool m_aborted{false};
    int m_retries = 0;
};

} // namespace kerbside
