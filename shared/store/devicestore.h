// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "storesalvage.h"
#include "storetypes.h"

#include <QMap>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace kerbside {

/** The tablet's SQLite file: responses, answers, paradata, contact log, outbox, settings.
 *  WAL mode, synchronous=FULL: every write is durable when the call returns (kill -9 or power
 *  loss right after loses nothing). Nothing is deleted until the collector acknowledged it.
 *  Not thread-safe: one instance per thread. All failures throw StoreError.
 *  Times are stored as integer milliseconds since the epoch (UTC) and read back as UTC
 *  QDateTimes; the schema and its migrations are in storeschema.cpp. */
class DeviceStore
{
public:
    // Opens or creates the file and migrates an older schema. A foreign or newer-schema file
    // throws StoreError (Foreign / TooNew), as do an empty file and a missing one where this
    // tablet had a store (Corrupt): never a silent reset. A store SQLite finds damaged
    // (quick_check) is renamed untouched and what is readable copied into a new one; `report`
    // then says so (StoreOpenReport::message() for the fieldworker).
    static std::unique_ptr<DeviceStore> open(const QString &path, StoreOpenReport *report = nullptr);
    ~DeviceStore();
    DeviceStore(const DeviceStore &) = delete;
    DeviceStore &operator=(const DeviceStore &) = delete;

    static int currentSchemaVersion();
    int schemaVersion() const;
    QString path() const;

    // Responses ---------------------------------------------------------------------------
    QString createResponse(const NewResponse &r); // returns the new UUID (status draft)
    // Durable on return. Throws Locked for a finalised response, NotFound for an unknown one.
    void setAnswer(const QString &uuid, const QString &question, const QString &value);
    void clearAnswer(const QString &uuid, const QString &question);
    // Sets and clears several answers in one transaction: all or none after a crash (a repeat
    // instance removed renumbers the ones after it).
    void changeAnswers(const QString &uuid, const QMap<QString, QString> &set, const QStringList &clear);
    // `area`: how the fix stands to the case study's area (i12); default: unknown.
    void setLocation(const QString &uuid, const Location &location, const AreaCheck &area = {});
    void setCursor(const QString &uuid, const QString &question);
    void setLanguage(const QString &uuid, const QString &language);
    // Locks the response, keeps only `keep` answers (the relevant ones; nullopt keeps all),
    // sets the end time and puts it in the outbox, all in one transaction.
    void finalise(const QString &uuid, ResponseStatus status,
                  const std::optional<QStringList> &keep = std::nullopt,
                  const QDateTime &ended = {});
    // A new revision of a finalised response: unlocks it as a draft with revision + 1.
    void reopen(const QString &uuid);
    void discard(const QString &uuid); // drafts only; soft, recoverable with restore()
    void restore(const QString &uuid);

    std::optional<Response> response(const QString &uuid) const;
    // Newest first. An empty statuses list means all except discarded.
    QList<ResponseMeta> responses(const QList<ResponseStatus> &statuses = {},
                                  const QString &caseStudy = {}) const;
    std::optional<ResponseMeta> latestDraft() const; // for "resume where you stopped"
    StoreCounts counts(const QString &caseStudy = {}) const;

    // Paradata and contact log -------------------------------------------------------------
    // Paradata and the cursor are durable against a crash at once and against power loss from
    // the next answer on (synchronous=NORMAL for these small writes; no fsync per page turn).
    // On a finalised response too; then its packed paradata (schema 7) are rewritten from the
    // rows in the same transaction.
    void appendParadata(const ParadataEvent &event);
    // Moves the resume cursor and logs the page's "shown" events in one transaction.
    void recordPageShown(const QString &uuid, const QString &cursor,
                         const QList<ParadataEvent> &shown);
    QList<ParadataEvent> paradata(const QString &uuid) const;
    QString logContact(ContactEntry entry); // returns the entry's UUID
    QList<ContactEntry> contacts(const QString &caseStudy = {}) const;

    // Outbox: what the collector has not acknowledged yet --------------------------------------
    OutboxBatch outbox(int maxResponses = 500) const;
    int outboxSize() const;
    // Marks these as acknowledged (synced). Only then may anything be purged.
    // Unknown uuids and responses no longer finalised (reopened since) are ignored.
    void acknowledge(const QStringList &responseUuids, const QStringList &contactUuids);
    // As acknowledge(), but a response is marked only while it still has the revision the
    // collector confirmed (uuid -> revision): a response reopened and finalised again while a
    // sync was under way stays in the outbox. Prefer this one in the sync client.
    void acknowledgeRevisions(const QMap<QString, int> &responseRevisions,
                              const QStringList &contactUuids);
    // Removes discarded drafts once everything finalised before them is acknowledged.
    int purgeDiscarded();

    // Device settings (enumerator, device id, collector URL, device token, ...) ---------------
    QString setting(const QString &key, const QString &fallback = {}) const;
    void setSetting(const QString &key, const QString &value);

    // Caps the file's size (bytes, rounded down to whole pages; 0 = SQLite's default limit).
    // For this connection only. A write past it fails as a full disk would (StoreError DiskFull).
    void setMaxSizeBytes(qint64 bytes);

private:
    struct Private;
    explicit DeviceStore(std::unique_ptr<Private> d);
    std::unique_ptr<Private> d;
};

} // namespace kerbside
