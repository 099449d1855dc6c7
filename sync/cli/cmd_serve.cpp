// SPDX-License-Identifier: Apache-2.0
// `kerbside serve`: runs the collector (HTTP or HTTPS) over an SQLite file or a PostgreSQL database.
#include "collectorcli.h"

#include "collectorserver.h"
#include "dashboard.h"
#include "dashboardroutes.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <pthread.h>
#include <thread>

namespace {

using namespace kerbside;
using namespace kerbside::cli;

const QString kUsage = QStringLiteral(
    "usage: kerbside serve --db PATH|sqlite:PATH|postgresql://... [--listen HOST:PORT] [--tls-cert FILE --tls-key FILE] [--max-body BYTES]\n"
    "                      [--max-connections-per-address N] [--head-deadline S] [--idle-timeout S]\n"
    "                      [--web-dir DIR] [--tiles URL] [--session-idle MINUTES]\n"
    "  --db        an SQLite file, or a PostgreSQL URL that several collectors may share\n"
    "  --listen    address to listen on (default 127.0.0.1:8787; port 0 picks a free one)\n"
    "  --max-body  largest batch upload accepted, bytes (default 16777216)\n"
    "  --max-connections-per-address  open connections one client address may hold (default 64);\n"
    "              more are answered 503 and closed\n"
    "  --head-deadline  seconds a request's line and headers may take from its first byte (default 10)\n"
    "  --idle-timeout   seconds a connection may wait with no request under way (default 5)\n"
    "  --web-dir   the dashboard's pages (default: installed share/kerbside/web, else the source tree's)\n"
    "  --tiles     a tile URL for the map's base layer, e.g. https://tile.example.org/{z}/{x}/{y}.png\n"
    "              (default none: the map draws areas and points on a plain background)\n"
    "  --session-idle  minutes a dashboard session may stay unused (default 30)\n"
    "The dashboard is at the printed URL (/); accounts: kerbside user add.\n"
    "Prints \"listening on URL\" once ready; logs one line per request on stderr.\n"
    "SIGINT/SIGTERM stop it after the requests under way.");

bool parseListen(const QString &text, QString *host, int *port)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return false;
    *host = text.left(colon);
    if (host->startsWith(QLatin1Char('[')) && host->endsWith(QLatin1Char(']')))
        *host = host->mid(1, host->size() - 2);
    bool ok = false;
    *port = text.mid(colon + 1).toInt(&ok);
    return ok && *port >= 0 && *port <= 65535;
}

// Installed pages beside the binary (../share/kerbside/web), else the source tree's.
QString defaultWebDir()
{
    const QString installed = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("../share/kerbside/web"));
    if (QFileInfo::exists(installed + QStringLiteral("/login.html")))
        return QDir::cleanPath(installed);
    return QStringLiteral(KERBSIDE_WEB_DIR);
}

int run(const QStringList &argv)
{
    CollectorArgs args;
    if (!parseCollectorArgs(argv, {QStringLiteral("db"), QStringLiteral("listen"), QStringLiteral("tls-cert"),
                                   QStringLiteral("tls-key"), QStringLiteral("max-body"),
                                   QStringLiteral("max-connections-per-address"), QStringLiteral("head-deadline"),
                                   QStringLiteral("idle-timeout"), QStringLiteral("web-dir"), QStringLiteral("tiles"),
                                   QStringLiteral("session-idle")},
                            {}, kUsage, &args))
        return kExitUsage;
    if (!args.positional.isEmpty()) {
        err(QStringLiteral("unexpected argument '%1'").arg(args.positional.first()));
        err(kUsage);
        return kExitUsage;
    }
    CollectorServerOptions options;
    if (!parseListen(args.value(QStringLiteral("listen"), QStringLiteral("127.0.0.1:8787")), &options.host, &options.port)) {
        err(QStringLiteral("--listen wants HOST:PORT, e.g. 127.0.0.1:8787"));
        return kExitUsage;
    }
    options.tlsCert = args.value(QStringLiteral("tls-cert"));
    options.tlsKey = args.value(QStringLiteral("tls-key"));
    if (args.has(QStringLiteral("max-body"))) {
        bool ok = false;
        options.maxBatchBytes = args.value(QStringLiteral("max-body")).toLongLong(&ok);
        if (!ok || options.maxBatchBytes < 1024) {
            err(QStringLiteral("--max-body wants a number of bytes, at least 1024"));
            return kExitUsage;
        }
    }
    if (args.has(QStringLiteral("max-connections-per-address"))) {
        bool ok = false;
        options.maxConnectionsPerAddress = args.value(QStringLiteral("max-connections-per-address")).toInt(&ok);
        if (!ok || options.maxConnectionsPerAddress < 1) {
            err(QStringLiteral("--max-connections-per-address wants a number, at least 1"));
            return kExitUsage;
        }
    }
    for (const auto &[name, target] : {std::pair{QStringLiteral("head-deadline"), &options.headDeadline},
                                       std::pair{QStringLiteral("idle-timeout"), &options.idleTimeout}}) {
        if (!args.has(name))
            continue;
        bool ok = false;
        const double seconds = args.value(name).toDouble(&ok);
        if (!ok || seconds < 0.1 || seconds > 3600) {
            err(QStringLiteral("--%1 wants seconds, 0.1 to 3600").arg(name));
            return kExitUsage;
        }
        *target = std::chrono::milliseconds(qint64(seconds * 1000));
    }
    dashboard::DashboardOptions web;
    web.webDir = args.value(QStringLiteral("web-dir"), defaultWebDir());
    web.leafletDir = QStringLiteral("/usr/share/javascript/leaflet");
    web.tilesUrl = args.value(QStringLiteral("tiles"));
    if (!web.tilesUrl.isEmpty() && !web.tilesUrl.startsWith(QLatin1String("https://")) && !web.tilesUrl.startsWith(QLatin1String("http://"))) {
        err(QStringLiteral("--tiles wants an http(s) URL with {z}/{x}/{y}"));
        return kExitUsage;
    }
    if (args.has(QStringLiteral("session-idle"))) {
        const int minutes = args.value(QStringLiteral("session-idle")).toInt();
        if (minutes < 1 || minutes > 24 * 60) {
            err(QStringLiteral("--session-idle wants 1 to 1440 minutes"));
            return kExitUsage;
        }
        web.idleExpiry = std::chrono::minutes(minutes);
    }
    // Signals go to one thread that stops the server; every other thread (the store's
    // checkpoint thread, the server's I/O and worker threads: all created later, inheriting
    // this mask) never sees them. Blocked before the store opens, or SIGTERM could land on the
    // store's thread and kill the process without a graceful stop.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    std::unique_ptr<CollectorStore> store = openCollectorDb(args, kUsage);
    if (!store)
        return kExitDatabase;
    dashboard::Dashboard board(*store, web);

    // A client that hangs up mid-response must not kill the collector: plain sockets are
    // written with MSG_NOSIGNAL, but OpenSSL's writes are not.
    std::signal(SIGPIPE, SIG_IGN);

    CollectorServer server(*store, options, [](const QString &line) {
        // One write per line, so lines from pool threads do not interleave.
        const QByteArray bytes = (line + QLatin1Char('\n')).toUtf8();
        std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    });
    dashboard::addRoutes(server.httpServer(), board); // pages under /, JSON under /api/v1/
    QString error;
    if (!server.bind(&error)) {
        err(QStringLiteral("kerbside serve: %1").arg(error));
        return kExitRefused;
    }
    std::atomic<bool> signalled{false};
    std::thread watcher([&server, &signalled, stopSignals] {
        int sig = 0;
        sigwait(&stopSignals, &sig);
        signalled = true;
        server.stop();
    });
    out(QStringLiteral("listening on %1").arg(server.url()));
    std::fflush(stdout);
    const bool ok = server.run();
    // If run() ended on its own, wake the watcher so it can be joined.
    if (!signalled)
        pthread_kill(watcher.native_handle(), SIGTERM);
    watcher.join();
    err(QStringLiteral("kerbside serve: stopped"));
    return ok ? kExitOk : kExitRefused;
}

const kerbside::cli::CommandRegistration reg{
    {QStringLiteral("serve"), QStringLiteral("run the collector (kerbside serve --db PATH --listen HOST:PORT)"), &run, kUsage}};

} // namespace
