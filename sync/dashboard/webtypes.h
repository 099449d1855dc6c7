// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>

#include <functional>

namespace kerbside::dashboard {

/** One HTTP request as the dashboard sees it, independent of the server that parsed it. */
struct WebRequest
{
    QString method;               // "GET", "POST", ...
    QString path;                 // decoded path, no query
    QMap<QString, QString> query; // decoded query parameters (last one wins)
    QMap<QByteArray, QByteArray> headers; // names lower-case
    QByteArray body;
    QString remoteAddress;
    bool tls = false;
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
};

/** The answer. A `stream` (exports) writes the body in pieces after the headers; `body` is
 *  ignored then. Return false from the sink to stop (the client went away). */
struct WebResponse
{
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers; // besides the security headers, added always
    std::function<bool(const std::function<bool(const QByteArray &)> &sink)> stream;
    void addHeader(const QByteArray &name, const QByteArray &value) { headers.append(qMakePair(name, value)); }
};

} // namespace kerbside::dashboard
