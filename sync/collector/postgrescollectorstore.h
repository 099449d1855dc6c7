// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "answerdictionary.h"
#include "collectorstore.h"
#include "postgresconnection.h"
#include "postgrespool.h"
#include "postgresversionbuffer.h"

#include <QHash>

#include <atomic>
#include <memory>
#include <type_traits>

namespace kerbside {

/** CollectorStore in a PostgreSQL database, shared by any number of collector processes (the
 *  scale-out path: stateless collectors behind a load balancer, one PostgreSQL).
 *
 *  Same schema and behaviour as SqliteCollectorStore. Exactly once across processes: each
 *  merge runs in one READ COMMITTED transaction that takes transaction-scoped advisory locks
 *  on the batch UUID and on each response and contact UUID before reading it, so two
 *  collectors merging the same item run one after the other and the second sees the first's
 *  commit. All item locks of a batch are taken at once, sorted, so merges do not deadlock. Unique indexes on (uuid, content hash) and on the current contact back that up; a
 *  merge that loses a race anyway (deadlock between two batches locking the same UUIDs in
 *  another order, unique key taken, the connection lost) rolls back whole and runs again
 *  (retryMerge; a lost COMMIT that did commit is then found by its batch UUID and replayed).
 *
 *  Within one process the same holds between connections: the store opened by open() keeps
 *  its own connection for everything else and hands each mergeBatch() (and the per-request
 *  device lookup) to a lane of its PgLanePool, a store of its own with its own connection, so
 *  uploads from several devices merge in concurrent transactions. Pool size: `pool=N` in the
 *  URL (default PgLanePool::kDefaultSize). */
class PostgresCollectorStore final : public CollectorStore
{
public:
    static constexpr int kSchemaVersion = 11;
    static bool isUrl(const QString &location); // postgresql://... or postgres://...
    // Creates the schema in an empty database. Throws CollectorError: Io (cannot connect),
    // Invalid (a database with other tables), TooNew (a newer schema).
    static std::unique_ptr<PostgresCollectorStore> open(const QString &url);
    ~PostgresCollectorStore() override;

    MergeResult mergeBatch(const IncomingBatch &batch, const QByteArray &raw, const QString &source,
                           const QDateTime &received) override;
    MergeStats mergeStats() override; // of every lane
    struct ConcurrencyStats
    {
        PgLanePool::Stats pool;
        qint64 retries = 0; // merges run again after a lost race or a lost connection
    };
    ConcurrencyStats concurrencyStats();

    void addCaseStudy(const QString &id, const QString &name) override;
    QList<CaseStudyRecord> caseStudies() override;
    void publishForm(const PublishedFormRecord &form, const QStringList &caseStudies) override;
    QList<PublishedFormRecord> forms(const QStringList &caseStudies = {}, bool withJson = true) override;
    std::optional<PublishedFormRecord> publishedForm(const QString &formId, const QString &version,
                                                     const QString &caseStudy) override;
    void addEnrolmentCode(const EnrolmentCodeRecord &code) override;
    Enrolment redeemEnrolmentCode(const QByteArray &codeHash, const QDateTime &now, const QString &deviceId,
                                  const QByteArray &tokenHash, const QString &label) override;
    std::optional<DeviceRecord> deviceByTokenHash(const QByteArray &tokenHash) override;
    std::optional<DeviceRecord> device(const QString &id) override;
    QList<DeviceRecord> devices() override;
    void revokeDevice(const QString &id, const QDateTime &when) override;
    void touchDevice(const QString &id, const QDateTime &when) override;
    void linkDevice(const QString &oldDevice, const QString &newDevice, const QDateTime &when) override;
    QList<DeviceLinkRecord> deviceLinks() override;
    QList<RefusalRecord> refusals(const QString &caseStudy = {}) override;
    QList<ConflictRecord> conflicts(const QString &caseStudy = {}) override;
    QList<CaseStudyCounts> counts(const QString &deviceId) override;
    QList<quint64> sequences(const QString &deviceId) override;
    qint64 responseCount(const QString &caseStudy = {}) override;
    qint64 contactCount(const QString &caseStudy = {}) override;
    qint64 batchCount() override;
    void forEachResponse(const QString &caseStudy,
                         const std::function<bool(const StoredResponse &)> &visit) override;
    void forEachContact(const QString &caseStudy,
                        const std::function<bool(const ContactEntry &)> &visit) override;

    QString url() const { return m_url; } // without pool=N
    // The schema's tables in dependency order (parents first); `kerbside migrate` copies them.
    static QStringList tables();

protected:
    QList<QStringList> sqlRows(const char *sql, const QVariantList &params, int columns) override;
    qint64 sqlExec(const char *sql, const QVariantList &params) override;
    qint64 sqlExecMany(const char *sql, const QList<QVariantList> &rows) override;
    SqlDialect sqlDialect() const override { return SqlDialect::Postgres; }
    void beginWrite() override;
    void commitWrite() override;
    void rollbackWrite() noexcept override;
    bool retryMerge(const CollectorError &error, int attempt) override;
    void prepareItems(const IncomingBatch &batch) override;
    std::optional<LoggedBatch> findBatch(const QString &batchUuid) override;
    QStringList missingCaseStudies(const QSet<QString> &ids) override;
    qint64 appendBatch(const BatchHeader &header, const QByteArray &raw, const QString &source,
                       const QDateTime &received, int responses, int contacts) override;
    void storeAck(qint64 batchId, const QByteArray &ack) override;
    QList<VersionRef> responseVersions(const QString &uuid) override;
    qint64 insertResponseVersion(const IncomingResponse &response, qint64 batchId) override;
    void insertResponse(const QString &uuid, const QString &caseStudy, qint64 versionId) override;
    void setCurrentVersion(const QString &uuid, qint64 versionId) override;
    QList<TypedAnswer> versionAnswers(qint64 versionId) override;
    void forEachParadata(qint64 from, qint64 to,
                         const std::function<void(qint64, const QList<ParadataEvent> &)> &visit) override;
    QList<VersionRef> contactVersions(const QString &uuid) override;
    qint64 insertContact(const IncomingContact &contact, qint64 batchId, bool current) override;
    void recordConflict(const ConflictRow &conflict) override;
    void recordRefusal(const RefusalRow &refusal) override;
    QString firstSender(const QString &kind, const QString &uuid) override;
    QSet<QString> identitiesOf(const QString &deviceId) override;
    void lockPlan(const QString &caseStudy, bool exclusive) override;
    std::optional<QByteArray> storedPlan(const QString &caseStudy) override;
    QStringList plannedCaseStudies() override;
    void writePlan(const QString &caseStudy, const QByteArray &json, const QMap<QString, qint64> &counts) override;
    QMap<QString, qint64> storedCounts(const QString &caseStudy) override;
    void addCounts(const QString &caseStudy, const QMap<QString, qint64> &deltas) override;
    VersionHead versionHead(qint64 versionId) override;
    int writeArea(const QString &caseStudy, const QByteArray &geojson, const QDateTime &created) override;
    QList<AreaRecord> storedAreas(const QString &caseStudy) override;
    void writeMargin(const QString &caseStudy, const QString &question, const QMap<QString, double> &shares) override;
    QList<quota::Margin> storedMargins(const QString &caseStudy) override;
    void writeDeviceReport(const QString &deviceId, const QList<UnsyncedComplete> &items, const QDateTime &reported) override;
    QMap<QString, qint64> storedUnsynced(const QString &caseStudy) override;

private:
    PostgresCollectorStore(std::unique_ptr<PgConnection> db, const QString &url);
    void migrate();               // postgresschema.cpp, as are the two below
    void createOrUpgradeSchema();
    void upgradeFromVersion1();
    void repackAnswers(); // the upgrade to kPackedAnswersVersion
    void packParadata(); // version 11: the paradata table's rows packed per version
    // The stored JSON of a form version ("" when not held), for AnswerDictionaries.
    static QByteArray formJson(PgConnection &db, const QString &formId, const QString &version);
    QStringList deviceCaseStudies(const QString &id);
    void fillDeviceCounts(DeviceRecord *d);
    // Runs `body` in one transaction (rolled back on any exception).
    template<typename F>
    auto transaction(F &&body);

    std::unique_ptr<PgConnection> m_db;
    QString m_url;
    std::unique_ptr<PgLanePool> m_pool; // in the store open() gives; none in a lane
    std::atomic<qint64> m_retries{0};
    // Versions of the batch's items, read by prepareItems() under their locks; an entry is
    // dropped once the item is written (a second read of it goes to the database).
    QHash<QString, QList<VersionRef>> m_responseAhead;
    QHash<QString, QList<VersionRef>> m_contactAhead;
    PgVersionBuffer m_pending; // versions of this merge not yet written
    AnswerDictionaries m_dictionaries; // what answers are packed against (answerpack.h)
    AnswerDictionaryCursor m_mergeDictionaries{m_dictionaries, [this](const QString &id, const QString &v) {
                                                   return formJson(*m_db, id, v);
                                               }};
};

// In the header: the schema's file (postgresschema.cpp) runs its migration through it too.
template<typename F>
auto PostgresCollectorStore::transaction(F &&body)
{
    m_db->exec("BEGIN");
    try {
        if constexpr (std::is_void_v<decltype(body())>) {
            body();
            m_db->exec("COMMIT");
        } else {
            auto result = body();
            m_db->exec("COMMIT");
            return result;
        }
    } catch (...) {
        rollbackWrite();
        throw;
    }
}

} // namespace kerbside
