// SPDX-License-Identifier: Apache-2.0
// Issue 10, part 4: the collector's HTTP layer cannot be held by a few idle or slow sockets.
// A real `kerbside serve` on loopback; attackers connect from other 127/8 addresses (all
// loopback) so that the per-address limits meet them and not the honest client. Outcomes are
// asserted (answered, dropped, refused), never durations.
#include <catch2/catch.hpp>

#include "batchcodec.h"
#include "collectorprocess.h"
#include "kerbside/v1/sync.pb.h"
#include "syncsamples.h"
#include "voxpopform.h"

#include <QRegularExpression>
#include <QThread>

#include <algorithm>

#include <csignal>
#include <vector>

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace kerbside;
using namespace kerbside::test;

namespace {

[[maybe_unused]] const bool kIgnoreSigpipe = [] {
    std::signal(SIGPIPE, SIG_IGN);
    return true;
}();

/** A TCP connection to the collector from a chosen loopback address. */
class Socket
{
public:
    Socket(const char *from, int port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(m_fd >= 0);
        sockaddr_in local{};
        local.sin_family = AF_INET;
        REQUIRE(inet_pton(AF_INET, from, &local.sin_addr) == 1);
        REQUIRE(::bind(m_fd, reinterpret_cast<sockaddr *>(&local), sizeof local) == 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(quint16(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0);
        timeval tv{30, 0};
        setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    ~Socket()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Socket(const Socket &) = delete;
    Socket &operator=(const Socket &) = delete;
    Socket(Socket &&o) noexcept : m_fd(std::exchange(o.m_fd, -1)) {}

    bool send(const QByteArray &bytes) { return ::send(m_fd, bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL) == bytes.size(); }

    // Without waiting: has the collector closed (or reset) this connection?
    bool closedByPeer()
    {
        char c;
        const ssize_t n = ::recv(m_fd, &c, 1, MSG_DONTWAIT | MSG_PEEK);
        return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
    }

    // Reads until the server closes (or 30 s pass): everything it sent.
    QByteArray readAll()
    {
        QByteArray all;
        char buf[4096];
        for (;;) {
            const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
            if (n <= 0)
                break;
            all.append(buf, n);
        }
        return all;
    }

    // Reads one response with a Content-Length body (keep-alive).
    QByteArray readResponse()
    {
        QByteArray all;
        char buf[4096];
        qsizetype need = -1;
        while (need < 0 || all.size() < need) {
            const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
            if (n <= 0)
                break;
            all.append(buf, n);
            const qsizetype end = all.indexOf("\r\n\r\n");
            if (need < 0 && end >= 0) {
                static const QRegularExpression re(QStringLiteral("Content-Length: *(\\d+)"), QRegularExpression::CaseInsensitiveOption);
                const QRegularExpressionMatch m = re.match(QString::fromLatin1(all.left(end)));
                need = end + 4 + (m.hasMatch() ? m.captured(1).toLongLong() : 0);
            }
        }
        return all;
    }

    // Waits (up to the 30 s receive timeout) for the server to close: true if it did.
    bool waitClosed()
    {
        char buf[256];
        for (;;) {
            const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
            if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
                return true;
            if (n < 0)
                return false;
        }
    }

private:
    int m_fd = -1;
};

struct Reply
{
    int status = 0;
    QByteArray head;
    QByteArray body;
    QString header(const char *name) const
    {
        const QRegularExpression re(QStringLiteral("\r\n%1: *([^\r]*)").arg(QLatin1String(name)), QRegularExpression::CaseInsensitiveOption);
        return re.match(QString::fromLatin1(head)).captured(1);
    }
};

Reply parseReply(const QByteArray &raw)
{
    Reply r;
    const qsizetype end = raw.indexOf("\r\n\r\n");
    r.head = raw.left(end);
    r.body = end >= 0 ? raw.mid(end + 4) : QByteArray();
    if (raw.startsWith("HTTP/1.1 "))
        r.status = raw.mid(9, 3).toInt();
    return r;
}

Reply exchange(const char *from, int port, const QByteArray &method, const QByteArray &path, const QByteArray &body = {},
               const QByteArray &extraHeaders = {})
{
    Socket s(from, port);
    QByteArray request = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extraHeaders;
    if (method == "POST")
        request += "Content-Type: application/x-protobuf\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    REQUIRE(s.send(request + "\r\n" + body));
    return parseReply(s.readAll());
}

struct Collector
{
    QTemporaryDir dir;
    QString db = dir.filePath(QStringLiteral("collector.db"));
    std::unique_ptr<CollectorProcess> server;

    explicit Collector(const QStringList &serveArgs = {})
    {
        REQUIRE(runKerbside({QStringLiteral("casestudy"), QStringLiteral("add"), QStringLiteral("leeds"), QStringLiteral("--name"),
                             QStringLiteral("Leeds"), QStringLiteral("--db"), db}).exitCode == 0);
        // The uploads answer the vox pop form: the collector accepts only responses to a form
        // version published to their case study.
        publishVoxpop(*openCollectorStore(db), {QStringLiteral("leeds")});
        server = std::make_unique<CollectorProcess>(db, serveArgs);
    }

    QString newCode() const
    {
        const CommandResult r = runKerbside({QStringLiteral("enrol"), QStringLiteral("--case-study"), QStringLiteral("leeds"),
                                             QStringLiteral("--db"), db});
        REQUIRE(r.exitCode == 0);
        static const QRegularExpression re(QStringLiteral("code: ([A-Z0-9]{5}-[A-Z0-9]{5})"));
        const QRegularExpressionMatch m = re.match(r.out);
        REQUIRE(m.hasMatch());
        return m.captured(1);
    }

    Reply enrolFrom(const char *from, const QString &code) const
    {
        v1::EnrolRequest req;
        req.set_format(1);
        req.set_code(code.toStdString());
        return exchange(from, server->port(), "POST", "/v1/enrol", QByteArray::fromStdString(req.SerializeAsString()));
    }

    std::pair<QString, QString> enrol(const char *from = "127.0.0.1") const
    {
        const Reply r = enrolFrom(from, newCode());
        REQUIRE(r.status == 200);
        v1::EnrolResponse out;
        REQUIRE(out.ParseFromString(r.body.toStdString()));
        return {QString::fromStdString(out.device_id()), QString::fromStdString(out.token())};
    }

    // Uploads 3 responses; the number the acknowledgement accepted (-status on a refusal).
    int upload(const std::pair<QString, QString> &device, quint64 sequence) const
    {
        const QByteArray body = BatchCodec::encode(header(device.first, sequence),
                                                   voxpopBatch(3, 0, QStringLiteral("leeds"), device.first), voxpopTypes());
        const Reply r = exchange("127.0.0.1", server->port(), "POST", "/v1/batches", body,
                                 "Authorization: Bearer " + device.second.toUtf8() + "\r\n");
        if (r.status != 200)
            return -r.status;
        v1::BatchAck ack;
        REQUIRE(ack.ParseFromString(r.body.toStdString()));
        int accepted = 0;
        for (const v1::ItemAck &a : ack.responses())
            accepted += a.outcome() == v1::OUTCOME_ACCEPTED;
        return accepted;
    }
};

const QByteArray kSlowHead = "POST /v1/batches HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\n"
                             "Authorization: Bearer not-a-real-token-at-all\r\nContent-Length: 10\r\n\r\n";

} // namespace

TEST_CASE("100 idle and 16 slowloris connections do not stop an upload, and slowloris is dropped at the head deadline",
          "[security][http]")
{
    // Idle connections stay for this test (60 s), so the upload is served while all are open.
    Collector c({QStringLiteral("--idle-timeout"), QStringLiteral("60")});
    const auto device = c.enrol();
    std::vector<Socket> idle;
    for (int i = 0; i < 100; ++i)
        idle.emplace_back(i % 2 ? "127.0.0.3" : "127.0.0.4", c.server->port());
    std::vector<Socket> slow;
    std::vector<int> sent(16, 1);
    for (int i = 0; i < 16; ++i) {
        slow.emplace_back("127.0.0.5", c.server->port());
        REQUIRE(slow.back().send(kSlowHead.left(1)));
    }

    CHECK(c.upload(device, 1) == 3);
    CHECK(c.upload(device, 2) == 3);
    int idleOpen = 0;
    for (Socket &s : idle)
        idleOpen += !s.closedByPeer();
    CHECK(idleOpen == 100); // the uploads were served while every idle connection was held

    // One byte a second: the whole head would take kSlowHead.size() s; the collector drops
    // each connection when its head deadline (10 s) passes. Up to 60 rounds.
    std::vector<bool> dropped(16, false);
    for (int round = 0; round < 60 && std::count(dropped.begin(), dropped.end(), true) < 16; ++round) {
        QThread::sleep(1);
        for (int i = 0; i < 16; ++i) {
            if (dropped[i])
                continue;
            if (slow[i].closedByPeer() || !slow[i].send(kSlowHead.mid(sent[i], 1)))
                dropped[i] = true;
            else
                ++sent[i];
        }
    }
    for (int i = 0; i < 16; ++i) {
        INFO("slowloris connection " << i << " sent " << sent[i] << " bytes");
        CHECK(dropped[i]);
        CHECK(sent[i] < kSlowHead.size()); // dropped before its head was complete
    }
    CHECK(c.upload(device, 3) == 3);
    idle.clear();
    CHECK(c.server->stop() == 0);
    CHECK(c.server->log().contains(QStringLiteral("error=head-timeout")));
}

TEST_CASE("an idle keep-alive connection is closed by the collector", "[security][http]")
{
    Collector c({QStringLiteral("--idle-timeout"), QStringLiteral("1")});
    Socket s("127.0.0.1", c.server->port());
    REQUIRE(s.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    const Reply r = parseReply(s.readResponse());
    CHECK(r.status == 200);
    CHECK(r.body == "ok\n");
    // Keep-alive: nothing more is sent, and the collector hangs up (within the 30 s receive timeout).
    CHECK(s.waitClosed());
    // A connection that never sends anything is closed the same way.
    Socket silent("127.0.0.2", c.server->port());
    CHECK(silent.waitClosed());
}

TEST_CASE("connections beyond the per-address limit are refused at once with 503", "[security][http]")
{
    Collector c({QStringLiteral("--max-connections-per-address"), QStringLiteral("8"), QStringLiteral("--idle-timeout"),
                 QStringLiteral("60")});
    std::vector<Socket> held;
    for (int i = 0; i < 8; ++i)
        held.emplace_back("127.0.0.6", c.server->port());
    {
        // The ninth from that address is answered without sending anything, and closed.
        Socket ninth("127.0.0.6", c.server->port());
        const Reply r = parseReply(ninth.readAll());
        CHECK(r.status == 503);
        CHECK(r.header("X-Kerbside-Error") == QStringLiteral("too-many-connections"));
        CHECK_FALSE(r.header("Retry-After").isEmpty());
        // Written before any request is read, it still carries the headers of every answer.
        CHECK(r.header("Content-Security-Policy").contains(QStringLiteral("default-src 'self'")));
        CHECK(r.header("Content-Security-Policy").contains(QStringLiteral("frame-ancestors 'none'")));
        CHECK(r.header("X-Content-Type-Options") == QStringLiteral("nosniff"));
        CHECK(r.header("Content-Length") == QString::number(r.body.size()));
        CHECK(r.body.startsWith("too many connections"));
    }
    // Another address is served meanwhile.
    CHECK(exchange("127.0.0.7", c.server->port(), "GET", "/healthz").status == 200);
    // Freeing a slot lets the address in again (once the collector has seen the close).
    held.pop_back();
    int status = 0;
    for (int attempt = 0; attempt < 100 && status != 200; ++attempt) {
        status = exchange("127.0.0.6", c.server->port(), "GET", "/healthz").status;
        if (status != 200)
            QThread::msleep(50);
    }
    CHECK(status == 200);
    held.clear();
    CHECK(c.server->stop() == 0);
    CHECK(c.server->log().contains(QStringLiteral("127.0.0.6 - - 503 device=- in=0B out=0B")));
}

TEST_CASE("enrolment guesses get 429 with Retry-After, per address and per code prefix, and a real enrolment still works",
          "[security][http]")
{
    Collector c;
    const QString real = c.newCode();
    // Guesses in the right format, with a first character other than the real code's.
    const QString alphabet = QStringLiteral("34679ACDEFGHJKMNPQRTWXY");
    const QChar first = alphabet.at((alphabet.indexOf(real.at(0)) + 1) % alphabet.size());
    auto guess = [&](int i) {
        QString g = first + QStringLiteral("%1").arg(i, 4, 10, QLatin1Char('0')) + QStringLiteral("-AAAAA");
        for (QChar &ch : g) {
            if (ch.isDigit() && !alphabet.contains(ch))
                ch = QLatin1Char('C');
        }
        return g;
    };
    std::vector<int> statuses;
    Reply limited;
    for (int i = 0; i < 40 && limited.status != 429; ++i) {
        const Reply r = c.enrolFrom("127.0.0.8", guess(i));
        statuses.push_back(r.status);
        if (r.status == 429)
            limited = r;
    }
    INFO("statuses before the limit: " << statuses.size());
    REQUIRE(limited.status == 429);
    CHECK(statuses.size() <= 15); // a burst of 10 (and what refilled meanwhile), then refused
    CHECK(std::count(statuses.begin(), statuses.end(), 403) == qsizetype(statuses.size()) - 1); // code-unknown
    CHECK(limited.header("Retry-After").toInt() >= 1);
    CHECK(limited.header("X-Kerbside-Error") == QStringLiteral("too-many-attempts"));
    // Even the right code is refused from the limited address: it is not tried at all.
    CHECK(c.enrolFrom("127.0.0.8", real).status == 429);
    // Another address enrols with it.
    CHECK(c.enrolFrom("127.0.0.9", real).status == 200);

    // Guesses spread over many addresses (one each) sharing one code prefix meet that prefix's
    // limit; a code with another prefix is unaffected.
    Reply prefixLimited;
    int tries = 0;
    for (int i = 0; i < 60 && prefixLimited.status != 429; ++i, ++tries) {
        const QByteArray from = "127.0.1." + QByteArray::number(i + 1);
        const Reply r = c.enrolFrom(from.constData(), guess(100 + i));
        if (r.status == 429)
            prefixLimited = r;
    }
    CHECK(prefixLimited.status == 429);
    CHECK(tries <= 40);
    const QString other = c.newCode();
    if (other.at(0) != first)
        CHECK(c.enrolFrom("127.0.2.1", other).status == 200);
}

TEST_CASE("HTTP-level refusals, chunked and length-less uploads 411, bad Content-Length 400, huge headers 431, 100-continue after screening",
          "[security][http]")
{
    Collector c;
    const int port = c.server->port();
    {
        Socket s("127.0.0.1", port);
        REQUIRE(s.send("POST /v1/batches HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"));
        CHECK(parseReply(s.readAll()).status == 411);
    }
    {
        Socket s("127.0.0.1", port);
        REQUIRE(s.send("POST /v1/batches HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
        CHECK(parseReply(s.readAll()).status == 411);
    }
    {
        Socket s("127.0.0.1", port);
        REQUIRE(s.send("POST /v1/enrol HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 12x\r\n\r\n"));
        CHECK(parseReply(s.readAll()).status == 400);
    }
    {
        Socket s("127.0.0.1", port);
        REQUIRE(s.send("POST /v1/enrol HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 70000\r\n\r\n"));
        const Reply r = parseReply(s.readAll());
        CHECK(r.status == 413); // every endpoint but /v1/batches takes 64 KiB at most
        CHECK(r.header("X-Kerbside-Error") == QStringLiteral("too-large"));
    }
    {
        Socket s("127.0.0.1", port);
        REQUIRE(s.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: " + QByteArray(40000, 'a') + "\r\n\r\n"));
        CHECK(parseReply(s.readAll()).status == 431);
    }
    // Expect: 100-continue is answered only after screening: a bad token gets 401 and no
    // "100 Continue"; a good one gets "100 Continue", then the answer to the body.
    const auto device = c.enrol();
    const QByteArray body = BatchCodec::encode(header(device.first, 1), voxpopBatch(2, 0, QStringLiteral("leeds"), device.first),
                                               voxpopTypes());
    const QByteArray expectHead = "POST /v1/batches HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nExpect: 100-continue\r\n"
                                  "Content-Type: application/x-protobuf\r\nContent-Length: "
                                  + QByteArray::number(body.size()) + "\r\n";
    {
        Socket s("127.0.0.1", port);
        REQUIRE(s.send(expectHead + "Authorization: Bearer wrong\r\n\r\n"));
        const QByteArray all = s.readAll();
        CHECK(all.startsWith("HTTP/1.1 401"));
        CHECK_FALSE(all.contains("100 Continue"));
    }
    {
        Socket s("127.0.0.1", port);
        REQUIRE(s.send(expectHead + "Authorization: Bearer " + device.second.toUtf8() + "\r\n\r\n"));
        const QByteArray interim = s.readResponse();
        CHECK(interim.startsWith("HTTP/1.1 100 Continue"));
        REQUIRE(s.send(body));
        CHECK(parseReply(s.readAll()).status == 200);
    }
    CHECK(exchange("127.0.0.1", port, "GET", "/no/such/thing").status == 404);
    CHECK(exchange("127.0.0.1", port, "GET", "/v1/batches").status == 405);
    CHECK(exchange("127.0.0.1", port, "GET", "/healthz").status == 200);
}
