// SPDX-License-Identifier: Apache-2.0
#include "collectorserver.h"

#include "fieldworkwire.h"

#include "batchcodec.h"
#include "collectorstore.h"
#include "credentials.h"
#include "kerbside/v1/sync.pb.h"

#include "http/httpserver.h"
#include "http/ratelimiter.h"

#include <QDateTime>
#include <QHash>
#include <QSet>

#include <mutex>

namespace kerbside {

using http::HttpRequest;
using http::HttpResponse;

namespace {

constexpr qint64 kSmallBodyBytes = 64 * 1024; // every endpoint but /v1/batches
constexpr qint64 kTouchIntervalMs = 60 * 1000;  // last-seen is written at most once a minute
const std::string kDeviceNote = "device";       // the authenticated device id, for handlers and the log
const std::string kCaseStudiesNote = "case-studies"; // its case studies, '\n'-separated
const std::string kLogNote = "log-note"; // appended to the log line (e.g. "disk full: FILE"); never a secret

HttpResponse reply(const google::protobuf::MessageLite &message)
{
    return HttpResponse::text(200, message.SerializeAsString(), syncformat::kContentType);
}

HttpResponse fail(int status, const QString &kind, const QString &message)
{
    HttpResponse res = HttpResponse::text(status, (message + QLatin1Char('\n')).toStdString());
    res.headers.set(syncformat::kErrorHeader, kind.toStdString());
    return res;
}

template <typename Message>
std::optional<HttpResponse> parseBody(const HttpRequest &req, Message *message)
{
    if (!message->ParseFromString(req.body))
        return fail(400, QStringLiteral("malformed"),
                    QStringLiteral("body is not a valid %1 message").arg(QString::fromStdString(message->GetTypeName())));
    if (message->format() != syncformat::kFormatVersion)
        return fail(422, QStringLiteral("unsupported-version"),
                    QStringLiteral("format version %1; this collector speaks version %2").arg(message->format()).arg(syncformat::kFormatVersion));
    return std::nullopt;
}

bool isProtobuf(const HttpRequest &req)
{
    return req.header("Content-Type").rfind(syncformat::kContentType, 0) == 0;
}

QString deviceOf(const HttpRequest &req)
{
    const auto it = req.notes.find(kDeviceNote);
    return it == req.notes.end() ? QString() : QString::fromStdString(it->second);
}

QStringList caseStudiesOf(const HttpRequest &req)
{
    const auto it = req.notes.find(kCaseStudiesNote);
    if (it == req.notes.end() || it->second.empty())
        return {};
    return QString::fromStdString(it->second).split(QLatin1Char('\n'));
}

} // namespace

struct CollectorServer::Private
{
    CollectorStore &store;
    CollectorServerOptions options;
    LogSink log;
    std::unique_ptr<http::HttpServer> server;
    http::RateLimiter enrolByAddress;
    http::RateLimiter enrolByPrefix;
    std::mutex touchMutex;
    QHash<QString, qint64> lastTouch; // device id -> ms

    Private(CollectorStore &s, CollectorServerOptions o, LogSink l);

    // Runs on the headers alone, before any body byte is read: the bearer token.
    std::optional<HttpResponse> authenticate(HttpRequest &req);
    void logExchange(const http::ExchangeRecord &r);
    void routes();

    HttpResponse enrol(HttpRequest &req);
    HttpResponse forms(HttpRequest &req);
    HttpResponse form(HttpRequest &req);
    HttpResponse batches(HttpRequest &req);
    HttpResponse status(HttpRequest &req);
    HttpResponse report(HttpRequest &req); // POST /v1/status (i12)
};

CollectorServer::Private::Private(CollectorStore &s, CollectorServerOptions o, LogSink l)
    : store(s), options(std::move(o)), log(std::move(l)),
      enrolByAddress(options.enrolBurst, options.enrolPerMinute / 60.0),
      enrolByPrefix(3.0 * options.enrolBurst, 3.0 * options.enrolPerMinute / 60.0)
{
    http::HttpServerOptions h;
    h.host = options.host.toStdString();
    h.port = options.port;
    h.tlsCert = options.tlsCert.toLocal8Bit().toStdString();
    h.tlsKey = options.tlsKey.toLocal8Bit().toStdString();
    h.maxConnectionsPerAddress = options.maxConnectionsPerAddress;
    h.headDeadline = options.headDeadline;
    h.idleTimeout = options.idleTimeout;
    h.defaultBodyLimit = kSmallBodyBytes;
    h.errorHeader = syncformat::kErrorHeader;
    server = std::make_unique<http::HttpServer>(h, [this](const http::ExchangeRecord &r) { logExchange(r); });
    routes();
}

std::optional<HttpResponse> CollectorServer::Private::authenticate(HttpRequest &req)
{
    const std::string auth = req.header("Authorization");
    static const std::string kBearer = "Bearer ";
    if (auth.size() <= kBearer.size() || auth.compare(0, kBearer.size(), kBearer) != 0) {
        HttpResponse res = fail(401, QStringLiteral("unauthenticated"), QStringLiteral("send Authorization: Bearer <device token>"));
        res.headers.set("WWW-Authenticate", "Bearer");
        return res;
    }
    const QString token = QString::fromStdString(auth.substr(kBearer.size())).trimmed();
    std::optional<DeviceRecord> device;
    try {
        device = store.deviceByTokenHash(Credentials::hash(token));
    } catch (const CollectorError &) {
        return fail(503, QStringLiteral("unavailable"), QStringLiteral("the collector's database is unavailable; try again later"));
    }
    if (!device) {
        HttpResponse res = fail(401, QStringLiteral("unauthenticated"), QStringLiteral("unknown device token; enrol the device again"));
        res.headers.set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        return res;
    }
    req.notes[kDeviceNote] = device->id.toStdString();
    if (device->isRevoked())
        return fail(403, QStringLiteral("revoked"), QStringLiteral("this device was revoked by the coordinator"));
    req.notes[kCaseStudiesNote] = device->caseStudies.join(QLatin1Char('\n')).toStdString();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    bool touch = false;
    {
        std::lock_guard lock(touchMutex);
        qint64 &last = lastTouch[device->id];
        if (now - last >= kTouchIntervalMs) {
            last = now;
            touch = true;
        }
    }
    if (touch) {
        try {
            store.touchDevice(device->id, QDateTime::fromMSecsSinceEpoch(now, Qt::UTC));
        } catch (const CollectorError &) {
            // Last-seen is informative; the request itself goes on.
        }
    }
    return std::nullopt;
}

void CollectorServer::Private::logExchange(const http::ExchangeRecord &r)
{
    // Only the path (the query is kept apart), never headers or bodies.
    auto orDash = [](const std::string &s) { return s.empty() ? QStringLiteral("-") : QString::fromStdString(s); };
    const QString device = deviceOf(r.request);
    QString line = QStringLiteral("%1 %2 %3 %4 %5 device=%6 in=%7B out=%8B %9ms")
                       .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs), orDash(r.request.peerAddress),
                            orDash(r.request.method), orDash(r.request.path))
                       .arg(r.response.status)
                       .arg(device.isEmpty() ? QStringLiteral("-") : device)
                       .arg(r.bytesIn)
                       .arg(r.bytesOut)
                       .arg(r.milliseconds, 0, 'f', 1);
    const std::string kind = r.response.headers.value(syncformat::kErrorHeader);
    if (!r.dropped.empty())
        line += QStringLiteral(" error=") + QString::fromStdString(r.dropped);
    else if (!kind.empty())
        line += QStringLiteral(" error=") + QString::fromStdString(kind);
    if (const auto note = r.request.notes.find(kLogNote); note != r.request.notes.end())
        line += QLatin1Char(' ') + QString::fromStdString(note->second);
    log(line);
}

HttpResponse CollectorServer::Private::enrol(HttpRequest &req)
{
    if (!isProtobuf(req))
        return fail(415, QStringLiteral("unsupported-media-type"), QStringLiteral("send application/x-protobuf"));
    v1::EnrolRequest request;
    if (std::optional<HttpResponse> bad = parseBody(req, &request))
        return std::move(*bad);
    const QString code = Credentials::normaliseCode(QString::fromStdString(request.code()));
    // Every attempt takes a token from its address's bucket and its code prefix's; a good
    // code gives them back. Refused at once (429), never delayed: no thread waits on a guesser.
    const std::string address = req.peerAddress;
    const std::string prefix = code.left(2).toStdString();
    int wait = enrolByAddress.take(address);
    if (wait == 0) {
        wait = enrolByPrefix.take(prefix);
        if (wait != 0)
            enrolByAddress.refund(address);
    }
    if (wait != 0) {
        HttpResponse res = fail(429, QStringLiteral("too-many-attempts"),
                                QStringLiteral("too many enrolment attempts; try again in %1 s").arg(wait));
        res.headers.set("Retry-After", std::to_string(wait));
        return res;
    }
    const QString token = Credentials::newToken();
    try {
        if (code.isEmpty())
            throw CollectorError(CollectorError::Code::NotFound, QStringLiteral("unknown enrolment code"));
        const Enrolment e = store.redeemEnrolmentCode(Credentials::hash(code), QDateTime::currentDateTimeUtc(),
                                                      Credentials::newDeviceId(), Credentials::hash(token),
                                                      QString::fromStdString(request.device_label()).left(200));
        enrolByAddress.refund(address);
        enrolByPrefix.refund(prefix);
        req.notes[kDeviceNote] = e.device.id.toStdString();
        v1::EnrolResponse out;
        out.set_format(syncformat::kFormatVersion);
        out.set_device_id(e.device.id.toStdString());
        out.set_token(token.toStdString());
        for (const CaseStudyRecord &cs : e.caseStudies) {
            v1::CaseStudy *c = out.add_case_studies();
            c->set_id(cs.id.toStdString());
            c->set_name(cs.name.toStdString());
        }
        return reply(out);
    } catch (const CollectorError &e) {
        switch (e.code()) {
        case CollectorError::Code::NotFound:
            return fail(403, QStringLiteral("code-unknown"), QStringLiteral("enrolment code not recognised; check it with the coordinator"));
        case CollectorError::Code::Used:
            return fail(409, QStringLiteral("code-used"), QStringLiteral("this enrolment code was used already; ask the coordinator for a new one"));
        case CollectorError::Code::Expired:
            return fail(410, QStringLiteral("code-expired"), QStringLiteral("this enrolment code has expired; ask the coordinator for a new one"));
        default:
            return fail(503, QStringLiteral("unavailable"), QStringLiteral("the collector's database is unavailable; try again later"));
        }
    }
}

namespace {
void formToWire(const PublishedFormRecord &f, v1::PublishedForm *out)
{
    out->set_id(f.formId.toStdString());
    out->set_version(f.version.toStdString());
    for (const QString &cs : f.caseStudies)
        out->add_case_studies(cs.toStdString());
    out->set_json(f.json.constData(), size_t(f.json.size()));
    out->set_sha256(f.sha256.constData(), size_t(f.sha256.size()));
    out->set_published_ms(f.published.toMSecsSinceEpoch());
    out->set_title(f.title.toStdString());
}
} // namespace

HttpResponse CollectorServer::Private::forms(HttpRequest &req)
{
    v1::FormManifest manifest;
    manifest.set_format(syncformat::kFormatVersion);
    const QStringList caseStudies = caseStudiesOf(req);
    if (!caseStudies.isEmpty()) {
        for (const PublishedFormRecord &f : store.forms(caseStudies))
            formToWire(f, manifest.add_forms());
        addFieldworkPlans(store, caseStudies, &manifest); // quotas and area (i12)
    }
    return reply(manifest);
}

HttpResponse CollectorServer::Private::form(HttpRequest &req)
{
    const QString id = QString::fromStdString(req.param("id"));
    const QString version = QString::fromStdString(req.param("version"));
    const QStringList caseStudies = caseStudiesOf(req);
    if (!caseStudies.isEmpty()) {
        for (const PublishedFormRecord &f : store.forms(caseStudies)) {
            if (f.formId == id && f.version == version) {
                v1::PublishedForm out;
                formToWire(f, &out);
                return reply(out);
            }
        }
    }
    return fail(404, QStringLiteral("not-found"), QStringLiteral("no such form version published to this device's case studies"));
}

HttpResponse CollectorServer::Private::batches(HttpRequest &req)
{
    if (!isProtobuf(req))
        return fail(415, QStringLiteral("unsupported-media-type"), QStringLiteral("send application/x-protobuf"));
    const QByteArray raw = QByteArray::fromStdString(req.body);
    const QString deviceId = deviceOf(req);
    IncomingBatch batch;
    try {
        batch = BatchCodec::decode(raw);
    } catch (const ProtocolError &e) {
        const int status = e.code() == ProtocolError::Code::UnsupportedVersion ? 422
            : e.code() == ProtocolError::Code::TooLarge                         ? 413
                                                                                : 400;
        return fail(status, ProtocolError::codeName(e.code()), e.message());
    }
    if (batch.header.deviceId != deviceId) {
        return fail(403, QStringLiteral("forbidden"),
                    QStringLiteral("batch names device %1, but the token belongs to %2").arg(batch.header.deviceId, deviceId));
    }
    const QStringList caseStudies = caseStudiesOf(req);
    const QSet<QString> allowed(caseStudies.begin(), caseStudies.end());
    for (const IncomingResponse &r : batch.responses) {
        if (!allowed.contains(r.meta.caseStudy)) {
            return fail(403, QStringLiteral("forbidden"),
                        QStringLiteral("response %1 belongs to case study %2, which this device is not enrolled in")
                            .arg(r.meta.uuid, r.meta.caseStudy));
        }
    }
    for (const IncomingContact &c : batch.contacts) {
        if (!allowed.contains(c.entry.caseStudy)) {
            return fail(403, QStringLiteral("forbidden"),
                        QStringLiteral("contact %1 belongs to case study %2, which this device is not enrolled in")
                            .arg(c.entry.uuid, c.entry.caseStudy));
        }
    }
    try {
        const MergeResult result = store.mergeBatch(batch, raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc());
        return HttpResponse::text(200, result.ack.toStdString(), syncformat::kContentType);
    } catch (const CollectorError &e) {
        switch (e.code()) {
        case CollectorError::Code::Forbidden:
            return fail(403, QStringLiteral("forbidden"), e.message());
        case CollectorError::Code::Invalid:
            return fail(422, QStringLiteral("invalid"), e.message());
        default:
            // Nothing was stored (the transaction rolled back): the device will retry.
            if (e.message().contains(QLatin1String("disk full")))
                req.notes[kLogNote] = e.message().toStdString(); // names the file; never the batch
            return fail(503, QStringLiteral("unavailable"), QStringLiteral("the collector could not store the batch; try again later"));
        }
    }
}

HttpResponse CollectorServer::Private::status(HttpRequest &req)
{
    const QString deviceId = deviceOf(req);
    v1::StatusSummary out;
    out.set_format(syncformat::kFormatVersion);
    out.set_device_id(deviceId.toStdString());
    out.set_server_time_ms(QDateTime::currentMSecsSinceEpoch());
    if (const std::optional<DeviceRecord> d = store.device(deviceId)) {
        out.set_batches(quint64(d->batches));
        out.set_last_sequence(d->lastSequence);
        if (d->lastBatch.isValid())
            out.set_last_batch_ms(d->lastBatch.toMSecsSinceEpoch());
        if (d->missingSequences > 0) {
            const QList<quint64> seen = store.sequences(d->id);
            quint64 expected = 1;
            for (quint64 s : seen) {
                for (; expected < s && out.missing_sequences_size() < 100; ++expected)
                    out.add_missing_sequences(expected);
                expected = s + 1;
            }
        }
    }
    for (const CaseStudyCounts &c : store.counts(deviceId)) {
        v1::CaseStudyStatus *s = out.add_case_studies();
        s->set_id(c.id.toStdString());
        s->set_name(c.name.toStdString());
        s->set_responses_from_device(quint64(c.responsesFromDevice));
        s->set_contacts_from_device(quint64(c.contactsFromDevice));
        s->set_responses_total(quint64(c.responsesTotal));
        s->set_open_conflicts(quint64(c.openConflicts));
    }
    return reply(out);
}

HttpResponse CollectorServer::Private::report(HttpRequest &req)
{
    if (!isProtobuf(req))
        return fail(415, QStringLiteral("unsupported-media-type"), QStringLiteral("send application/x-protobuf"));
    v1::StatusRequest request;
    if (std::optional<HttpResponse> bad = parseBody(req, &request))
        return std::move(*bad);
    QList<UnsyncedComplete> items;
    items.reserve(request.unsynced_size());
    for (const v1::UnsyncedComplete &u : request.unsynced()) {
        items.append({BatchCodec::uuidFromWire(QByteArray::fromStdString(u.uuid()), QString::fromStdString(u.uuid_text())),
                      QString::fromStdString(u.case_study()), QString::fromStdString(u.cell())});
    }
    try {
        store.recordDeviceReport(deviceOf(req), items);
    } catch (const CollectorError &e) {
        if (e.code() == CollectorError::Code::Invalid)
            return fail(422, QStringLiteral("invalid"), e.message());
        return fail(503, QStringLiteral("unavailable"), QStringLiteral("the collector could not keep the report; try again later"));
    }
    return status(req);
}

void CollectorServer::Private::routes()
{
    http::HttpServer &s = *server;
    // Device endpoints: the bearer token is checked from the headers, before the body is read
    // (and before `Expect: 100-continue` is answered), so a refused upload is never sent.
    http::RouteOptions device;
    device.screen = [this](HttpRequest &req) { return authenticate(req); };
    http::RouteOptions upload = device;
    upload.bodyLimit = std::uint64_t(options.maxBatchBytes);
    s.get("/healthz", [](HttpRequest &) { return HttpResponse::text(200, "ok\n", "text/plain"); });
    s.post("/v1/enrol", [this](HttpRequest &q) { return enrol(q); });
    s.get("/v1/forms", [this](HttpRequest &q) { return forms(q); }, device);
    s.get("/v1/forms/{id}/{version}", [this](HttpRequest &q) { return form(q); }, device);
    s.post("/v1/batches", [this](HttpRequest &q) { return batches(q); }, upload);
    s.get("/v1/status", [this](HttpRequest &q) { return status(q); }, device);
    http::RouteOptions report = device; // up to CollectorStore::kMaxUnsynced items of ~80 bytes
    report.bodyLimit = 2 * 1024 * 1024;
    s.post("/v1/status", [this](HttpRequest &q) { return this->report(q); }, report);
}

CollectorServer::CollectorServer(CollectorStore &store, CollectorServerOptions options, LogSink log)
    : d(std::make_unique<Private>(store, std::move(options), std::move(log)))
{
}

CollectorServer::~CollectorServer() = default;

http::HttpServer &CollectorServer::httpServer()
{
    return *d->server;
}

bool CollectorServer::bind(QString *error)
{
    std::string message;
    if (!d->server->bind(&message)) {
        *error = QString::fromStdString(message);
        return false;
    }
    return true;
}

int CollectorServer::port() const
{
    return d->server->port();
}

QString CollectorServer::url() const
{
    QString host = d->options.host;
    if (host.contains(QLatin1Char(':')))
        host = QLatin1Char('[') + host + QLatin1Char(']');
    return QStringLiteral("%1://%2:%3").arg(d->server->tls() ? QStringLiteral("https") : QStringLiteral("http"), host).arg(port());
}

bool CollectorServer::run()
{
    return d->server->run();
}

void CollectorServer::stop()
{
    d->server->stop();
}

} // namespace kerbside
