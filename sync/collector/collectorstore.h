// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "collectorschema.h"
#include "collectortypes.h"
#include "publishedforms.h"
#include "fieldworkplan.h"
#include "quota/raking.h"
#include "dashboardtypes.h"
#include "casecounters.h"
#include "gridcounters.h"

#include <QHash>
#include <QSet>
#include <QVariant>

#include <array>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <span>

namespace kerbside {

/** Everything the collector keeps: case studies, published forms, enrolment codes, devices,
 *  the immutable batch log and the merged responses and contacts, per case study.
 *
 *  The merge rules live here, once, in mergeBatch(); a backend (SQLite now, PostgreSQL later)
 *  implements the storage primitives below with portable SQL. All public calls are
 *  thread-safe: they are serialised by one mutex (writes to SQLite are serialised anyway).
 *  Concurrent mergeBatch() calls are group-committed where the backend allows it
 *  (groupCommitLimit()). All failures throw CollectorError. */
class CollectorStore
{
public:
    CollectorStore();
    virtual ~CollectorStore();

    // Case studies ---------------------------------------------------------------------------
    // id: letters, digits, '_', '-', '.', 1-64 chars. Throws Exists / Invalid.
    virtual void addCaseStudy(const QString &id, const QString &name) = 0;
    virtual QList<CaseStudyRecord> caseStudies() = 0;

    // Forms ----------------------------------------------------------------------------------
    // Publishes a form version to case studies (adds to earlier publications). The same id and
    // version with other JSON is refused (Exists): a published version never changes.
    virtual void publishForm(const PublishedFormRecord &form, const QStringList &caseStudies) = 0;
    // Form versions published to any of these case studies; `caseStudies` of each record is
    // narrowed to them. An empty list means all forms with all their case studies.
    virtual QList<PublishedFormRecord> forms(const QStringList &caseStudies = {}, bool withJson = true) = 0;
    // One form version with its JSON when it is published to `caseStudy` (the ingest path's
    // lookup after a cache miss: reads that one row, not every form).
    virtual std::optional<PublishedFormRecord> publishedForm(const QString &formId, const QString &version,
                                                             const QString &caseStudy) = 0;

    // Enrolment and devices --------------------------------------------------------------------
    virtual void addEnrolmentCode(const EnrolmentCodeRecord &code) = 0;
    // Atomically marks the code used and creates the device. Throws NotFound (no such code),
    // Used, Expired.
    virtual Enrolment redeemEnrolmentCode(const QByteArray &codeHash, const QDateTime &now,
                                          const QString &deviceId, const QByteArray &tokenHash,
                                          const QString &label) = 0;
    virtual std::optional<DeviceRecord> deviceByTokenHash(const QByteArray &tokenHash) = 0;
    virtual std::optional<DeviceRecord> device(const QString &id) = 0; // with counts
    virtual QList<DeviceRecord> devices() = 0;                          // with counts
    virtual void revokeDevice(const QString &id, const QDateTime &when) = 0; // NotFound
    virtual void touchDevice(const QString &id, const QDateTime &when) = 0;
    // Records that `oldDevice` was re-enrolled as `newDevice`: the new identity may then send
    // responses recorded under the old one and revise those the old one sent. Throws NotFound
    // (either device unknown), Invalid (the same device), Exists (old already linked).
    virtual void linkDevice(const QString &oldDevice, const QString &newDevice, const QDateTime &when) = 0;
    virtual QList<DeviceLinkRecord> deviceLinks() = 0;

    // Batches --------------------------------------------------------------------------------
    /** Appends the batch as received to the batch log (zstd-packed by the calling thread,
     *  batchlog.h) and merges it, in one transaction: all of it or nothing. Returns once the
     *  transaction is durable; batches from other threads may share it (group commit), but
     *  each is refused or stored whole on its own. A batch whose UUID is in the log already
     *  returns the stored acknowledgement and changes nothing (Forbidden if another device
     *  sent it). Unknown case studies are refused (Invalid). `source` is "http" or "usb".
     *  Virtual: PostgreSQL hands each call to one of a pool of connections (postgrespool.h). */
    virtual MergeResult mergeBatch(const IncomingBatch &batch, const QByteArray &raw, const QString &source,
                           const QDateTime &received);
    struct MergeStats
    {
        qint64 batches = 0;  // mergeBatch() calls that ran (stored, replayed or refused)
        qint64 groups = 0;   // transactions they shared
        int largestGroup = 0;
    };
    virtual MergeStats mergeStats(); // since the store was opened
    // What an acknowledgement tells the device about a case study's quotas (BatchAck.quota_counts).
    struct AckQuotaCounts
    {
        QString caseStudy;
        qint64 planVersion = 0;
        QMap<QString, qint64> achieved; // every cell of the plan
    };

    // Fieldwork plan: areas, quotas, population margins (collectorplan.cpp) -----------------
    // Stores a new version of the case study's boundary. GeoJSON other than a WGS84 Polygon or
    // MultiPolygon is refused (Invalid; the message names `fileName`, the line and the reason),
    // an unknown case study too (NotFound). Returns the new version number.
    int setCaseStudyArea(const QString &caseStudy, const QByteArray &geojson, const QString &fileName);
    QList<AreaRecord> caseStudyAreas(const QString &caseStudy); // oldest first
    // Replaces the quotas of plan.caseStudy and recounts its cells from the merged responses,
    // in one transaction that merges wait for (on PostgreSQL too, across collectors). Returns
    // the plan as stored (its version is one more than the last). NotFound: unknown case study.
    quota::Plan setQuotaPlan(quota::Plan plan);
    std::optional<quota::Plan> quotaPlan(const QString &caseStudy);
    void setPopulationMargin(const QString &caseStudy, const QString &question, const QMap<QString, double> &shares);
    QList<quota::Margin> populationMargins(const QString &caseStudy); // by question
    /** Quota progress per case study with quotas (only `caseStudy` when given), from the
     *  counters kept at merge: it reads the plan and one row per cell, never the responses,
     *  so it costs the same at 1M responses as at 100. For `kerbside quota show` and the
     *  dashboard. NotFound when a named case study has no quotas. */
    QList<QuotaStatus> quotaStatus(const QString &caseStudy = {});
    // A device's report of the complete interviews it holds unsynced (i12), replacing its last
    // one. Invalid: a case study the device is not enrolled in, or more than kMaxUnsynced.
    void recordDeviceReport(const QString &deviceId, const QList<UnsyncedComplete> &items);
    static constexpr int kMaxUnsynced = 20000;

    // Reading --------------------------------------------------------------------------------
    virtual QList<ConflictRecord> conflicts(const QString &caseStudy = {}) = 0;
    virtual QList<RefusalRecord> refusals(const QString &caseStudy = {}) = 0; // oldest first
    virtual QList<CaseStudyCounts> counts(const QString &deviceId) = 0;
    virtual QList<quint64> sequences(const QString &deviceId) = 0; // received, ascending
    virtual qint64 responseCount(const QString &caseStudy = {}) = 0;
    // Database reads of a form version by the ingest path since opening (tests).
    qint64 formLoads() const { return m_publishedForms.loads(); }
    virtual qint64 contactCount(const QString &caseStudy = {}) = 0;
    virtual qint64 batchCount() = 0;
    // Streams the current version of every response of a case study (all when empty), in
    // UUID order, without loading them all. Return false from `visit` to stop.
    virtual void forEachResponse(const QString &caseStudy,
                                 const std::function<bool(const StoredResponse &)> &visit) = 0;
    // Streams the current version of every contact of a case study (all when empty).
    virtual void forEachContact(const QString &caseStudy,
                                const std::function<bool(const ContactEntry &)> &visit) = 0;

    // Dashboard (i13; dashboardstore.cpp, portable SQL over the two primitives below) ----------
    void addUser(const DashboardUser &user); // Exists, Invalid
    void updateUser(const DashboardUser &user); // NotFound; role, case studies, hash, flags
    std::optional<DashboardUser> user(const QString &name);
    QList<DashboardUser> users();
    void addSession(const DashboardSession &session);
    std::optional<DashboardSession> session(const QString &tokenHash);
    void touchSession(const QString &tokenHash, const QDateTime &when);
    void deleteSession(const QString &tokenHash);
    void deleteUserSessions(const QString &user);
    // Every device without the per-device response counts (which read every version): id,
    // label, case studies, enrolled, revoked, last seen, and from the batch log batches,
    // last sequence, missing sequences and last batch. For pages that refresh often.
    QList<DeviceRecord> deviceSyncs();
    // Sums of the counters kept at merge, for these case studies (all when empty), grouped by
    // case study and kind, and by fieldworker and/or day when asked.
    QList<CounterRow> counters(const QStringList &caseStudies, bool byEnumerator, bool byDay);
    // The box around every fix of a case study, to the grid's finest cell (nullopt: none has one).
    std::optional<GeoBox> mapExtent(const QString &caseStudy);
    // Up to `limit` interviews and contacts with a fix inside `box`.
    QList<MapPoint> mapPoints(const QString &caseStudy, const GeoBox &box, int limit);
    QList<InterviewRow> interviews(const InterviewFilter &filter);
    std::optional<InterviewRow> interview(const QString &uuid);
    QList<TypedAnswer> interviewAnswers(qint64 versionId);
    QList<ParadataRow> interviewParadata(qint64 versionId);
    void setReview(const ReviewRecord &review); // NotFound
    // Per fieldworker (and day, with byDay) of these case studies, from the counters kept at
    // merge (dashboardgrid.cpp): interviews with a length, median length (to its 5 s bucket),
    // too fast (tooFastMs rounded down to 5 s), answers changed more than manyChanges times
    // (capped at 100), outside the area.
    // The median is left 0 per day unless `enumerator` names one fieldworker (then only theirs).
    QList<FieldworkerStats> fieldworkerStats(const QStringList &caseStudies, qint64 tooFastMs, int manyChanges, bool byDay,
                                             const QString &enumerator = {});
    // The map's aggregated layer, from the grid counters: cells of the level that serves this
    // zoom (gridcounters.h) inside the box, with their size in *cellDegrees.
    QList<MapCell> gridCells(const QString &caseStudy, const GeoBox &box, int zoom, double *cellDegrees);
    qint64 gridTotal(const QString &caseStudy, const GeoBox &box, int zoom); // what gridCells() would sum to
    // Judges positions counted before the area was known (schema step 8's backfill) against
    // the case study's area; called when a store opens. Cheap when there is nothing to judge.
    void judgeGridPlaces();
    // Schema step 10's C++ part (places, question times of what was held); when a store opens.
    void fillCaseCounts();
    std::optional<ConflictVersions> conflictVersions(qint64 id);
    // From the counters kept at merge (casecounters.cpp), never the responses or batches:
    // current interviews per case study, fieldworker and place (inside, outside, no fix, no
    // area); per fieldworker and bucket of the median question time; per quarter hour of the
    // start and status; each device's newest app version and the form versions it used.
    QList<PlaceCountRow> placeCounts(const QStringList &caseStudies);
    QList<QuestionCountRow> questionCounts(const QStringList &caseStudies);
    QList<StartCount> startCounts(const QString &caseStudy);
    QList<DeviceVersions> deviceVersions();
    QSet<QString> approvedResponses(const QString &caseStudy = {});
    // Makes the conflict's kept or other version current and records who chose and when.
    // NotFound (no open conflict with that id).
    void resolveConflict(qint64 id, bool chooseOther, const QString &resolver, const QDateTime &when);
    QList<ConflictResolution> conflictResolutions(int limit); // the newest first

protected:
    // Dashboard primitives: one statement with `$1`..`$n` parameters (QString, qint64, double;
    // a null QVariant is NULL). Rows come back as text, a NULL as a null QString. Called with
    // m_mutex held.
    virtual QList<QStringList> sqlRows(const char *sql, const QVariantList &params, int columns) = 0;
    virtual qint64 sqlExec(const char *sql, const QVariantList &params) = 0; // rows changed
    // The same statement once per row of parameters, in order (the counters' upserts): one
    // statement each here (SQLite runs in-process), pipelined by PostgreSQL (one round trip).
    virtual qint64 sqlExecMany(const char *sql, const QList<QVariantList> &rows);
    virtual SqlDialect sqlDialect() const = 0;

    // Merge primitives: called by mergeBatch() under the mutex, inside one transaction.
    struct LoggedBatch
    {
        qint64 id = 0;
        QString deviceId;
        QByteArray ack;
    };
    struct VersionRef
    {
        qint64 id = 0;
        int revision = 0;
        QByteArray hash;
        bool current = false;
        QString caseStudy;
    };
    struct ConflictRow
    {
        QString kind; // "response" or "contact"
        QString uuid;
        QString caseStudy;
        int revision = 0;
        qint64 keptId = 0;  // version (or contact row) id kept as current
        qint64 otherId = 0; // the conflicting one
        qint64 otherBatch = 0;
        QStringList differences;
        QDateTime detected;
    };
    virtual void beginWrite() = 0;
    virtual void commitWrite() = 0;
    virtual void rollbackWrite() noexcept = 0;
    virtual std::optional<LoggedBatch> findBatch(const QString &batchUuid) = 0;
    virtual QStringList missingCaseStudies(const QSet<QString> &ids) = 0;
    virtual qint64 appendBatch(const BatchHeader &header, const QByteArray &raw, const QString &source,
                               const QDateTime &received, int responses, int contacts) = 0;
    virtual void storeAck(qint64 batchId, const QByteArray &ack) = 0;
    virtual QList<VersionRef> responseVersions(const QString &uuid) = 0;
    // Stores a version with its answers and paradata; returns its id.
    virtual qint64 insertResponseVersion(const IncomingResponse &response, qint64 batchId) = 0;
    virtual void insertResponse(const QString &uuid, const QString &caseStudy, qint64 versionId) = 0;
    virtual void setCurrentVersion(const QString &uuid, qint64 versionId) = 0;
    virtual QList<TypedAnswer> versionAnswers(qint64 versionId) = 0;
    // The paradata of the versions with ids in [from, to] that have any, in id order, unpacked
    // against each one's form version (paradatapack.h); a damaged pack throws naming the version.
    virtual void forEachParadata(qint64 from, qint64 to,
                                 const std::function<void(qint64 versionId, const QList<ParadataEvent> &)> &visit) = 0;
    virtual QList<VersionRef> contactVersions(const QString &uuid) = 0;
    virtual qint64 insertContact(const IncomingContact &contact, qint64 batchId, bool current) = 0;
    virtual void recordConflict(const ConflictRow &conflict) = 0;
    struct RefusalRow
    {
        QString kind; // "response" or "contact"
        QString uuid;
        QString caseStudy;
        qint64 batchId = 0;
        QString reason;
        QDateTime detected;
    };
    virtual void recordRefusal(const RefusalRow &refusal) = 0;
    // The device whose batch brought the first version of a response ("response") or contact
    // ("contact") held; "" when none is held. Its owner: only it (or a device linked to it)
    // may send other versions.
    virtual QString firstSender(const QString &kind, const QString &uuid) = 0;
    // The device ids `deviceId` speaks for: itself and every identity linked to it (old ones
    // re-enrolled as it, transitively).
    virtual QSet<QString> identitiesOf(const QString &deviceId) = 0;
    // Fieldwork plan storage (sqliteplanstore.cpp, postgresplanstore.cpp). Called under the
    // mutex; writes inside a transaction begun with beginWrite().
    struct VersionHead
    {
        QString formId;
        ResponseStatus status = ResponseStatus::Draft;
        QDateTime started;
        std::optional<int> startedUtcOffset;
    };
    // Merges take the case study's plan lock shared, `quota set` exclusive (PostgreSQL: a
    // transaction-scoped advisory lock; SQLite has one writer and needs none).
    virtual void lockPlan(const QString &caseStudy, bool exclusive);
    virtual std::optional<QByteArray> storedPlan(const QString &caseStudy) = 0; // plan JSON
    virtual QStringList plannedCaseStudies() = 0;
    // Replaces the plan and every counter of the case study.
    virtual void writePlan(const QString &caseStudy, const QByteArray &json, const QMap<QString, qint64> &counts) = 0;
    virtual QMap<QString, qint64> storedCounts(const QString &caseStudy) = 0;
    virtual void addCounts(const QString &caseStudy, const QMap<QString, qint64> &deltas) = 0;
    virtual VersionHead versionHead(qint64 versionId) = 0;
    virtual int writeArea(const QString &caseStudy, const QByteArray &geojson, const QDateTime &created) = 0;
    virtual QList<AreaRecord> storedAreas(const QString &caseStudy) = 0;
    virtual void writeMargin(const QString &caseStudy, const QString &question, const QMap<QString, double> &shares) = 0;
    virtual QList<quota::Margin> storedMargins(const QString &caseStudy) = 0;
    virtual void writeDeviceReport(const QString &deviceId, const QList<UnsyncedComplete> &items, const QDateTime &reported) = 0;
    // Cell -> reported unsynced completes of the case study whose UUID is not merged (yet).
    virtual QMap<QString, qint64> storedUnsynced(const QString &caseStudy) = 0;

    // Whether a merge that failed with `error` (and rolled back whole) may run again: a backend
    // shared by several collectors (PostgreSQL) says yes when it lost a race with another
    // collector (deadlock, unique key taken meanwhile). `attempt` counts from 1.
    virtual bool retryMerge(const CollectorError &error, int attempt);
    // Called once per new batch, before any of its items is read: a backend shared by several
    // collectors locks every item here, all at once and in one order (no deadlocks), and may
    // read ahead what it will be asked. Default: nothing.
    virtual void prepareItems(const IncomingBatch &batch);
    // How many concurrent batches may share one transaction. Default 1: a backend shared by
    // several collectors retries whole transactions after a lost race (retryMerge), and a
    // group would make one device's batch wait on another's retry.
    virtual int groupCommitLimit() const;

    // 1-64 letters, digits, '_', '-', '.', starting with a letter or digit.
    static bool validCaseStudyId(const QString &id);
    // Throws Invalid unless `formId` follows the form-id pattern (isValidFormId): form ids
    // become export file names.
    static void checkFormId(const QString &formId);

    std::mutex m_mutex; // serialises every public call

private:
    struct PendingMerge
    {
        const IncomingBatch *batch;
        const QByteArray *raw; // as the batch log stores it (batchlog::pack)
        const QStringList *refusals; // per response, then per contact: "" or why it is refused
        QString source;
        QDateTime received;
        MergeResult result;
        std::exception_ptr error;
        bool done;
    };
    // A group stops growing past this many responses (the first batch always goes in).
    static constexpr qsizetype kGroupItemLimit = 8000;
    static constexpr int kMaxGroup = 16;

    // Never throws: every batch of the group gets its result or its error.
    void mergeGroup(std::span<PendingMerge *const> group);
    // One batch, inside the group's transaction. `refused` turns true only for the deliberate
    // refusals (another device's batch UUID, an unknown case study), thrown before anything is
    // written: those fail this batch alone. Any other exception fails the whole group.
    MergeResult mergeInTransaction(const PendingMerge &p, bool *refused);
    // The device identities of the batch being merged (identitiesOf its device), read once.
    struct Sender
    {
        QString deviceId;
        std::optional<QSet<QString>> identities;
    };
    bool speaksFor(Sender &sender, const QString &deviceId);
    ItemResult mergeResponse(const IncomingResponse &r, qint64 batchId, const QDateTime &received, Sender &sender);
    ItemResult mergeContact(const IncomingContact &c, qint64 batchId, const QDateTime &received, Sender &sender);
    ItemResult refuseItem(const QString &kind, const QString &uuid, const QString &caseStudy, int revision,
                          const QString &reason, qint64 batchId, const QDateTime &received);
    // Checks what needs no transaction (each response against its published form version),
    // before the batch queues for one. Runs in the caller's thread.
    QStringList checkItems(const IncomingBatch &batch);

    PublishedForms m_publishedForms;

    // Quota counters of the batch being merged: its case studies' plans, read once each under
    // the plan lock, and the changes to their cells, written once per batch.
    struct QuotaTally
    {
        QHash<QString, std::optional<quota::Plan>> plans;
        QHash<QString, QMap<QString, qint64>> deltas;
    };
    const quota::Plan *mergePlan(const QString &caseStudy);
    QString cellOf(const QString &caseStudy, const QString &formId, ResponseStatus status,
                   const QDateTime &started, std::optional<int> utcOffset, const QList<TypedAnswer> &answers);
    void tally(const QString &caseStudy, const QString &cell, qint64 delta);
    void flushTally();
    QList<AckQuotaCounts> ackQuotaCounts(); // of the batch's case studies with quotas
    QuotaTally m_tally;
    // Counters kept at merge (dashboardstore.cpp): changes gathered per batch, written once.
    void countResponse(const IncomingResponse &r, qint64 delta);
    void countVersion(qint64 versionId, qint64 delta); // reads the stored version's key
    void countContact(const ContactEntry &entry, qint64 delta);
    void flushCounters();
    // A counter's key while a batch is merged: the day as a number (days since 1970-01-01, UTC;
    // kNoDay for no time), turned into its ISO text only at flushCounters(), once per key.
    struct CounterKey
    {
        QString caseStudy;
        QString enumerator;
        qint64 day;
        QString kind;
        bool operator==(const CounterKey &) const = default;
        friend size_t qHash(const CounterKey &k, size_t seed = 0)
        {
            return qHashMulti(seed, k.caseStudy, k.enumerator, k.day, k.kind);
        }
    };
    static constexpr qint64 kNoDay = std::numeric_limits<qint64>::min();
    QHash<CounterKey, qint64> m_counterDelta; // -> change
    // The map grid and fieldworker counters (dashboardgrid.cpp), gathered and flushed with them.
    void gridCount(const QString &caseStudy, const QString &enumerator, const QDateTime &started, qint64 lengthMs,
                   int changes, const Location &where, const QString &kind, qint64 delta);
    void gridCountContact(qint64 contactId, qint64 delta);
    void flushGrid();
    void regrid(const QString &caseStudy); // re-judges every position of a case study
    grid::Place judgePlace(const QString &caseStudy, const QDateTime &started, const Location &where);
    grid::Tally m_grid;
    // The case-study, device and flag counters (casecounters.cpp), gathered and flushed with them.
    void caseCount(const IncomingResponse &r);
    void caseCount(const QString &uuid, const ResponseMeta &meta, const QString &kind, const QList<cases::PagingEvent> &paging);
    void caseCountVersion(const QString &uuid, qint64 versionId, const QStringList &row);
    void caseUncount(const QString &uuid); // the stored row's counts, taken back
    void casePlace(const QString &uuid, const QString &caseStudy, const QDateTime &started, const Location &where);
    void countBatch(const IncomingBatch &batch, qint64 batchId, const QDateTime &received, const MergeResult &result);
    void flushCaseCounts();
    void flushResponseFlags(); // the per-response part of flushCaseCounts()
    QList<ParadataRow> paradataOf(qint64 versionId); // one version's, in order
    cases::Tally m_cases;

    std::mutex m_queueMutex; // guards the four below
    std::condition_variable m_groupDone;
    std::deque<PendingMerge *> m_queue;
    bool m_groupRunning = false;
    MergeStats m_stats;
};

/** Opens the store named by a `--db` value: "postgresql://..." or "postgres://..." (a libpq
 *  URL), "sqlite:PATH", or a plain path to an SQLite file (created when missing). */
std::unique_ptr<CollectorStore> openCollectorStore(const QString &location);

} // namespace kerbside
