// SPDX-License-Identifier: Apache-2.0
// "Running at scale" as the README describes it, on loopback: one PostgreSQL database, two
// `kerbside serve` processes on it, HAProxy in front. Six tablets sync through the balancer
// while one collector is killed (SIGKILL) and restarted; every response must be merged exactly
// once. Skips, saying why, without KERBSIDE_TEST_PG or without haproxy (CI installs both).
#include <catch2/catch.hpp>

#include "postgrestestdb.h"
#include "testpaths.h"
#include "test_syncclient_harness.h"

#include "postgresconnection.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>

#include <memory>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <thread>

using namespace kerbside;
using namespace kerbside::test;

namespace {

/** A free loopback port (bound, read and released; good enough on a test machine). */
quint16 freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0);
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len) == 0);
    ::close(fd);
    return ntohs(a.sin_port);
}

/** `kerbside serve` on a fixed port, so that HAProxy's configuration stays valid across a restart. */
class Serve
{
public:
    Serve(QString db, quint16 port, QString log) : m_db(std::move(db)), m_port(port), m_log(std::move(log)) {}
    ~Serve() { stop(); }

    void start()
    {
        m_process = std::make_unique<QProcess>();
        m_process->setStandardErrorFile(m_log, QIODevice::Append);
        m_process->start(binaryPath(QStringLiteral("bin/kerbside")),
                         {QStringLiteral("serve"), QStringLiteral("--db"), m_db, QStringLiteral("--listen"),
                          QStringLiteral("127.0.0.1:%1").arg(m_port)});
        REQUIRE(m_process->waitForStarted(10000));
        QByteArray out;
        for (int i = 0; i < 300 && !out.contains("listening on"); ++i) {
            m_process->waitForReadyRead(100);
            out += m_process->readAllStandardOutput();
            REQUIRE(m_process->state() == QProcess::Running);
        }
        REQUIRE(out.contains("listening on"));
    }
    void kill()
    {
        m_process->kill();
        m_process->waitForFinished(10000);
    }
    void stop()
    {
        if (m_process && m_process->state() != QProcess::NotRunning) {
            m_process->terminate();
            if (!m_process->waitForFinished(20000)) {
                m_process->kill();
                m_process->waitForFinished();
            }
        }
    }

private:
    QString m_db;
    quint16 m_port;
    QString m_log;
    std::unique_ptr<QProcess> m_process;
};

QString haproxyConfig(quint16 front, quint16 a, quint16 b)
{
    // Health checks on /healthz take a dead collector out within a second; `retries` with
    // `redispatch` sends a request that could not connect to the other one. A batch cut after
    // it was sent is the device's to retry (same batch UUID: the collector replays its ack).
    return QStringLiteral(
               "global\n  maxconn 512\n"
               "defaults\n  mode http\n  timeout connect 2s\n  timeout client 30s\n  timeout server 30s\n"
               "  retries 3\n  option redispatch\n"
               "frontend collectors\n  bind 127.0.0.1:%1\n  default_backend kerbside\n"
               "backend kerbside\n  balance roundrobin\n  option httpchk GET /healthz\n"
               "  default-server check inter 300ms fall 2 rise 1\n"
               "  server a 127.0.0.1:%2\n  server b 127.0.0.1:%3\n")
        .arg(front)
        .arg(a)
        .arg(b);
}

QString kerbsideOk(const QStringList &args)
{
    int code = -1;
    QString err;
    const QString out = runKerbside(args, &code, &err);
    INFO("kerbside " << args.join(QLatin1Char(' ')).toStdString() << ": " << err.toStdString());
    REQUIRE(code == 0);
    return out;
}

} // namespace

TEST_CASE("Running at scale: six tablets through HAProxy to two collectors on PostgreSQL, one killed and restarted",
          "[sync][postgres][scale]")
{
    if (testPostgresUrl().isEmpty()) {
        WARN("KERBSIDE_TEST_PG is not set: skipped (.ci/test.sh starts a PostgreSQL cluster)");
        return;
    }
    const QString haproxy = QStandardPaths::findExecutable(QStringLiteral("haproxy"), {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin")});
    if (haproxy.isEmpty()) {
        WARN("haproxy is not installed: skipped (.ci/deps.sh test installs it)");
        return;
    }
    PostgresTestDb pg;
    QTemporaryDir dir(scratchTemplate());
    const QString db = pg.url();
    kerbsideOk({QStringLiteral("casestudy"), QStringLiteral("add"), QStringLiteral("leeds"), QStringLiteral("--name"),
                QStringLiteral("Leeds"), QStringLiteral("--db"), db});
    kerbsideOk({QStringLiteral("publish"), voxpopPath(), QStringLiteral("--case-study"), QStringLiteral("leeds"),
                QStringLiteral("--db"), db});

    const quint16 portA = freePort(), portB = freePort(), front = freePort();
    Serve a(db, portA, QDir(dir.path()).filePath(QStringLiteral("a.log")));
    Serve b(db, portB, QDir(dir.path()).filePath(QStringLiteral("b.log")));
    a.start();
    b.start();
    const QString cfg = QDir(dir.path()).filePath(QStringLiteral("haproxy.cfg"));
    {
        QFile f(cfg);
        REQUIRE(f.open(QIODevice::WriteOnly));
        f.write(haproxyConfig(front, portA, portB).toUtf8());
    }
    QProcess balancer;
    balancer.setProcessChannelMode(QProcess::MergedChannels);
    balancer.start(haproxy, {QStringLiteral("-db"), QStringLiteral("-f"), cfg});
    REQUIRE(balancer.waitForStarted(10000));
    QThread::msleep(500); // its first health checks
    REQUIRE(balancer.state() == QProcess::Running);
    const QString url = QStringLiteral("http://127.0.0.1:%1").arg(front);

    // Six tablets, each with interviews in several batches (small batches: more requests to cut).
    constexpr int kTablets = 6, kEach = 300;
    SyncOptions options;
    options.maxBatchResponses = 25;
    options.maxAttempts = 4;
    std::vector<std::unique_ptr<Device>> tablets;
    QSet<QString> recorded;
    for (int i = 0; i < kTablets; ++i) {
        tablets.push_back(std::make_unique<Device>(dir.path(), QStringLiteral("tablet%1").arg(i), options));
        const QString code = kerbsideOk({QStringLiteral("enrol"), QStringLiteral("--case-study"), QStringLiteral("leeds"),
                                         QStringLiteral("--db"), db});
        static const QRegularExpression re(QStringLiteral("\\b([A-Z0-9]{5}-[A-Z0-9]{5})\\b"));
        const QRegularExpressionMatch m = re.match(code);
        REQUIRE(m.hasMatch());
        REQUIRE_FALSE(tablets.back()->engine().enrol(url, m.captured(1)).deviceId.isEmpty());
        for (const QString &uuid : tablets.back()->addInterviews(kEach, QStringLiteral("leeds"), quint32(100 + i)))
            recorded.insert(uuid);
    }
    REQUIRE(recorded.size() == kTablets * kEach);

    // Every tablet syncs until its outbox is empty; meanwhile collector A is killed and restarted.
    std::vector<std::thread> syncs;
    std::vector<int> rounds(kTablets, 0);
    for (int i = 0; i < kTablets; ++i) {
        syncs.emplace_back([&, i] {
            for (int r = 0; r < 200 && tablets[size_t(i)]->outboxSize() > 0; ++r) {
                tablets[size_t(i)]->engine().syncNow();
                ++rounds[size_t(i)];
            }
        });
    }
    // Kill A once it has taken a few uploads, while the tablets are still sending.
    const QString logA = QDir(dir.path()).filePath(QStringLiteral("a.log"));
    const auto uploadsOnA = [&] {
        QFile f(logA);
        return f.open(QIODevice::ReadOnly) ? int(f.readAll().count("/v1/batches")) : 0;
    };
    for (int i = 0; i < 600 && uploadsOnA() < 4; ++i)
        QThread::msleep(10);
    a.kill();
    int waiting = 0;
    for (const auto &t : tablets)
        waiting += t->outboxSize();
    INFO("collector A killed after " << uploadsOnA() << " uploads, " << waiting << " responses still to send");
    CHECK(waiting > 0); // the kill landed mid-sync
    QThread::msleep(1500);
    a.start();
    for (std::thread &t : syncs)
        t.join();
    balancer.terminate();
    balancer.waitForFinished(10000);
    QFile logB(QDir(dir.path()).filePath(QStringLiteral("b.log")));
    REQUIRE(logB.open(QIODevice::ReadOnly));
    CHECK(logB.readAll().count("/v1/batches") > 0); // the balancer spread the uploads

    for (int i = 0; i < kTablets; ++i) {
        INFO("tablet " << i << " after " << rounds[size_t(i)] << " sync rounds");
        CHECK(tablets[size_t(i)]->outboxSize() == 0);
    }
    // Exactly once: every recorded response is held, once, and nothing else is.
    PgConnection check(db);
    const PgResult counts = check.exec("SELECT (SELECT count(*) FROM responses), (SELECT count(DISTINCT uuid) FROM responses),"
                                       " (SELECT count(*) FROM response_versions)");
    CHECK(counts.int64(0, 0) == kTablets * kEach);
    CHECK(counts.int64(0, 1) == kTablets * kEach);
    CHECK(counts.int64(0, 2) == kTablets * kEach);
    QSet<QString> stored;
    const PgResult uuids = check.exec("SELECT uuid FROM responses");
    for (int r = 0; r < uuids.rows(); ++r)
        stored.insert(uuids.text(r, 0));
    CHECK(stored == recorded);
}
