// SPDX-License-Identifier: Apache-2.0
#include "synchttp.h"

#include "syncformat.h"

#include <httplib.h>

#include <QRandomGenerator>
#include <QUrl>

namespace kerbside {

namespace {

bool retryable(int status)
{
    // 408 request timeout, 429 too many requests, 5xx: the collector may do better later.
    return status == 408 || status == 429 || status >= 500;
}

} // namespace

QString SyncHttp::Reply::errorText() const
{
    const QString text = QString::fromUtf8(body).trimmed();
    if (!text.isEmpty() && text.size() < 2000)
        return text;
    return QStringLiteral("HTTP status %1").arg(status);
}

SyncHttp::SyncHttp(const QString &baseUrl, const SyncOptions &options) : m_options(options)
{
    const QUrl url(baseUrl.trimmed(), QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() || (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        || !url.query().isEmpty() || !url.userInfo().isEmpty())
        throw SyncError(SyncError::Code::Address,
                        QStringLiteral("the collector address \"%1\" is not of the form "
                                       "https://host[:port][/path]").arg(baseUrl));
    QString host = url.host(QUrl::FullyEncoded);
    if (host.contains(QLatin1Char(':')))
        host = QLatin1Char('[') + host + QLatin1Char(']'); // IPv6 literal
    m_schemeHostPort = (scheme + QStringLiteral("://") + host).toStdString();
    if (url.port() > 0)
        m_schemeHostPort += ":" + std::to_string(url.port());
    QString prefix = url.path(QUrl::FullyEncoded);
    while (prefix.endsWith(QLatin1Char('/')))
        prefix.chop(1);
    m_prefix = prefix.toStdString();
    newClient();
}

SyncHttp::~SyncHttp() = default;

void SyncHttp::newClient()
{
    auto client = std::make_unique<httplib::Client>(m_schemeHostPort);
    if (!client->is_valid())
        throw SyncError(SyncError::Code::Address,
                        QStringLiteral("cannot use the collector address %1")
                            .arg(QString::fromStdString(m_schemeHostPort)));
    client->set_connection_timeout(m_options.connectTimeout);
    client->set_read_timeout(m_options.readTimeout);
    client->set_write_timeout(m_options.readTimeout);
    client->set_keep_alive(true); // one connection for all batches of a sync
    client->set_tcp_nodelay(true);  // no delayed-ACK stall between headers and body
    client->set_follow_location(false);
    if (!m_options.caCertFile.isEmpty())
        client->set_ca_cert_path(m_options.caCertFile.toStdString());
    std::lock_guard lock(m_mutex);
    m_client = std::move(client);
}

void SyncHttp::abort()
{
    m_aborted = true;
    std::lock_guard lock(m_mutex);
    m_wake.notify_all();
    if (m_client)
        m_client->stop(); // shuts the socket: a blocked read or write returns at once
}

bool SyncHttp::waitFor(std::chrono::milliseconds wait)
{
    std::unique_lock lock(m_mutex);
    return !m_wake.wait_for(lock, wait, [this] { return m_aborted.load(); });
}

std::chrono::milliseconds SyncHttp::backoff(const SyncOptions &options, int attempt)
{
    const qint64 initial = std::max<qint64>(1, options.initialBackoff.count());
    const qint64 cap = std::max<qint64>(initial, options.maxBackoff.count());
    qint64 wait = initial;
    for (int i = 1; i < attempt && wait < cap; ++i)
        wait *= 2;
    wait = std::min(wait, cap);
    // Jitter spreads out devices that lost the collector at the same moment.
    const double factor = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    return std::chrono::milliseconds(std::max<qint64>(1, qint64(double(wait) * factor)));
}

SyncHttp::Reply SyncHttp::get(const QString &path, const RetryHook &onRetry)
{
    return send(false, path, {}, onRetry);
}

SyncHttp::Reply SyncHttp::post(const QString &path, const QByteArray &body, const RetryHook &onRetry)
{
    return send(true, path, body, onRetry);
}

SyncHttp::Reply SyncHttp::send(bool post, const QString &path, const QByteArray &body,
                               const RetryHook &onRetry)
{
    const std::string fullPath = m_prefix + path.toStdString();
    const int attempts = std::max(1, m_options.maxAttempts);
    QString why;
    for (int attempt = 1;; ++attempt) {
        if (m_aborted)
            throw SyncError(SyncError::Code::Cancelled, QStringLiteral("sync cancelled"));
        httplib::Headers headers{{"Accept", syncformat::kContentType}};
        if (!m_token.empty())
            headers.emplace("Authorization", "Bearer " + m_token);
        httplib::Client *client = m_client.get(); // only this thread replaces it
        httplib::Result res = post
            ? client->Post(fullPath, headers, body.constData(), size_t(body.size()), syncformat::kContentType)
            : client->Get(fullPath, headers);
        if (m_aborted)
            throw SyncError(SyncError::Code::Cancelled, QStringLiteral("sync cancelled"));
        if (res) {
            Reply reply;
            reply.status = res->status;
            reply.body = QByteArray(res->body.data(), qsizetype(res->body.size()));
            reply.errorKind = QString::fromStdString(res->get_header_value(syncformat::kErrorHeader));
            if (!retryable(reply.status))
                return reply;
            why = QStringLiteral("the collector answered HTTP %1").arg(reply.status);
        } else {
            why = QStringLiteral("connection failed (%1)")
                      .arg(QString::fromStdString(httplib::to_string(res.error())));
        }
        if (attempt >= attempts)
            throw SyncError(SyncError::Code::Network,
                            QStringLiteral("could not reach the collector after %1 attempts: %2")
                                .arg(attempts).arg(why));
        const std::chrono::milliseconds wait = backoff(m_options, attempt);
        ++m_retries;
        if (onRetry)
            onRetry(attempt, wait, why);
        if (!waitFor(wait))
            throw SyncError(SyncError::Code::Cancelled, QStringLiteral("sync cancelled"));
    }
}

} // namespace kerbside
