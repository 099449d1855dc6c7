// SPDX-License-Identifier: Apache-2.0
// Dashboard: routing, sessions, CSRF, roles, login limiting, static files and the security
// headers. The data handlers are in dashboardapi.cpp.
#include "dashboard.h"

#include "passwords.h"

#include "collectorstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace kerbside::dashboard {

namespace {

const QByteArray kCookie = "kerbside_session";
const QByteArray kCsrfHeader = "x-kerbside-csrf";

QByteArray cookieValue(const WebRequest &r, const QByteArray &name)
{
    for (QByteArray part : r.header("cookie").split(';')) {
        part = part.trimmed();
        if (part.startsWith(name + '='))
            return part.mid(name.size() + 1);
    }
    return {};
}

QByteArray contentTypeFor(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("html")) return "text/html; charset=utf-8";
    if (suffix == QLatin1String("js") || suffix == QLatin1String("mjs")) return "text/javascript; charset=utf-8";
    if (suffix == QLatin1String("css")) return "text/css; charset=utf-8";
    if (suffix == QLatin1String("svg")) return "image/svg+xml";
    if (suffix == QLatin1String("png")) return "image/png";
    if (suffix == QLatin1String("json")) return "application/json";
    return "application/octet-stream";
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char d = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        d |= static_cast<unsigned char>(a[i] ^ b[i]);
    return d == 0;
}

// The pages: every one but the login page needs a session (else it redirects to /).
const QStringList &pages()
{
    static const QStringList p{QStringLiteral("overview.html"), QStringLiteral("casestudy.html"),
                               QStringLiteral("fieldworkers.html"), QStringLiteral("interviews.html"),
                               QStringLiteral("interview.html"), QStringLiteral("tablets.html"),
                               QStringLiteral("forms.html"), QStringLiteral("conflicts.html"),
                               QStringLiteral("exports.html")};
    return p;
}

} // namespace

WebResponse json(int status, const QJsonObject &object)
{
    WebResponse r;
    r.status = status;
    r.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return r;
}

WebResponse error(int status, const QString &message)
{
    return json(status, QJsonObject{{QStringLiteral("error"), message}});
}

Dashboard::Dashboard(CollectorStore &store, DashboardOptions options)
    : m_store(store), m_options(std::move(options)),
      m_forms([&store](const QString &id, const QString &version, const QString &cs) { return store.publishedForm(id, version, cs); }),
      m_exports(store)
{
}

bool Dashboard::owns(const QString &path)
{
    return path == QLatin1String("/") || path.startsWith(QLatin1String("/api/")) || path.startsWith(QLatin1String("/static/"))
        || path.startsWith(QLatin1String("/vendor/")) || (path.endsWith(QLatin1String(".html")) && !path.mid(1).contains(QLatin1Char('/')));
}

WebResponse Dashboard::handle(const WebRequest &request)
{
    WebResponse r;
    try {
        r = route(request);
    } catch (const CollectorError &e) {
        switch (e.code()) {
        case CollectorError::Code::NotFound: r = error(404, e.message()); break;
        case CollectorError::Code::Exists: r = error(409, e.message()); break;
        case CollectorError::Code::Invalid:
        case CollectorError::Code::Forbidden: r = error(400, e.message()); break;
        default: r = error(500, QStringLiteral("the collector's database failed"));
        }
    }
    for (const auto &[name, value] : securityHeaders())
        r.addHeader(name, value);
    return r;
}

QList<QPair<QByteArray, QByteArray>> Dashboard::securityHeaders() const
{
    // Scripts, styles, images and API calls come from this origin only (no inline script);
    // tiles, when configured, are images from their server.
    QByteArray img = "'self' data:";
    if (!m_options.tilesUrl.isEmpty()) {
        const QUrl tiles(m_options.tilesUrl.section(QLatin1Char('{'), 0, 0));
        img += ' ' + (tiles.scheme() + QStringLiteral("://") + tiles.authority()).toUtf8();
    }
    return {{"Content-Security-Policy",
             "default-src 'self'; img-src " + img + "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
            {"X-Content-Type-Options", "nosniff"},
            {"X-Frame-Options", "DENY"},
            {"Referrer-Policy", "no-referrer"},
            {"Cache-Control", "no-store"}};
}

WebResponse Dashboard::route(const WebRequest &request)
{
    const QString &path = request.path;
    if (path.startsWith(QLatin1String("/api/"))) {
        if (!path.startsWith(QLatin1String("/api/v1/")))
            return error(404, QStringLiteral("unknown API version"));
        if (path == QLatin1String("/api/v1/login")) {
            if (request.method != QLatin1String("POST"))
                return error(405, QStringLiteral("POST a JSON {name, password}"));
            return login(request);
        }
        const std::optional<Caller> who = caller(request);
        if (!who)
            return error(401, QStringLiteral("sign in first"));
        // Every state-changing request carries the session's CSRF token in a header a
        // cross-site form or image cannot set (Syncthing's rule; SameSite=Strict backs it up).
        if (request.method != QLatin1String("GET") && request.method != QLatin1String("HEAD")
            && !constantTimeEquals(request.header(kCsrfHeader), who->session.csrf.toLatin1()))
            return error(403, QStringLiteral("missing or wrong CSRF token (X-Kerbside-CSRF)"));
        if (who->user.mustChange && path != QLatin1String("/api/v1/password") && path != QLatin1String("/api/v1/session")
            && path != QLatin1String("/api/v1/logout"))
            return error(403, QStringLiteral("change the one-time password first"));
        return api(request, *who);
    }
    if (request.method != QLatin1String("GET") && request.method != QLatin1String("HEAD"))
        return error(405, QStringLiteral("pages are read with GET"));
    if (path.startsWith(QLatin1String("/static/")))
        return file(m_options.webDir + QStringLiteral("/static"), path.mid(8));
    if (path.startsWith(QLatin1String("/vendor/leaflet/")))
        return file(m_options.leafletDir, path.mid(16));
    return page(request);
}

WebResponse Dashboard::page(const WebRequest &request)
{
    const bool signedIn = caller(request).has_value();
    QString name = request.path.mid(1);
    if (name.isEmpty())
        name = signedIn ? QStringLiteral("overview.html") : QStringLiteral("login.html");
    if (name == QLatin1String("login.html"))
        return file(m_options.webDir, name);
    if (!pages().contains(name))
        return error(404, QStringLiteral("no such page"));
    if (!signedIn) {
        WebResponse r;
        r.status = 303;
        r.addHeader("Location", "/");
        return r;
    }
    return file(m_options.webDir, name);
}

WebResponse Dashboard::file(const QString &dir, const QString &relative)
{
    // Only plain names below the folder: no "..", no hidden files, no absolute paths.
    static const QRegularExpression safe(QStringLiteral("^([A-Za-z0-9_-][A-Za-z0-9_.-]*/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*$"));
    if (dir.isEmpty() || !safe.match(relative).hasMatch() || relative.contains(QLatin1String("..")))
        return error(404, QStringLiteral("not found"));
    QFile f(QDir(dir).filePath(relative));
    if (!QFileInfo(f).isFile() || !f.open(QIODevice::ReadOnly) || f.size() > (8 << 20))
        return error(404, QStringLiteral("not found"));
    WebResponse r;
    r.contentType = contentTypeFor(relative);
    r.body = f.readAll();
    return r;
}

std::optional<Dashboard::Caller> Dashboard::caller(const WebRequest &request)
{
    const QByteArray token = cookieValue(request, kCookie);
    if (token.isEmpty() || token.size() > 100)
        return std::nullopt;
    const QString hash = passwords::secretHash(QString::fromLatin1(token));
    std::optional<DashboardSession> s = m_store.session(hash);
    if (!s)
        return std::nullopt;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (s->lastSeen.secsTo(now) > m_options.idleExpiry.count()) {
        m_store.deleteSession(hash);
        return std::nullopt;
    }
    std::optional<DashboardUser> u = m_store.user(s->user);
    if (!u || u->disabled)
        return std::nullopt;
    // Touch at most once a minute: a page polling every few seconds need not write each time.
    if (s->lastSeen.secsTo(now) >= 60)
        m_store.touchSession(hash, now);
    return Caller{*s, *u};
}

WebResponse Dashboard::login(const WebRequest &request)
{
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QString name = body.value(QStringLiteral("name")).toString().left(64);
    const QString password = body.value(QStringLiteral("password")).toString();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (const qint64 wait = m_limiter.waitSeconds(request.remoteAddress, name, now)) {
        WebResponse r = error(429, QStringLiteral("too many failed sign-ins; try again in %1 s").arg(wait));
        r.addHeader("Retry-After", QByteArray::number(wait));
        return r;
    }
    const std::optional<DashboardUser> u = m_store.user(name);
    const bool ok = passwords::verify(password, u ? u->passwordHash : QString()) && u && !u->disabled;
    if (!ok) {
        m_limiter.failed(request.remoteAddress, name, now);
        return error(401, QStringLiteral("wrong user name or password"));
    }
    m_limiter.succeeded(request.remoteAddress, name);
    const QString token = passwords::newSecret();
    DashboardSession s{passwords::secretHash(token), u->name, passwords::newSecret(), now, now};
    m_store.addSession(s);
    WebResponse r = json(200, QJsonObject{{QStringLiteral("user"), u->name},
                                          {QStringLiteral("role"), u->role},
                                          {QStringLiteral("csrf"), s.csrf},
                                          {QStringLiteral("mustChange"), u->mustChange}});
    QByteArray cookie = kCookie + '=' + token.toLatin1() + "; Path=/; HttpOnly; SameSite=Strict";
    if (request.tls)
        cookie += "; Secure";
    r.addHeader("Set-Cookie", cookie);
    return r;
}

WebResponse Dashboard::logout(const WebRequest &, const Caller &who)
{
    m_store.deleteSession(who.session.tokenHash);
    WebResponse r = json(200, QJsonObject{{QStringLiteral("signedOut"), true}});
    r.addHeader("Set-Cookie", kCookie + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    return r;
}

WebResponse Dashboard::changePassword(const WebRequest &request, const Caller &who)
{
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QString current = body.value(QStringLiteral("current")).toString();
    const QString next = body.value(QStringLiteral("password")).toString();
    if (!passwords::verify(current, who.user.passwordHash))
        return error(403, QStringLiteral("the current password is wrong"));
    QString reason;
    if (!passwords::acceptable(next, &reason))
        return error(400, reason);
    DashboardUser u = who.user;
    u.passwordHash = passwords::hash(next);
    if (u.passwordHash.isEmpty())
        return error(500, QStringLiteral("cannot hash the password"));
    u.mustChange = false;
    m_store.updateUser(u);
    return json(200, QJsonObject{{QStringLiteral("changed"), true}});
}

WebResponse Dashboard::sessionInfo(const Caller &who)
{
    return json(200, QJsonObject{{QStringLiteral("user"), who.user.name},
                                 {QStringLiteral("role"), who.user.role},
                                 {QStringLiteral("caseStudies"), QJsonArray::fromStringList(who.user.caseStudies)},
                                 {QStringLiteral("csrf"), who.session.csrf},
                                 {QStringLiteral("mustChange"), who.user.mustChange},
                                 {QStringLiteral("tiles"), m_options.tilesUrl}});
}

QStringList Dashboard::visibleCaseStudies(const Caller &who)
{
    QStringList out;
    for (const CaseStudyRecord &c : m_store.caseStudies()) {
        if (who.user.sees(c.id))
            out.append(c.id);
    }
    return out;
}

} // namespace kerbside::dashboard
