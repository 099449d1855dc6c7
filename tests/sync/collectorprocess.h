// SPDX-License-Identifier: Apache-2.0
// A real `kerbside serve` process on 127.0.0.1 for the collector tests, plus helpers to run
// the coordinator commands against the same database.
#pragma once

#include "testpaths.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

namespace kerbside::test {

struct CommandResult
{
    int exitCode = -1;
    QString out;
    QString err;
};

inline CommandResult runKerbside(const QStringList &args)
{
    QProcess p;
    p.start(binaryPath(QStringLiteral("bin/kerbside")), args);
    CommandResult r;
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("timed out");
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

/** `kerbside serve --listen 127.0.0.1:0`: waits for "listening on URL" and keeps its stderr. */
class CollectorProcess
{
public:
    CollectorProcess(const QString &db, const QStringList &extra = {})
    {
        m_process.start(binaryPath(QStringLiteral("bin/kerbside")),
                        QStringList{QStringLiteral("serve"), QStringLiteral("--db"), db, QStringLiteral("--listen"),
                                    QStringLiteral("127.0.0.1:0")} + extra);
        REQUIRE(m_process.waitForStarted(10000));
        static const QRegularExpression re(QStringLiteral("listening on (https?)://127\\.0\\.0\\.1:(\\d+)"));
        QByteArray out;
        while (m_process.state() == QProcess::Running) {
            m_process.waitForReadyRead(1000);
            out += m_process.readAllStandardOutput();
            const QRegularExpressionMatch m = re.match(QString::fromUtf8(out));
            if (m.hasMatch()) {
                m_port = m.captured(2).toInt();
                m_scheme = m.captured(1);
                return;
            }
            if (m_timer.elapsed() > 30000)
                break;
        }
        FAIL("collector did not start: " << QString::fromUtf8(out + m_process.readAllStandardError()).toStdString());
    }
    ~CollectorProcess() { stop(); }

    int port() const { return m_port; }
    QString url() const { return QStringLiteral("%1://127.0.0.1:%2").arg(m_scheme).arg(m_port); }
    bool running() const { return m_process.state() == QProcess::Running; }
    qint64 pid() const { return m_process.processId(); }

    // SIGTERM, and waits: returns the exit code (0 for a graceful stop).
    int stop()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(20000)) {
                m_process.kill();
                m_process.waitForFinished();
                return -1;
            }
            m_stderr += m_process.readAllStandardError();
        }
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    }
    QString log()
    {
        if (m_process.state() == QProcess::Running)
            m_stderr += m_process.readAllStandardError();
        return QString::fromUtf8(m_stderr);
    }

private:
    struct Timer
    {
        qint64 start = QDateTime::currentMSecsSinceEpoch();
        qint64 elapsed() const { return QDateTime::currentMSecsSinceEpoch() - start; }
    };
    QProcess m_process;
    QByteArray m_stderr;
    Timer m_timer;
    int m_port = 0;
    QString m_scheme;
};

} // namespace kerbside::test
