// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "synctypes.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

namespace kerbside {

class DeviceStore;
struct OutboxBatch;
class FormDirectory;
class SyncHttp;

/** Sends the tablet's outbox to its collector and fetches new form versions.
 *
 *  Driven from one worker thread: every call opens its own DeviceStore connection on
 *  `storePath` in the calling thread (DeviceStore is one-per-thread), blocks until done, and
 *  returns a report; cancel() may be called from any thread. Progress is reported through the
 *  hook, from the worker thread (marshal it to the GUI thread yourself).
 *
 *  Exactly once: a batch (<= maxBatchResponses responses, with the unacknowledged contacts)
 *  is persisted in the store's settings before its first attempt and re-sent with the same
 *  UUID until the collector acknowledges it; only then are its items marked synced, by
 *  revision. Items the collector rejects stay in the outbox and are reported. Nothing local is
 *  ever deleted here. */
class SyncEngine
{
public:
    using ProgressHook = std::function<void(const SyncProgress &)>;

    explicit SyncEngine(const QString &storePath, SyncOptions options = {});
    ~SyncEngine();
    SyncEngine(const SyncEngine &) = delete;
    SyncEngine &operator=(const SyncEngine &) = delete;

    const SyncOptions &options() const { return m_options; }
    void setProgressHook(ProgressHook hook) { m_progress = std::move(hook); }

    // POST /v1/enrol with a code from `kerbside enrol`; stores the collector URL, device id,
    // token and case studies in the store. Throws SyncError (Refused with the collector's
    // words for a wrong, used or expired code; Network; Cancelled).
    EnrolResult enrol(const QString &collectorUrl, const QString &code);
    bool isEnrolled() const;

    // Uploads the whole outbox batch by batch, then downloads new form versions. Never throws.
    SyncReport syncNow();
    // GET /v1/status. Throws SyncError.
    CollectorStatus status();

    // USB: writes the whole outbox as one batch file at `path` (atomically) for
    // `kerbside import`. Marks nothing: a later sync finds the items held (duplicates) and
    // marks them then, or applyAcknowledgementFile() does. Never throws.
    SyncReport writeBatchFile(const QString &path);
    // Reads a BatchAck written by the collector for an imported batch file and marks what it
    // acknowledges (by revision). Never throws.
    SyncReport applyAcknowledgementFile(const QString &path);

    void cancel(); // thread-safe; the running call returns a Cancelled report soon after

private:
    struct Pending;
    struct Run;
    std::unique_ptr<DeviceStore> openStore() const;
    // Encodes `batch` under the device's next sequence number (persisted first; returned too).
    QByteArray encodeNext(DeviceStore &store, const QString &deviceId, const QString &batchUuid,
                          const OutboxBatch &batch, quint64 *sequence) const;
    void sendStatusReport(Run &run); // i12: what this device holds unsynced, per quota cell
    void upload(Run &run);
    void downloadForms(Run &run);
    std::unique_ptr<Pending> loadPending(Run &run);
    std::unique_ptr<Pending> buildPending(Run &run);
    void applyAck(Run &run, const Pending &pending, const QByteArray &ackBytes, SyncReport &report);
    std::unique_ptr<SyncHttp> connect(DeviceStore &store, bool needToken);
    void report(SyncProgress::Phase phase, int done, int total, const QString &message = {});

    QString m_storePath;
    SyncOptions m_options;
    ProgressHook m_progress;
    std::unique_ptr<FormDirectory> m_forms; // also gives answer types to the batch encoder
    std::mutex m_mutex;                     // guards m_active
    SyncHttp *m_active = nullptr;           // the connection in use, for cancel()
    std::atomic_bool m_cancelled{false};
};

} // namespace kerbside
