// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "answerdictionary.h"
#include "collectorstore.h"
#include "sqliteconnection.h"
#include "walcheckpointer.h"

#include <memory>

namespace kerbside {

/** CollectorStore in one embedded SQLite file (WAL, synchronous=FULL: an acknowledged batch
 *  survives a crash or power loss). One connection, serialised by the base class's mutex:
 *  SQLite allows one writer at a time anyway. Schema in sqlitecollectorstore.cpp. */
class SqliteCollectorStore final : public CollectorStore
{
public:
    static constexpr int kSchemaVersion = 11;
    // Creates the file when missing. Throws CollectorError: Io (cannot open, corrupt),
    // Invalid (not a collector database), TooNew (a newer schema).
    static std::unique_ptr<SqliteCollectorStore> open(const QString &path);
    qint64 backgroundCheckpoints() const { return m_checkpointer ? m_checkpointer->checkpoints() : 0; }
    ~SqliteCollectorStore() override;

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

protected:
    QList<QStringList> sqlRows(const char *sql, const QVariantList &params, int columns) override;
    qint64 sqlExec(const char *sql, const QVariantList &params) override;
    qint64 sqlExecMany(const char *sql, const QList<QVariantList> &rows) override;
    SqlDialect sqlDialect() const override { return SqlDialect::Sqlite; }
    void beginWrite() override;
    void commitWrite() override;
    void rollbackWrite() noexcept override;
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
    int groupCommitLimit() const override { return 16; } // one writer: no races to retry

private:
    explicit SqliteCollectorStore(std::unique_ptr<SqliteConnection> db);
    void migrate(); // sqliteschema.cpp, as is the one below
    void upgradeFromVersion1();
    void upgradeStep(int to, const QByteArray &sql); // versions 3 to 5: new tables only
    void upgradeToPackedAnswers(); // version 9: answers packed against their form's dictionary
    void upgradeToPackedParadata(); // version 11: the paradata table's rows packed per version
    // The stored JSON of a form version ("" when not held), for AnswerDictionaries.
    static QByteArray formJson(SqliteConnection &db, const QString &formId, const QString &version);
    QStringList deviceCaseStudies(const QString &id);
    void fillDeviceCounts(DeviceRecord *d);
    DeviceRecord deviceFromRow(SqliteConnection::Statement &s);

    const char *sqliteText(const char *sql); // sql with ?N for $N, made once per literal

    std::unique_ptr<SqliteConnection> m_db;
    std::unique_ptr<WalCheckpointer> m_checkpointer; // after m_db: stopped before it closes
    std::map<const char *, QByteArray> m_sqlText; // sqlRows()' SQL with ?N for $N, per literal
    QString m_newUuid; // the last responseVersions() found no version of it (null otherwise)
    AnswerDictionaries m_dictionaries; // what answers are packed against (answerpack.h)
    AnswerDictionaryCursor m_mergeDictionaries{m_dictionaries, [this](const QString &id, const QString &v) {
                                                   return formJson(*m_db, id, v);
                                               }};
};

} // namespace kerbside
