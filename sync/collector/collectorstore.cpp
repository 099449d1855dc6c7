// SPDX-License-Identifier: Apache-2.0
#include "collectorstore.h"

#include "batchcodec.h"
#include "batchlog.h"
#include "kerbside/v1/sync.pb.h"
#include "postgrescollectorstore.h"
#include "responsecheck.h"
#include "sqlitecollectorstore.h"

#include <QRegularExpression>

namespace kerbside {

namespace {

v1::Outcome outcomeToWire(MergeOutcome o)
{
    switch (o) {
    case MergeOutcome::Accepted: return v1::OUTCOME_ACCEPTED;
    case MergeOutcome::Duplicate: return v1::OUTCOME_DUPLICATE;
    case MergeOutcome::Conflict: return v1::OUTCOME_CONFLICT;
    case MergeOutcome::Rejected: return v1::OUTCOME_REJECTED;
    }
    return v1::OUTCOME_UNSPECIFIED;
}

void itemToWire(const ItemResult &r, v1::ItemAck *out)
{
    QByteArray bytes;
    if (BatchCodec::uuidToWire(r.uuid, &bytes))
        out->set_uuid(bytes.constData(), size_t(bytes.size()));
    else
        out->set_uuid_text(r.uuid.toStdString());
    out->set_outcome(outcomeToWire(r.outcome));
    out->set_reason(r.reason.toStdString());
    out->set_revision(quint32(r.revision));
}

QByteArray encodeAck(const BatchHeader &h, const MergeResult &result, const QDateTime &received,
                     const QList<CollectorStore::AckQuotaCounts> &quotas)
{
    v1::BatchAck ack;
    ack.set_format(syncformat::kFormatVersion);
    QByteArray uuid;
    BatchCodec::uuidToWire(h.batchUuid, &uuid);
    ack.set_batch_uuid(uuid.constData(), size_t(uuid.size()));
    ack.set_sequence(h.sequence);
    ack.set_received_ms(received.toMSecsSinceEpoch());
    for (const ItemResult &r : result.responses)
        itemToWire(r, ack.add_responses());
    for (const ItemResult &r : result.contacts)
        itemToWire(r, ack.add_contacts());
    for (const CollectorStore::AckQuotaCounts &q : quotas) {
        v1::QuotaCounts *w = ack.add_quota_counts();
        w->set_case_study(q.caseStudy.toStdString());
        w->set_plan_version(quint64(q.planVersion));
        for (auto it = q.achieved.constBegin(); it != q.achieved.constEnd(); ++it) {
            w->add_cells(it.key().toStdString());
            w->add_achieved(quint64(std::max<qint64>(0, it.value())));
        }
    }
    std::string out;
    ack.SerializeToString(&out);
    return QByteArray(out.data(), qsizetype(out.size()));
}

// Fills the per-item results of a replayed batch from its stored acknowledgement.
void resultsFromAck(const QByteArray &bytes, MergeResult *result)
{
    v1::BatchAck ack;
    if (!ack.ParseFromArray(bytes.constData(), int(bytes.size())))
        return;
    auto convert = [](const v1::ItemAck &a) {
        ItemResult r;
        r.uuid = BatchCodec::uuidFromWire(QByteArray(a.uuid().data(), qsizetype(a.uuid().size())),
                                          QString::fromStdString(a.uuid_text()));
        r.outcome = MergeOutcome(std::clamp(int(a.outcome()), 1, 4));
        r.reason = QString::fromStdString(a.reason());
        r.revision = int(a.revision());
        return r;
    };
    for (const v1::ItemAck &a : ack.responses())
        result->responses.append(convert(a));
    for (const v1::ItemAck &a : ack.contacts())
        result->contacts.append(convert(a));
}

QStringList answerDifferences(const QList<TypedAnswer> &a, const QList<TypedAnswer> &b)
{
    QMap<QString, QString> left, right;
    for (const TypedAnswer &x : a)
        left.insert(x.question, x.value);
    for (const TypedAnswer &x : b)
        right.insert(x.question, x.value);
    QStringList names;
    for (auto it = left.constBegin(); it != left.constEnd(); ++it) {
        if (!right.contains(it.key()) || right.value(it.key()) != it.value())
            names.append(it.key());
    }
    for (auto it = right.constBegin(); it != right.constEnd(); ++it) {
        if (!left.contains(it.key()))
            names.append(it.key());
    }
    names.sort();
    return names;
}

} // namespace

int MergeResult::count(MergeOutcome o) const
{
    int n = 0;
    for (const ItemResult &r : responses)
        n += r.outcome == o;
    for (const ItemResult &r : contacts)
        n += r.outcome == o;
    return n;
}

CollectorStore::CollectorStore()
    : m_publishedForms([this](const QString &formId, const QString &version, const QString &caseStudy) {
          return publishedForm(formId, version, caseStudy);
      })
{
}

CollectorStore::~CollectorStore() = default;

QStringList CollectorStore::checkItems(const IncomingBatch &batch)
{
    // Filled only from the first refusal on (the common batch has none: no list of empties).
    QStringList refusals;
    const auto refuse = [&](qsizetype index, const QString &why) {
        if (refusals.isEmpty()) {
            refusals.reserve(batch.responses.size() + batch.contacts.size());
            refusals.resize(index);
        }
        refusals.append(why);
    };
    qsizetype index = 0;
    // Each (form, version, case study) is looked up once per batch, misses included: a batch
    // alternating unknown form ids would otherwise read the database once per response. A run of
    // responses naming the same version (the common case) skips even the per-batch lookup.
    QHash<QString, std::shared_ptr<const ResponseRules>> looked;
    const ResponseMeta *previous = nullptr;
    const ResponseRules *rules = nullptr;
    ResponseRules::NameCache names; // per version: cleared when the version changes
    for (const IncomingResponse &r : batch.responses) {
        QString why = r.refusal;
        if (why.isEmpty()) {
            if (!previous || r.meta.formId != previous->formId || r.meta.formVersion != previous->formVersion
                || r.meta.caseStudy != previous->caseStudy) {
                const QString key = r.meta.formId + QLatin1Char('\n') + r.meta.formVersion + QLatin1Char('\n') + r.meta.caseStudy;
                auto it = looked.constFind(key);
                if (it == looked.constEnd())
                    it = looked.insert(key, m_publishedForms.find(r.meta.formId, r.meta.formVersion, r.meta.caseStudy));
                rules = it->get();
                previous = &r.meta;
                names.clear();
            }
            if (!rules)
                why = QStringLiteral("response %1: form %2 version %3 is not published to case study %4")
                          .arg(r.meta.uuid, r.meta.formId.left(100), r.meta.formVersion.left(100), r.meta.caseStudy);
            else
                why = rules->check(r, &names);
        }
        if (!why.isEmpty() || !refusals.isEmpty())
            refuse(index, why);
        ++index;
    }
    for (const IncomingContact &c : batch.contacts) {
        if (!c.refusal.isEmpty() || !refusals.isEmpty())
            refuse(index, c.refusal);
        ++index;
    }
    return refusals; // one entry per item ("" where nothing is refused), or none at all
}

bool CollectorStore::speaksFor(Sender &sender, const QString &deviceId)
{
    if (deviceId == sender.deviceId)
        return true;
    if (!sender.identities)
        sender.identities = identitiesOf(sender.deviceId);
    return sender.identities->contains(deviceId);
}

ItemResult CollectorStore::refuseItem(const QString &kind, const QString &uuid, const QString &caseStudy, int revision,
                                      const QString &reason, qint64 batchId, const QDateTime &received)
{
    recordRefusal({kind, uuid, caseStudy, batchId, reason, received});
    return {uuid, MergeOutcome::Rejected, reason, revision};
}

MergeResult CollectorStore::mergeBatch(const IncomingBatch &batch, const QByteArray &raw,
                                       const QString &source, const QDateTime &received)
{
    // Group commit: batches that arrive while another group is being merged wait in a queue;
    // the next thread to find no group running merges all of them in one transaction (one
    // fsync instead of one per batch) and hands each caller its own result once it is durable.
    const QStringList refusals = checkItems(batch);
    const QByteArray logged = batchlog::pack(raw); // here, in parallel, not inside the group
    PendingMerge me{&batch, &logged, &refusals, source, received, {}, {}, false};
    std::unique_lock queue(m_queueMutex);
    m_queue.push_back(&me);
    while (!me.done) {
        if (m_groupRunning) {
            m_groupDone.wait(queue);
            continue;
        }
        m_groupRunning = true;
        // A fixed array, not a vector: nothing below may throw while this thread leads, or the
        // batches taken from the queue would wait for ever.
        std::array<PendingMerge *, kMaxGroup> taken{};
        size_t count = 0;
        qsizetype items = 0;
        const size_t limit = size_t(std::clamp(groupCommitLimit(), 1, kMaxGroup));
        while (!m_queue.empty() && count < limit
               && (count == 0 || items + m_queue.front()->batch->responses.size() <= kGroupItemLimit)) {
            items += m_queue.front()->batch->responses.size();
            taken[count++] = m_queue.front();
            m_queue.pop_front();
        }
        const std::span<PendingMerge *const> group(taken.data(), count);
        queue.unlock();
        std::exception_ptr failure;
        try {
            std::lock_guard lock(m_mutex);
            mergeGroup(group);
        } catch (...) {
            failure = std::current_exception(); // mergeGroup reports per batch; this is a backstop
        }
        queue.lock();
        for (PendingMerge *p : group) {
            if (failure) {
                p->result = {};
                p->error = failure;
            }
            p->done = true;
        }
        m_stats.batches += qint64(group.size());
        ++m_stats.groups;
        m_stats.largestGroup = std::max(m_stats.largestGroup, int(group.size()));
        m_groupRunning = false;
        m_groupDone.notify_all();
    }
    if (me.error)
        std::rethrow_exception(me.error);
    return std::move(me.result);
}

CollectorStore::MergeStats CollectorStore::mergeStats()
{
    std::lock_guard lock(m_queueMutex);
    return m_stats;
}

bool CollectorStore::retryMerge(const CollectorError &, int)
{
    return false;
}

void CollectorStore::prepareItems(const IncomingBatch &)
{
}

bool CollectorStore::validCaseStudyId(const QString &id)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"));
    return re.match(id).hasMatch();
}

void CollectorStore::checkFormId(const QString &formId)
{
    if (!isValidFormId(formId))
        throw CollectorError(CollectorError::Code::Invalid, formIdProblem(formId));
}

int CollectorStore::groupCommitLimit() const
{
    return 1;
}

void CollectorStore::mergeGroup(std::span<PendingMerge *const> group)
{
    for (int attempt = 1;; ++attempt) {
        std::exception_ptr groupError;
        for (PendingMerge *p : group) {
            p->error = nullptr;
            p->result = {};
        }
        try {
            beginWrite();
        } catch (...) {
            groupError = std::current_exception(); // e.g. another process holds the write lock
        }
        for (PendingMerge *p : group) {
            if (groupError)
                break;
            bool refused = false;
            try {
                p->result = mergeInTransaction(*p, &refused);
            } catch (...) {
                if (refused) {
                    p->error = std::current_exception(); // refused, nothing written: only this batch fails
                    continue;
                }
                // Anything else (a failed read or write) may have ended the transaction: SQLite
                // rolls back by itself on I/O errors, a full disk or a busy database.
                groupError = std::current_exception();
            }
        }
        if (!groupError) {
            try {
                commitWrite();
                return;
            } catch (...) {
                groupError = std::current_exception();
            }
        }
        rollbackWrite();
        try {
            std::rethrow_exception(groupError);
        } catch (const CollectorError &e) {
            if (retryMerge(e, attempt))
                continue;
        } catch (...) {
        }
        // Nothing of the group was stored: every batch in it fails, and its device will retry.
        for (PendingMerge *p : group) {
            p->result = {};
            p->error = groupError;
        }
        return;
    }
}

MergeResult CollectorStore::mergeInTransaction(const PendingMerge &p, bool *refused)
{
    const IncomingBatch &batch = *p.batch;
    MergeResult result;
    m_counterDelta.clear(); // a batch that failed half-way leaves none behind
    m_grid.clear();
    m_cases.clear();
    if (auto logged = findBatch(batch.header.batchUuid)) {
        if (logged->deviceId != batch.header.deviceId) {
            *refused = true;
            throw CollectorError(CollectorError::Code::Forbidden,
                                 QStringLiteral("batch %1 was already sent by another device")
                                     .arg(batch.header.batchUuid));
        }
        result.ack = logged->ack;
        result.replayed = true;
        resultsFromAck(result.ack, &result);
        return result;
    }
    const QStringList missing = missingCaseStudies(batch.caseStudies());
    if (!missing.isEmpty()) {
        *refused = true;
        throw CollectorError(CollectorError::Code::Invalid,
                             QStringLiteral("batch %1 refers to unknown case stud%2 %3")
                                 .arg(batch.header.batchUuid,
                                      missing.size() == 1 ? QStringLiteral("y") : QStringLiteral("ies"),
                                      missing.join(QStringLiteral(", "))));
    }
    prepareItems(batch);
    m_tally = {};
    for (const QString &cs : batch.caseStudies())
        mergePlan(cs); // every acknowledgement carries the quota counts of the batch's case studies
    const qint64 batchId = appendBatch(batch.header, *p.raw, p.source, p.received,
                                       int(batch.responses.size()), int(batch.contacts.size()));
    result.responses.reserve(batch.responses.size());
    const QStringList &refusals = *p.refusals; // empty when nothing is refused
    Sender sender{batch.header.deviceId, std::nullopt};
    for (qsizetype i = 0; i < batch.responses.size(); ++i) {
        const IncomingResponse &r = batch.responses[i];
        if (!refusals.isEmpty() && !refusals[i].isEmpty())
            result.responses.append(refuseItem(QStringLiteral("response"), r.meta.uuid, r.meta.caseStudy, r.meta.revision,
                                               refusals[i], batchId, p.received));
        else
            result.responses.append(mergeResponse(r, batchId, p.received, sender));
    }
    for (qsizetype i = 0; i < batch.contacts.size(); ++i) {
        const IncomingContact &c = batch.contacts[i];
        const qsizetype k = batch.responses.size() + i;
        if (!refusals.isEmpty() && !refusals[k].isEmpty())
            result.contacts.append(refuseItem(QStringLiteral("contact"), c.entry.uuid, c.entry.caseStudy, 0, refusals[k],
                                              batchId, p.received));
        else
            result.contacts.append(mergeContact(c, batchId, p.received, sender));
    }
    countBatch(batch, batchId, p.received, result);
    // The rows only this batch writes first (and the ack, which reads the quota counts), the
    // counters every merge shares last, just before the COMMIT: on PostgreSQL a shared counter
    // row stays locked until the COMMIT, and concurrent merges queue on it (issue 16's
    // pg_stat_activity samples).
    flushResponseFlags();
    flushTally();
    result.ack = encodeAck(batch.header, result, p.received, ackQuotaCounts());
    storeAck(batchId, result.ack);
    flushCounters();
    return result;
}

ItemResult CollectorStore::mergeResponse(const IncomingResponse &r, qint64 batchId, const QDateTime &received,
                                         Sender &sender)
{
    ItemResult result{r.meta.uuid, MergeOutcome::Accepted, {}, r.meta.revision};
    const QString kind = QStringLiteral("response");
    if (!speaksFor(sender, r.meta.deviceId))
        return refuseItem(kind, r.meta.uuid, r.meta.caseStudy, r.meta.revision,
                          QStringLiteral("response %1: device_id %2 is not the device that sent it (%3) nor linked to it")
                              .arg(r.meta.uuid, r.meta.deviceId, sender.deviceId),
                          batchId, received);
    const QList<VersionRef> versions = responseVersions(r.meta.uuid);
    if (versions.isEmpty()) {
        insertResponse(r.meta.uuid, r.meta.caseStudy, insertResponseVersion(r, batchId));
        tally(r.meta.caseStudy, cellOf(r.meta.caseStudy, r.meta.formId, r.meta.status, r.meta.started, r.meta.startedUtcOffset, r.answers), 1);
        countResponse(r, 1);
        return result;
    }
    for (const VersionRef &v : versions) {
        if (v.hash == r.contentHash) {
            result.outcome = MergeOutcome::Duplicate;
            return result;
        }
    }
    // A response belongs to the device that first sent it: another device's version is refused
    // (and listed for the coordinator), not kept as a conflict that could become current.
    if (const QString owner = firstSender(kind, r.meta.uuid); !owner.isEmpty() && !speaksFor(sender, owner))
        return refuseItem(kind, r.meta.uuid, r.meta.caseStudy, r.meta.revision,
                          QStringLiteral("response %1: belongs to device %2, which first sent it; device %3 may not "
                                         "send another version of it")
                              .arg(r.meta.uuid, owner, sender.deviceId),
                          batchId, received);
    VersionRef current = versions.first();
    for (const VersionRef &v : versions) {
        if (v.current)
            current = v;
    }
    const qint64 id = insertResponseVersion(r, batchId); // every distinct version is kept
    if (r.meta.caseStudy != current.caseStudy || r.meta.revision == current.revision) {
        ConflictRow c;
        c.kind = QStringLiteral("response");
        c.uuid = r.meta.uuid;
        c.caseStudy = current.caseStudy;
        c.revision = r.meta.revision;
        c.keptId = current.id;
        c.otherId = id;
        c.otherBatch = batchId;
        c.differences = answerDifferences(versionAnswers(current.id), r.answers);
        if (r.meta.caseStudy != current.caseStudy)
            c.differences.prepend(QStringLiteral("case study"));
        if (c.differences.isEmpty())
            c.differences.append(QStringLiteral("metadata"));
        c.detected = received;
        recordConflict(c);
        result.outcome = MergeOutcome::Conflict;
        result.reason = r.meta.caseStudy != current.caseStudy
            ? QStringLiteral("already held in case study %1; both versions kept for the coordinator").arg(current.caseStudy)
            : QStringLiteral("revision %1 already held with other content; both versions kept for the coordinator")
                  .arg(r.meta.revision);
    } else if (r.meta.revision > current.revision) {
        setCurrentVersion(r.meta.uuid, id);
        // The revision may put the respondent in another cell (or none): move the count.
        if (mergePlan(current.caseStudy)) {
            const VersionHead old = versionHead(current.id);
            tally(current.caseStudy, cellOf(current.caseStudy, old.formId, old.status, old.started, old.startedUtcOffset, versionAnswers(current.id)), -1);
            tally(r.meta.caseStudy, cellOf(r.meta.caseStudy, r.meta.formId, r.meta.status, r.meta.started, r.meta.startedUtcOffset, r.answers), 1);
        }
        countVersion(current.id, -1);
        countResponse(r, 1);
        result.reason = QStringLiteral("replaces revision %1").arg(current.revision);
    } else {
        result.reason = QStringLiteral("revision %1 is held; this older one is kept as history").arg(current.revision);
    }
    return result;
}

ItemResult CollectorStore::mergeContact(const IncomingContact &c, qint64 batchId, const QDateTime &received,
                                        Sender &sender)
{
    ItemResult result{c.entry.uuid, MergeOutcome::Accepted, {}, 0};
    const QString kind = QStringLiteral("contact");
    if (!speaksFor(sender, c.entry.deviceId))
        return refuseItem(kind, c.entry.uuid, c.entry.caseStudy, 0,
                          QStringLiteral("contact %1: device_id %2 is not the device that sent it (%3) nor linked to it")
                              .arg(c.entry.uuid, c.entry.deviceId, sender.deviceId),
                          batchId, received);
    const QList<VersionRef> versions = contactVersions(c.entry.uuid);
    if (versions.isEmpty()) {
        insertContact(c, batchId, true);
        countContact(c.entry, 1);
        return result;
    }
    VersionRef current = versions.first();
    for (const VersionRef &v : versions) {
        if (v.hash == c.contentHash) {
            result.outcome = MergeOutcome::Duplicate;
            return result;
        }
        if (v.current)
            current = v;
    }
    if (const QString owner = firstSender(kind, c.entry.uuid); !owner.isEmpty() && !speaksFor(sender, owner))
        return refuseItem(kind, c.entry.uuid, c.entry.caseStudy, 0,
                          QStringLiteral("contact %1: belongs to device %2, which first sent it; device %3 may not "
                                         "send another entry with its UUID")
                              .arg(c.entry.uuid, owner, sender.deviceId),
                          batchId, received);
    ConflictRow row;
    row.kind = QStringLiteral("contact");
    row.uuid = c.entry.uuid;
    row.caseStudy = current.caseStudy;
    row.keptId = current.id;
    row.otherId = insertContact(c, batchId, false);
    row.otherBatch = batchId;
    row.differences.append(QStringLiteral("contact entry"));
    row.detected = received;
    recordConflict(row);
    result.outcome = MergeOutcome::Conflict;
    result.reason = QStringLiteral("a different entry with this UUID is held; both kept for the coordinator");
    return result;
}

std::unique_ptr<CollectorStore> openCollectorStore(const QString &location)
{
    if (PostgresCollectorStore::isUrl(location))
        return PostgresCollectorStore::open(location);
    if (location.startsWith(QLatin1String("sqlite:")))
        return SqliteCollectorStore::open(location.mid(7));
    return SqliteCollectorStore::open(location);
}

} // namespace kerbside
