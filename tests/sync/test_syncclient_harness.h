// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "form/form.h"
#include "store/devicestore.h"
#include "syncengine.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace kerbside::test {

/** A QTemporaryDir template on tmpfs (/dev/shm) when there is one. Tablets fsync every answer
 *  (~5 ms each on this machine's disk); on tmpfs the tests measure sync, not disk latency.
 *  A SIGKILL loses nothing either way: the page cache outlives the process. */
QString scratchTemplate();

/** Runs `kerbside <args>` to the end; returns stdout. *exitCode gets the exit code. */
QString runKerbside(const QStringList &args, int *exitCode = nullptr, QString *stdErr = nullptr);

/** A real `kerbside serve` process on 127.0.0.1 (port 0) over a SQLite file in `dir`. */
class Collector
{
public:
    explicit Collector(const QString &dir);
    ~Collector();
    QString dbPath() const { return m_db; }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    quint16 port() const { return m_port; }
    qint64 pid() const { return m_process ? m_process->processId() : 0; }

    bool start();              // false when it did not say where it listens within 20 s
    void kill();               // SIGKILL, as a crash or power cut
    void stop();               // SIGTERM and wait

    // Coordinator commands on the same db (the server may be running).
    void addCaseStudy(const QString &id, const QString &name);
    void publish(const QString &formFile, const QStringList &caseStudies);
    QString enrolmentCode(const QString &caseStudy);
    QString importFile(const QString &batchFile, int *exitCode = nullptr);
    QString conflicts();
    QString serverLog() const; // the request log (serve.log in the directory)

private:
    QString m_dir;
    QString m_db;
    quint16 m_port = 0;
    std::unique_ptr<QProcess> m_process;
    QString m_log;
};

/** One tablet: a DeviceStore file and a SyncEngine over it, with the vox-pop form. */
class Device
{
public:
    Device(const QString &dir, const QString &name, SyncOptions options = {});
    DeviceStore &store() { return *m_store; }
    SyncEngine &engine() { return *m_engine; }
    QString storePath() const { return m_storePath; }
    QString formsDir() const { return m_formsDir; }

    // Records `count` finalised vox-pop interviews in `caseStudy`, answered plausibly (seeded);
    // with `paradata`, each also carries what a real one records (voxpopParadata, ~41 events).
    QStringList addInterviews(int count, const QString &caseStudy, quint32 seed = 1, bool paradata = false);
    int outboxSize() const { return m_store->outboxSize(); }

private:
    QString m_storePath;
    QString m_formsDir;
    std::unique_ptr<DeviceStore> m_store;
    std::unique_ptr<SyncEngine> m_engine;
};

const Form &voxpopForm();                    // forms/community-contracts-voxpop.json
QString voxpopPath();
// Plausible answers of one vox-pop interview (question -> value as stored).
QMap<QString, QString> voxpopAnswers(QRandomGenerator &random);
// The paradata a tablet records for a vox-pop response (syncsamples.h's tabletParadata, in the
// form's question order and languages): what every bench batch carries.
QList<ParadataEvent> voxpopParadata(const Response &r, QRandomGenerator &random);
// A copy of the vox-pop form JSON with another version (for "a newer version is published").
QByteArray voxpopJsonWithVersion(const QString &version);

} // namespace kerbside::test
