// SPDX-License-Identifier: Apache-2.0
#include "collectorserver.h"

#include "batchcodec.h"
#include "collectorstore.h"
#include "credentials.h"
#include "kerbside/v1/sync.pb.h"

#include <httplib.h>

#include <QDateTime>
#include <QHash>
#include <QSet>

#include <mutex>
#include <thread>

namespace kerbside {

namespace {

constexpr qint64 kSmallBodyBytes = 64 * 1024; // every endpoint but /v1/batches
constexpr qint64 kTouchIntervalMs = 60 * 1000;  // last-seen is written at most once a minute

/** Per-request state. httplib runs the pre-routing handler, the route handler and the logger
 *  of one request on the same pool thread, so a thread_local carries it between them. */
struct RequestState
{
    std::chrono::steady_clock::time_point start;
    QString deviceId;
    QStringList caseStudies;
    QString errorKind; // the X-Kerbside-Error value, for the log
};
thread_local RequestState t_request;

void reply(httplib::Response &res, const google::protobuf::MessageLite &message)
{
    res.status = 200;
    res.set_content(message.SerializeAsString(), syncformat::kContentType);
}

void fail(httplib::Response &res, int status, const QString &kind, const QString &message)
{
    res.status = status;
    res.set_header(syncformat::kErrorHeader, kind.toStdString());
    res.set_content((message + QLatin1Char('\n')).toStdString(), "text/plain; charset=utf-8");
    t_request.errorKind = kind;
}

template <typename Message>
bool parseBody(const httplib::Request &req, httplib::Response &res, Message *message)
{
    if (!message->ParseFromString(req.body)) {
        fail(res, 400, QStringLiteral("malformed"), QStringLiteral("body is not a valid %1 message")
                                                         .arg(QString::fromStdString(message->GetTypeName())));
        return false;
    }
    if (message->format() != syncformat::kFormatVersion) {
        fail(res, 422, QStringLiteral("unsupported-version"),
             QStringLiteral("format version %1; this collector speaks version %2")
                 .arg(message->format()).arg(syncformat::kFormatVersion));
        return false;
    }
    return true;
}

bool isProtobuf(const httplib::Request &req)
{
    const std::string type = req.get_header_value("Content-Type");
    return type.rfind(syncformat::kContentType, 0) == 0;
}

} // namespace

struct CollectorServer::Private
{
    CollectorStore &store;
    CollectorServerOptions options;
    LogSink log;
    std::unique_ptr<httplib::Server> server;
    int port = 0;
    std::mutex touchMutex;
    QHash<QString, qint64> lastTouch; // device id -> ms

    Private(CollectorStore &s, CollectorServerOptions o, LogSink l)
        : store(s), options(std::move(o)), log(std::move(l)) {}

    // Decides from the headers alone, before any body byte is read: size, then credentials.
    // Returns 0 to go on, else the status already set in `res`.
    int screen(const httplib::Request &req, httplib::Response &res);
    void logRequest(const httplib::Request &req, const httplib::Response &res);
    void routes();

    void enrol(const httplib::Request &req, httplib::Response &res);
    void forms(const httplib::Request &req, httplib::Response &res);
    void form(const httplib::Request &req, httplib::Response &res);
    void batches(const httplib::Request &req, httplib::Response &res);
    void status(const httplib::Request &req, httplib::Response &res);
    void web(const httplib::Request &req, httplib::Response &res);
};

int CollectorServer::Private::screen(const httplib::Request &req, httplib::Response &res)
{
    const bool isBatch = req.path == "/v1/batches";
    const qint64 limit = isBatch ? options.maxBatchBytes
                                 : req.path == "/api/v1/forms" ? options.maxUploadBytes : kSmallBodyBytes;
    if (req.has_header("Transfer-Encoding")) {
        // A chunked body has no length to check up front: refuse it rather than read it.
        fail(res, 411, QStringLiteral("length-required"), QStringLiteral("send the body with a Content-Length"));
        return 411;
    }
    if (req.has_header("Content-Length")) {
        bool ok = false;
        const qint64 length = QByteArray::fromStdString(req.get_header_value("Content-Length")).toLongLong(&ok);
        if (!ok || length < 0) {
            fail(res, 400, QStringLiteral("malformed"), QStringLiteral("bad Content-Length"));
            return 400;
        }
        if (length > limit) {
            fail(res, 413, QStringLiteral("too-large"),
                 QStringLiteral("body of %1 bytes is over this endpoint's limit of %2 bytes").arg(length).arg(limit));
            return 413;
        }
    } else if (req.method == "POST") {
        fail(res, 411, QStringLiteral("length-required"), QStringLiteral("send the body with a Content-Length"));
        return 411;
    }

    const bool needsDevice = req.path.rfind("/v1/", 0) == 0 && req.path != "/v1/enrol";
    if (!needsDevice)
        return 0;
    const std::string auth = req.get_header_value("Authorization");
    static const std::string kBearer = "Bearer ";
    if (auth.size() <= kBearer.size() || auth.compare(0, kBearer.size(), kBearer) != 0) {
        res.set_header("WWW-Authenticate", "Bearer");
        fail(res, 401, QStringLiteral("unauthenticated"), QStringLiteral("send Authorization: Bearer <device token>"));
        return 401;
    }
    const QString token = QString::fromStdString(auth.substr(kBearer.size())).trimmed();
    std::optional<DeviceRecord> device;
    try {
        device = store.deviceByTokenHash(Credentials::hash(token));
    } catch (const CollectorError &) {
        fail(res, 503, QStringLiteral("unavailable"), QStringLiteral("the collector's database is unavailable; try again later"));
        return 503;
    }
    if (!device) {
        res.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        fail(res, 401, QStringLiteral("unauthenticated"), QStringLiteral("unknown device token; enrol the device again"));
        return 401;
    }
    t_request.deviceId = device->id;
    if (device->isRevoked()) {
        fail(res, 403, QStringLiteral("revoked"), QStringLiteral("this device was revoked by the coordinator"));
        return 403;
    }
    t_request.caseStudies = device->caseStudies;
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
    return 0;
}

void CollectorServer::Private::logRequest(const httplib::Request &req, const httplib::Response &res)
{
    const auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_request.start);
    // Only the path (httplib keeps the query apart), never headers or bodies.
    QString line = QStringLiteral("%1 %2 %3 %4 %5 device=%6 in=%7B out=%8B %9ms")
                       .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs),
                            req.remote_addr.empty() ? QStringLiteral("-") : QString::fromStdString(req.remote_addr),
                            QString::fromStdString(req.method), QString::fromStdString(req.path))
                       .arg(res.status)
                       .arg(t_request.deviceId.isEmpty() ? QStringLiteral("-") : t_request.deviceId)
                       .arg(req.body.size())
                       .arg(res.body.size())
                       .arg(elapsed.count(), 0, 'f', 1);
    if (!t_request.errorKind.isEmpty())
        line += QStringLiteral(" error=") + t_request.errorKind;
    log(line);
}

void CollectorServer::Private::enrol(const httplib::Request &req, httplib::Response &res)
{
    if (!isProtobuf(req)) {
        fail(res, 415, QStringLiteral("unsupported-media-type"), QStringLiteral("send application/x-protobuf"));
        return;
    }
    v1::EnrolRequest request;
    if (!parseBody(req, res, &request))
        return;
    const QString code = Credentials::normaliseCode(QString::fromStdString(request.code()));
    const QString token = Credentials::newToken();
    try {
        if (code.isEmpty())
            throw CollectorError(CollectorError::Code::NotFound, QStringLiteral("unknown enrolment code"));
        const Enrolment e = store.redeemEnrolmentCode(Credentials::hash(code), QDateTime::currentDateTimeUtc(),
                                                      Credentials::newDeviceId(), Credentials::hash(token),
                                                      QString::fromStdString(request.device_label()).left(200));
        t_request.deviceId = e.device.id;
        v1::EnrolResponse out;
        out.set_format(syncformat::kFormatVersion);
        out.set_device_id(e.device.id.toStdString());
        out.set_token(token.toStdString());
        for (const CaseStudyRecord &cs : e.caseStudies) {
            v1::CaseStudy *c = out.add_case_studies();
            c->set_id(cs.id.toStdString());
            c->set_name(cs.name.toStdString());
        }
        reply(res, out);
    } catch (const CollectorError &e) {
        switch (e.code()) {
        case CollectorError::Code::NotFound:
            std::this_thread::sleep_for(options.failedEnrolmentDelay);
            fail(res, 403, QStringLiteral("code-unknown"), QStringLiteral("enrolment code not recognised; check it with the coordinator"));
            break;
        case CollectorError::Code::Used:
            fail(res, 409, QStringLiteral("code-used"), QStringLiteral("this enrolment code was used already; ask the coordinator for a new one"));
            break;
        case CollectorError::Code::Expired:
            fail(res, 410, QStringLiteral("code-expired"), QStringLiteral("this enrolment code has expired; ask the coordinator for a new one"));
            break;
        default:
            fail(res, 503, QStringLiteral("unavailable"), QStringLiteral("the collector's database is unavailable; try again later"));
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

void CollectorServer::Private::forms(const httplib::Request &, httplib::Response &res)
{
    v1::FormManifest manifest;
    manifest.set_format(syncformat::kFormatVersion);
    if (!t_request.caseStudies.isEmpty()) {
        for (const PublishedFormRecord &f : store.forms(t_request.caseStudies))
            formToWire(f, manifest.add_forms());
    }
    reply(res, manifest);
}

void CollectorServer::Private::form(const httplib::Request &req, httplib::Response &res)
{
    const QString id = QString::fromStdString(req.matches[1].str());
    const QString version = QString::fromStdString(req.matches[2].str());
    if (!t_request.caseStudies.isEmpty()) {
        for (const PublishedFormRecord &f : store.forms(t_request.caseStudies)) {
            if (f.formId == id && f.version == version) {
                v1::PublishedForm out;
                formToWire(f, &out);
                reply(res, out);
                return;
            }
        }
    }
    fail(res, 404, QStringLiteral("not-found"), QStringLiteral("no such form version published to this device's case studies"));
}

void CollectorServer::Private::batches(const httplib::Request &req, httplib::Response &res)
{
    if (!isProtobuf(req)) {
        fail(res, 415, QStringLiteral("unsupported-media-type"), QStringLiteral("send application/x-protobuf"));
        return;
    }
    const QByteArray raw = QByteArray::fromStdString(req.body);
    IncomingBatch batch;
    try {
        batch = BatchCodec::decode(raw);
    } catch (const ProtocolError &e) {
        const int status = e.code() == ProtocolError::Code::UnsupportedVersion ? 422 : 400;
        fail(res, status, ProtocolError::codeName(e.code()), e.message());
        return;
    }
    if (batch.header.deviceId != t_request.deviceId) {
        fail(res, 403, QStringLiteral("forbidden"),
             QStringLiteral("batch names device %1, but the token belongs to %2").arg(batch.header.deviceId, t_request.deviceId));
        return;
    }
    const QSet<QString> allowed(t_request.caseStudies.begin(), t_request.caseStudies.end());
    for (const IncomingResponse &r : batch.responses) {
        if (!allowed.contains(r.meta.caseStudy)) {
            fail(res, 403, QStringLiteral("forbidden"),
                 QStringLiteral("response %1 belongs to case study %2, which this device is not enrolled in")
                     .arg(r.meta.uuid, r.meta.caseStudy));
            return;
        }
    }
    for (const IncomingContact &c : batch.contacts) {
        if (!allowed.contains(c.entry.caseStudy)) {
            fail(res, 403, QStringLiteral("forbidden"),
                 QStringLiteral("contact %1 belongs to case study %2, which this device is not enrolled in")
                     .arg(c.entry.uuid, c.entry.caseStudy));
            return;
        }
    }
    try {
        const MergeResult result = store.mergeBatch(batch, raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc());
        res.status = 200;
        res.set_content(result.ack.toStdString(), syncformat::kContentType);
    } catch (const CollectorError &e) {
        switch (e.code()) {
        case CollectorError::Code::Forbidden:
            fail(res, 403, QStringLiteral("forbidden"), e.message());
            break;
        case CollectorError::Code::Invalid:
            fail(res, 422, QStringLiteral("invalid"), e.message());
            break;
        default:
            // Nothing was stored (the transaction rolled back): the device will retry.
            fail(res, 503, QStringLiteral("unavailable"), QStringLiteral("the collector could not store the batch; try again later"));
        }
    }
}

void CollectorServer::Private::status(const httplib::Request &, httplib::Response &res)
{
    v1::StatusSummary out;
    out.set_format(syncformat::kFormatVersion);
    out.set_device_id(t_request.deviceId.toStdString());
    out.set_server_time_ms(QDateTime::currentMSecsSinceEpoch());
    if (const std::optional<DeviceRecord> d = store.device(t_request.deviceId)) {
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
    for (const CaseStudyCounts &c : store.counts(t_request.deviceId)) {
        v1::CaseStudyStatus *s = out.add_case_studies();
        s->set_id(c.id.toStdString());
        s->set_name(c.name.toStdString());
        s->set_responses_from_device(quint64(c.responsesFromDevice));
        s->set_contacts_from_device(quint64(c.contactsFromDevice));
        s->set_responses_total(quint64(c.responsesTotal));
        s->set_open_conflicts(quint64(c.openConflicts));
    }
    reply(res, out);
}

void CollectorServer::Private::routes()
{
    httplib::Server &s = *server;
    s.set_pre_routing_handler([this](const httplib::Request &req, httplib::Response &res) {
        t_request = RequestState{std::chrono::steady_clock::now(), {}, {}, {}};
        return screen(req, res) == 0 ? httplib::Server::HandlerResponse::Unhandled
                                     : httplib::Server::HandlerResponse::Handled;
    });
    // curl (and others) ask before sending a large body: answer from the same checks, so a
    // refused upload is never sent at all.
    s.set_expect_100_continue_handler([this](const httplib::Request &req, httplib::Response &res) {
        t_request = RequestState{std::chrono::steady_clock::now(), {}, {}, {}};
        const int status = screen(req, res);
        return status == 0 ? 100 : status;
    });
    s.set_logger([this](const httplib::Request &req, const httplib::Response &res) { logRequest(req, res); });
    s.set_exception_handler([](const httplib::Request &, httplib::Response &res, std::exception_ptr) {
        fail(res, 500, QStringLiteral("internal"), QStringLiteral("internal error; nothing was stored"));
    });
    s.Get("/healthz", [](const httplib::Request &, httplib::Response &res) { res.set_content("ok\n", "text/plain"); });
    s.Post("/v1/enrol", [this](const httplib::Request &q, httplib::Response &r) { enrol(q, r); });
    s.Get("/v1/forms", [this](const httplib::Request &q, httplib::Response &r) { forms(q, r); });
    s.Get(R"(/v1/forms/([^/]+)/([^/]+))", [this](const httplib::Request &q, httplib::Response &r) { form(q, r); });
    s.Post("/v1/batches", [this](const httplib::Request &q, httplib::Response &r) { batches(q, r); });
    s.Get("/v1/status", [this](const httplib::Request &q, httplib::Response &r) { status(q, r); });
    if (options.web) {
        auto handler = [this](const httplib::Request &q, httplib::Response &r) { web(q, r); };
        s.Get(".*", handler);
        s.Post("/api/.*", handler);
    }
}

// The dashboard through cpp-httplib: the request copied into a WebRequest, the answer back.
void CollectorServer::Private::web(const httplib::Request &req, httplib::Response &res)
{
    const QString path = QString::fromStdString(req.path);
    if (!options.webOwns(path)) {
        fail(res, 404, QStringLiteral("not-found"), QStringLiteral("no such page"));
        return;
    }
    dashboard::WebRequest w;
    w.method = QString::fromStdString(req.method);
    w.path = path;
    for (const auto &[k, v] : req.params)
        w.query.insert(QString::fromStdString(k), QString::fromStdString(v));
    for (const auto &[k, v] : req.headers)
        w.headers.insert(QByteArray::fromStdString(k).toLower(), QByteArray::fromStdString(v));
    w.body = QByteArray::fromStdString(req.body);
    w.remoteAddress = QString::fromStdString(req.remote_addr);
    w.tls = !options.tlsCert.isEmpty();
    dashboard::WebResponse out = options.web(w);
    res.status = out.status;
    for (const auto &[k, v] : out.headers) {
        if (!(out.stream && k == "Content-Length"))
            res.set_header(k.toStdString(), v.toStdString());
    }
    if (out.stream) {
        auto stream = std::move(out.stream);
        res.set_chunked_content_provider(out.contentType.toStdString(), [stream](size_t, httplib::DataSink &sink) {
            stream([&sink](const QByteArray &piece) { return sink.write(piece.constData(), size_t(piece.size())); });
            sink.done();
            return true;
        });
        return;
    }
    res.set_content(out.body.toStdString(), out.contentType.toStdString());
}

CollectorServer::CollectorServer(CollectorStore &store, CollectorServerOptions options, LogSink log)
    : d(std::make_unique<Private>(store, std::move(options), std::move(log)))
{
}

CollectorServer::~CollectorServer() = default;

bool CollectorServer::bind(QString *error)
{
    const bool tls = !d->options.tlsCert.isEmpty() || !d->options.tlsKey.isEmpty();
    if (tls) {
        if (d->options.tlsCert.isEmpty() || d->options.tlsKey.isEmpty()) {
            *error = QStringLiteral("TLS needs both --tls-cert and --tls-key");
            return false;
        }
        d->server = std::make_unique<httplib::SSLServer>(d->options.tlsCert.toLocal8Bit().constData(),
                                                         d->options.tlsKey.toLocal8Bit().constData());
        if (!d->server->is_valid()) {
            *error = QStringLiteral("cannot load the TLS certificate %1 or key %2").arg(d->options.tlsCert, d->options.tlsKey);
            return false;
        }
    } else {
        d->server = std::make_unique<httplib::Server>();
    }
    d->server->set_payload_max_length(size_t(d->options.maxBatchBytes)); // backstop to screen()
    d->server->set_read_timeout(d->options.readTimeout);
    d->server->set_write_timeout(d->options.readTimeout);
    d->server->set_keep_alive_timeout(10);
    // Headers and body go out in separate writes: with Nagle's algorithm the second waits for
    // the peer's delayed ACK (~40 ms per request on Linux, more than the merge itself).
    d->server->set_tcp_nodelay(true);
    d->routes();
    const std::string host = d->options.host.toStdString();
    if (d->options.port == 0) {
        d->port = d->server->bind_to_any_port(host);
    } else {
        d->port = d->server->bind_to_port(host, d->options.port) ? d->options.port : -1;
    }
    if (d->port <= 0) {
        *error = QStringLiteral("cannot listen on %1:%2").arg(d->options.host).arg(d->options.port);
        return false;
    }
    return true;
}

int CollectorServer::port() const
{
    return d->port;
}

QString CollectorServer::url() const
{
    const bool tls = !d->options.tlsCert.isEmpty();
    QString host = d->options.host;
    if (host.contains(QLatin1Char(':')))
        host = QLatin1Char('[') + host + QLatin1Char(']');
    return QStringLiteral("%1://%2:%3").arg(tls ? QStringLiteral("https") : QStringLiteral("http"), host).arg(d->port);
}

bool CollectorServer::run()
{
    return d->server && d->server->listen_after_bind();
}

void CollectorServer::stop()
{
    if (d->server)
        d->server->stop();
}

} // namespace kerbside
