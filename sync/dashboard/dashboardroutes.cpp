// SPDX-License-Identifier: Apache-2.0
#include "dashboardroutes.h"

#include "dashboard.h"
#include "http/httpserver.h"

namespace kerbside::dashboard {

namespace {

constexpr std::uint64_t kUploadLimit = 10 << 20; // a form file

WebRequest toWeb(const http::HttpRequest &req)
{
    WebRequest w;
    w.method = QString::fromStdString(req.method);
    w.path = QString::fromStdString(req.path);
    for (const auto &[k, v] : req.queryItems())
        w.query.insert(QString::fromStdString(k), QString::fromStdString(v));
    for (const auto &[k, v] : req.headers.fields())
        w.headers.insert(QByteArray::fromStdString(k).toLower(), QByteArray::fromStdString(v));
    w.body = QByteArray::fromStdString(req.body);
    w.remoteAddress = QString::fromStdString(req.peerAddress);
    w.tls = req.tls;
    return w;
}

http::HttpResponse fromWeb(WebResponse out)
{
    http::HttpResponse r;
    if (out.stream) {
        auto stream = std::move(out.stream);
        r = http::HttpResponse::streamed(out.contentType.toStdString(), [stream](std::shared_ptr<http::StreamChannel> channel) {
            stream([&channel](const QByteArray &piece) { return channel->write(piece.toStdString()); });
            channel->close();
        });
    } else {
        r.body = out.body.toStdString();
        r.headers.set("Content-Type", out.contentType.toStdString());
    }
    r.status = out.status;
    for (const auto &[k, v] : out.headers) {
        if (!(r.stream && k == "Content-Length"))
            r.headers.add(k.toStdString(), v.toStdString());
    }
    return r;
}

} // namespace

void addRoutes(http::HttpServer &server, Dashboard &board)
{
    auto handler = [&board](http::HttpRequest &req) {
        if (!Dashboard::owns(QString::fromStdString(req.path)))
            return fromWeb(error(404, QStringLiteral("no such page")));
        return fromWeb(board.handle(toWeb(req)));
    };
    server.get("/", handler);
    server.get("/{page}", handler); // "/overview.html"...; owns() refuses anything else
    server.get("/static/*", handler);
    server.get("/vendor/*", handler);
    server.get("/api/*", handler);
    http::RouteOptions upload;
    upload.bodyLimit = kUploadLimit;
    server.post("/api/v1/forms", handler, upload);
    server.post("/api/*", handler);
    // The server's own answers (404 for an unknown path, 401/403 from screening, 413, 429,
    // 500) carry the same headers as the dashboard's: a refusal is a page too.
    server.setResponseHook([&board](const http::HttpRequest &, http::HttpResponse &response) {
        if (response.headers.has("Content-Security-Policy"))
            return;
        for (const auto &[name, value] : board.securityHeaders())
            response.headers.set(name.toStdString(), value.toStdString());
    });
}

} // namespace kerbside::dashboard
