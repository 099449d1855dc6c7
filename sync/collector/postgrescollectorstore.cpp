// SPDX-License-Identifier: Apache-2.0
#include "postgrescollectorstore.h"

#include "answerpack.h"
#include "paradatapack.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

#include <chrono>
#include <thread>

namespace kerbside {

namespace {

// Advisory lock keys: one 64-bit hash per (kind, UUID). A collision only serialises two
// unrelated merges a little; it never lets two merges of one item interleave.
const char kLockSql[] = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))";

constexpr int kMaxMergeAttempts = 8;

PgParams &addLocation(PgParams &p, const Location &l)
{
    return p.add(l.latitude).add(l.longitude).add(l.altitude).add(l.accuracy).addTime(l.time);
}

Location locationAt(const PgResult &r, int row, int column)
{
    Location l;
    l.latitude = r.real(row, column);
    l.longitude = r.real(row, column + 1);
    l.altitude = r.real(row, column + 2);
    l.accuracy = r.real(row, column + 3);
    l.time = r.time(row, column + 4);
    return l;
}

DeviceRecord deviceFromRow(const PgResult &r, int row)
{
    DeviceRecord d;
    d.id = r.text(row, 0);
    d.label = r.text(row, 1);
    d.enrolled = r.time(row, 2);
    d.revoked = r.time(row, 3);
    d.lastSeen = r.time(row, 4);
    return d;
}

} // namespace

bool PostgresCollectorStore::isUrl(const QString &location)
{
    return location.startsWith(QLatin1String("postgresql://")) || location.startsWith(QLatin1String("postgres://"));
}

std::unique_ptr<PostgresCollectorStore> PostgresCollectorStore::open(const QString &location)
{
    QString url = location;
    const int poolSize = PgLanePool::takeSize(&url);
    auto db = std::make_unique<PgConnection>(url);
    std::unique_ptr<PostgresCollectorStore> store(new PostgresCollectorStore(std::move(db), url));
    store->migrate();
    store->judgeGridPlaces(); // positions counted by schema step 8 before an area judged them
    store->fillCaseCounts();  // places and question times of what step 10 found held
    store->m_pool = std::make_unique<PgLanePool>(poolSize, [url] {
        return std::unique_ptr<PostgresCollectorStore>(new PostgresCollectorStore(std::make_unique<PgConnection>(url), url));
    });
    return store;
}

MergeResult PostgresCollectorStore::mergeBatch(const IncomingBatch &batch, const QByteArray &raw, const QString &source,
                                               const QDateTime &received)
{
    if (!m_pool)
        return CollectorStore::mergeBatch(batch, raw, source, received); // a lane
    const PgLanePool::Lease lane = m_pool->acquire();
    return lane->mergeBatch(batch, raw, source, received);
}

CollectorStore::MergeStats PostgresCollectorStore::mergeStats()
{
    MergeStats sum = CollectorStore::mergeStats();
    if (m_pool) {
        m_pool->forEachLane([&](PostgresCollectorStore &lane) {
            const MergeStats s = lane.mergeStats();
            sum.batches += s.batches;
            sum.groups += s.groups;
            sum.largestGroup = std::max(sum.largestGroup, s.largestGroup);
        });
    }
    return sum;
}

PostgresCollectorStore::ConcurrencyStats PostgresCollectorStore::concurrencyStats()
{
    ConcurrencyStats out;
    out.retries = m_retries;
    if (m_pool) {
        out.pool = m_pool->stats();
        m_pool->forEachLane([&](PostgresCollectorStore &lane) { out.retries += lane.m_retries; });
    }
    return out;
}

PostgresCollectorStore::PostgresCollectorStore(std::unique_ptr<PgConnection> db, const QString &url)
    : m_db(std::move(db)), m_url(url)
{
}

PostgresCollectorStore::~PostgresCollectorStore() = default;

// --- case studies and forms ------------------------------------------------------------------

void PostgresCollectorStore::addCaseStudy(const QString &id, const QString &name)
{
    std::lock_guard lock(m_mutex);
    if (!validCaseStudyId(id))
        throw CollectorError(CollectorError::Code::Invalid,
                             QStringLiteral("case study id \"%1\": use 1-64 letters, digits, '_', '-', '.', starting with a letter or digit").arg(id));
    const PgResult r = m_db->exec("INSERT INTO case_studies (id, name, created_ms) VALUES ($1, $2, $3) "
                                  "ON CONFLICT (id) DO NOTHING",
                                  PgParams().add(id).add(name).add(QDateTime::currentMSecsSinceEpoch()));
    if (r.affected() == 0)
        throw CollectorError(CollectorError::Code::Exists, QStringLiteral("case study %1 already exists").arg(id));
}

QList<CaseStudyRecord> PostgresCollectorStore::caseStudies()
{
    std::lock_guard lock(m_mutex);
    QList<CaseStudyRecord> out;
    const PgResult r = m_db->exec("SELECT id, name, created_ms FROM case_studies ORDER BY id COLLATE \"C\"", PgParams());
    for (int i = 0; i < r.rows(); ++i)
        out.append({r.text(i, 0), r.text(i, 1), r.time(i, 2)});
    return out;
}

void PostgresCollectorStore::publishForm(const PublishedFormRecord &form, const QStringList &caseStudies)
{
    checkFormId(form.formId);
    std::lock_guard lock(m_mutex);
    transaction([&] {
        const QStringList missing = missingCaseStudies(QSet<QString>(caseStudies.begin(), caseStudies.end()));
        if (!missing.isEmpty())
            throw CollectorError(CollectorError::Code::NotFound,
                                 QStringLiteral("unknown case study: %1").arg(missing.join(QStringLiteral(", "))));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const QByteArray sha = QCryptographicHash::hash(form.json, QCryptographicHash::Sha256);
        // Inserted or not, the row is then locked and compared: a concurrent publisher of other
        // content under the same version waits here and is refused.
        m_db->exec("INSERT INTO forms (form_id, version, title, json, sha256, published_ms) VALUES ($1, $2, $3, $4, $5, $6) "
                   "ON CONFLICT (form_id, version) DO NOTHING",
                   PgParams().add(form.formId).add(form.version).add(form.title)
                       .add(form.json.isNull() ? QByteArray("") : form.json).add(sha).add(now));
        const PgResult existing = m_db->exec("SELECT sha256 FROM forms WHERE form_id = $1 AND version = $2 FOR UPDATE",
                                             PgParams().add(form.formId).add(form.version));
        if (existing.rows() && existing.blob(0, 0) != sha)
            throw CollectorError(CollectorError::Code::Exists,
                                 QStringLiteral("form %1 version %2 is already published with other content; give the changed form a new version")
                                     .arg(form.formId, form.version));
        for (const QString &cs : caseStudies) {
            m_db->exec("INSERT INTO form_publications (form_id, version, case_study, published_ms) VALUES ($1, $2, $3, $4) "
                       "ON CONFLICT (form_id, version, case_study) DO NOTHING",
                       PgParams().add(form.formId).add(form.version).add(cs).add(now));
        }
    });
}

QList<PublishedFormRecord> PostgresCollectorStore::forms(const QStringList &caseStudies, bool withJson)
{
    std::lock_guard lock(m_mutex);
    QList<PublishedFormRecord> out;
    const PgResult r = m_db->exec(
        "SELECT f.form_id, f.version, f.title, f.sha256, f.published_ms, p.case_study, "
        "CASE WHEN $1::boolean THEN f.json ELSE NULL END "
        "FROM forms f JOIN form_publications p ON p.form_id = f.form_id AND p.version = f.version "
        "ORDER BY f.form_id COLLATE \"C\", f.version COLLATE \"C\", p.case_study COLLATE \"C\"",
        PgParams().add(QString::fromLatin1(withJson ? "true" : "false")));
    for (int i = 0; i < r.rows(); ++i) {
        const QString cs = r.text(i, 5);
        if (!caseStudies.isEmpty() && !caseStudies.contains(cs))
            continue;
        if (out.isEmpty() || out.last().formId != r.text(i, 0) || out.last().version != r.text(i, 1)) {
            PublishedFormRecord f;
            f.formId = r.text(i, 0);
            f.version = r.text(i, 1);
            f.title = r.text(i, 2);
            f.sha256 = r.blob(i, 3);
            f.published = r.time(i, 4);
            f.json = r.blob(i, 6);
            out.append(f);
        }
        out.last().caseStudies.append(cs);
    }
    return out;
}

std::optional<PublishedFormRecord> PostgresCollectorStore::publishedForm(const QString &formId, const QString &version,
                                                                        const QString &caseStudy)
{
    std::lock_guard lock(m_mutex);
    const PgResult r = m_db->exec(
        "SELECT f.title, f.sha256, f.published_ms, f.json "
        "FROM forms f JOIN form_publications p ON p.form_id = f.form_id AND p.version = f.version "
        "WHERE f.form_id = $1 AND f.version = $2 AND p.case_study = $3",
        PgParams().add(formId).add(version).add(caseStudy));
    if (r.rows() == 0)
        return std::nullopt;
    return PublishedFormRecord{formId, version, r.text(0, 0), r.blob(0, 3), r.blob(0, 1), r.time(0, 2), {caseStudy}};
}

// --- enrolment and devices -------------------------------------------------------------------

void PostgresCollectorStore::addEnrolmentCode(const EnrolmentCodeRecord &code)
{
    std::lock_guard lock(m_mutex);
    if (!missingCaseStudies({code.caseStudy}).isEmpty())
        throw CollectorError(CollectorError::Code::NotFound, QStringLiteral("unknown case study %1").arg(code.caseStudy));
    m_db->exec("INSERT INTO enrolment_codes (code_hash, case_study, created_ms, expires_ms) VALUES ($1, $2, $3, $4)",
               PgParams().add(code.codeHash).add(code.caseStudy).addTime(code.created).addTime(code.expires));
}

Enrolment PostgresCollectorStore::redeemEnrolmentCode(const QByteArray &codeHash, const QDateTime &now,
                                                      const QString &deviceId, const QByteArray &tokenHash,
                                                      const QString &label)
{
    std::lock_guard lock(m_mutex);
    return transaction([&] {
        // FOR UPDATE: a second collector redeeming the same code at once waits for this
        // transaction, then reads the code as used.
        const PgResult s = m_db->exec("SELECT case_study, expires_ms, used_ms FROM enrolment_codes WHERE code_hash = $1 FOR UPDATE",
                                      PgParams().add(codeHash));
        if (!s.rows())
            throw CollectorError(CollectorError::Code::NotFound, QStringLiteral("unknown enrolment code"));
        const QString caseStudy = s.text(0, 0);
        if (!s.isNull(0, 2))
            throw CollectorError(CollectorError::Code::Used, QStringLiteral("enrolment code already used"));
        if (s.time(0, 1) <= now)
            throw CollectorError(CollectorError::Code::Expired, QStringLiteral("enrolment code expired"));
        m_db->exec("UPDATE enrolment_codes SET used_ms = $2, device_id = $3 WHERE code_hash = $1",
                   PgParams().add(codeHash).addTime(now).add(deviceId));
        m_db->exec("INSERT INTO devices (id, token_hash, label, enrolled_ms) VALUES ($1, $2, $3, $4)",
                   PgParams().add(deviceId).add(tokenHash).add(label).addTime(now));
        m_db->exec("INSERT INTO device_case_studies (device_id, case_study) VALUES ($1, $2)",
                   PgParams().add(deviceId).add(caseStudy));
        Enrolment e;
        e.device.id = deviceId;
        e.device.label = label;
        e.device.enrolled = now;
        e.device.caseStudies = {caseStudy};
        const PgResult cs = m_db->exec("SELECT id, name, created_ms FROM case_studies WHERE id = $1", PgParams().add(caseStudy));
        if (cs.rows())
            e.caseStudies.append({cs.text(0, 0), cs.text(0, 1), cs.time(0, 2)});
        return e;
    });
}

QStringList PostgresCollectorStore::deviceCaseStudies(const QString &id)
{
    QStringList out;
    const PgResult r = m_db->exec("SELECT case_study FROM device_case_studies WHERE device_id = $1 ORDER BY case_study COLLATE \"C\"",
                                  PgParams().add(id));
    for (int i = 0; i < r.rows(); ++i)
        out.append(r.text(i, 0));
    return out;
}

void PostgresCollectorStore::fillDeviceCounts(DeviceRecord *d)
{
    d->caseStudies = deviceCaseStudies(d->id);
    const PgResult b = m_db->exec(
        "SELECT count(*), max(sequence), count(DISTINCT sequence), max(received_ms), "
        "  (SELECT count(DISTINCT uuid) FROM response_versions WHERE device_id = $1), "
        "  (SELECT count(DISTINCT uuid) FROM contacts WHERE device_id = $1) "
        "FROM batches WHERE device_id = $1",
        PgParams().add(d->id));
    if (b.rows()) {
        d->batches = b.int64(0, 0);
        d->lastSequence = quint64(b.int64(0, 1));
        d->missingSequences = b.int64(0, 1) - b.int64(0, 2);
        d->lastBatch = b.time(0, 3);
        d->responses = b.int64(0, 4);
        d->contacts = b.int64(0, 5);
    }
}

std::optional<DeviceRecord> PostgresCollectorStore::deviceByTokenHash(const QByteArray &tokenHash)
{
    if (m_pool) // every request asks: not through the one connection of everything else
        return m_pool->acquire()->deviceByTokenHash(tokenHash);
    std::lock_guard lock(m_mutex);
    const PgResult s = m_db->exec("SELECT id, label, enrolled_ms, revoked_ms, last_seen_ms, token_hash FROM devices WHERE token_hash = $1",
                                  PgParams().add(tokenHash));
    if (!s.rows())
        return std::nullopt;
    // The index found it; compare the whole hash again in constant time all the same.
    const QByteArray stored = s.blob(0, 5);
    if (stored.size() != tokenHash.size())
        return std::nullopt;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < stored.size(); ++i)
        diff |= static_cast<unsigned char>(stored[i] ^ tokenHash[i]);
    if (diff != 0)
        return std::nullopt;
    DeviceRecord d = deviceFromRow(s, 0);
    d.caseStudies = deviceCaseStudies(d.id);
    return d;
}

std::optional<DeviceRecord> PostgresCollectorStore::device(const QString &id)
{
    std::lock_guard lock(m_mutex);
    const PgResult s = m_db->exec("SELECT id, label, enrolled_ms, revoked_ms, last_seen_ms FROM devices WHERE id = $1",
                                  PgParams().add(id));
    if (!s.rows())
        return std::nullopt;
    DeviceRecord d = deviceFromRow(s, 0);
    fillDeviceCounts(&d);
    return d;
}

QList<DeviceRecord> PostgresCollectorStore::devices()
{
    std::lock_guard lock(m_mutex);
    QList<DeviceRecord> out;
    const PgResult s = m_db->exec("SELECT id, label, enrolled_ms, revoked_ms, last_seen_ms FROM devices "
                                  "ORDER BY enrolled_ms, id COLLATE \"C\"", PgParams());
    for (int i = 0; i < s.rows(); ++i)
        out.append(deviceFromRow(s, i));
    for (DeviceRecord &d : out)
        fillDeviceCounts(&d);
    return out;
}

void PostgresCollectorStore::revokeDevice(const QString &id, const QDateTime &when)
{
    std::lock_guard lock(m_mutex);
    // Keeps the first revocation time when already revoked.
    const PgResult r = m_db->exec("UPDATE devices SET revoked_ms = COALESCE(revoked_ms, $2) WHERE id = $1",
                                  PgParams().add(id).addTime(when));
    if (r.affected() == 0)
        throw CollectorError(CollectorError::Code::NotFound, QStringLiteral("unknown device %1").arg(id));
}

void PostgresCollectorStore::touchDevice(const QString &id, const QDateTime &when)
{
    if (m_pool)
        return m_pool->acquire()->touchDevice(id, when);
    std::lock_guard lock(m_mutex);
    m_db->exec("UPDATE devices SET last_seen_ms = $2 WHERE id = $1", PgParams().add(id).addTime(when));
}

// --- reading ---------------------------------------------------------------------------------

QList<ConflictRecord> PostgresCollectorStore::conflicts(const QString &caseStudy)
{
    std::lock_guard lock(m_mutex);
    QList<ConflictRecord> out;
    const PgResult s = m_db->exec(
        "SELECT c.id, c.kind, c.uuid, c.case_study, c.revision, c.differences, c.detected_ms, "
        "  ob.batch_uuid, ob.device_id, kb.batch_uuid, kb.device_id "
        "FROM conflicts c JOIN batches ob ON ob.id = c.other_batch "
        "LEFT JOIN batches kb ON kb.id = CASE c.kind "
        "  WHEN 'response' THEN (SELECT v.batch_id FROM response_versions v WHERE v.id = c.kept_id) "
        "  ELSE (SELECT k.batch_id FROM contacts k WHERE k.id = c.kept_id) END "
        "WHERE c.resolved_ms IS NULL AND ($1::text IS NULL OR c.case_study = $1) ORDER BY c.id",
        PgParams().addOptional(caseStudy));
    for (int i = 0; i < s.rows(); ++i) {
        ConflictRecord c;
        c.id = s.int64(i, 0);
        c.kind = s.text(i, 1);
        c.uuid = s.text(i, 2);
        c.caseStudy = s.text(i, 3);
        c.revision = int(s.int64(i, 4));
        c.differences = s.text(i, 5).split(QLatin1Char(','), Qt::SkipEmptyParts);
        c.detected = s.time(i, 6);
        c.otherBatch = s.text(i, 7);
        c.otherDevice = s.text(i, 8);
        c.keptBatch = s.text(i, 9);
        c.keptDevice = s.text(i, 10);
        out.append(c);
    }
    return out;
}

QList<CaseStudyCounts> PostgresCollectorStore::counts(const QString &deviceId)
{
    std::lock_guard lock(m_mutex);
    QList<CaseStudyCounts> out;
    const PgResult s = m_db->exec(
        "SELECT c.id, c.name, "
        "  (SELECT count(DISTINCT uuid) FROM response_versions v WHERE v.device_id = $1 AND v.case_study = c.id), "
        "  (SELECT count(DISTINCT uuid) FROM contacts k WHERE k.device_id = $1 AND k.case_study = c.id), "
        "  (SELECT count(*) FROM responses r WHERE r.case_study = c.id), "
        "  (SELECT count(*) FROM conflicts x WHERE x.case_study = c.id AND x.resolved_ms IS NULL) "
        "FROM device_case_studies d JOIN case_studies c ON c.id = d.case_study "
        "WHERE d.device_id = $1 ORDER BY c.id COLLATE \"C\"",
        PgParams().add(deviceId));
    for (int i = 0; i < s.rows(); ++i) {
        CaseStudyCounts c;
        c.id = s.text(i, 0);
        c.name = s.text(i, 1);
        c.responsesFromDevice = s.int64(i, 2);
        c.contactsFromDevice = s.int64(i, 3);
        c.responsesTotal = s.int64(i, 4);
        c.openConflicts = s.int64(i, 5);
        out.append(c);
    }
    return out;
}

QList<quint64> PostgresCollectorStore::sequences(const QString &deviceId)
{
    std::lock_guard lock(m_mutex);
    QList<quint64> out;
    const PgResult s = m_db->exec("SELECT DISTINCT sequence FROM batches WHERE device_id = $1 ORDER BY sequence",
                                  PgParams().add(deviceId));
    for (int i = 0; i < s.rows(); ++i)
        out.append(quint64(s.int64(i, 0)));
    return out;
}

qint64 PostgresCollectorStore::responseCount(const QString &caseStudy)
{
    std::lock_guard lock(m_mutex);
    return m_db->scalar("SELECT count(*) FROM responses WHERE $1::text IS NULL OR case_study = $1",
                        PgParams().addOptional(caseStudy));
}

qint64 PostgresCollectorStore::contactCount(const QString &caseStudy)
{
    std::lock_guard lock(m_mutex);
    return m_db->scalar("SELECT count(*) FROM contacts WHERE is_current = 1 AND ($1::text IS NULL OR case_study = $1)",
                        PgParams().addOptional(caseStudy));
}

qint64 PostgresCollectorStore::batchCount()
{
    std::lock_guard lock(m_mutex);
    return m_db->scalar("SELECT count(*) FROM batches");
}

void PostgresCollectorStore::forEachResponse(const QString &caseStudy,
                                             const std::function<bool(const StoredResponse &)> &visit)
{
    // Its own connection, a REPEATABLE READ snapshot and a server-side cursor: an export sees
    // one consistent state, never holds more than one fetch in memory, and never blocks merges.
    PgConnection reader(m_url);
    reader.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    reader.execOnce(
        "DECLARE kb_responses NO SCROLL CURSOR FOR "
        "SELECT v.id, v.uuid, v.form_id, v.form_version, v.case_study, v.enumerator, v.device_id, v.status, "
        "  v.revision, v.started_ms, v.ended_ms, v.updated_ms, v.latitude, v.longitude, v.altitude, v.accuracy, "
        "  v.fix_ms, v.language, b.batch_uuid, b.received_ms, r.versions, r.conflicted, v.answers, "
        "  v.language_switched, v.started_offset_s "
        "FROM responses r JOIN response_versions v ON v.id = r.current_version JOIN batches b ON b.id = v.batch_id "
        "WHERE $1::text IS NULL OR r.case_study = $1 ORDER BY r.uuid COLLATE \"C\"",
        PgParams().addOptional(caseStudy));
    // On the reader's own connection: the cursor's transaction sees the forms its rows name.
    AnswerDictionaryCursor dictionaries(m_dictionaries, [&reader](const QString &id, const QString &v) {
        return formJson(reader, id, v);
    });
    for (;;) {
        const PgResult s = reader.exec("FETCH 1000 FROM kb_responses");
        if (s.rows() == 0)
            break;
        for (int i = 0; i < s.rows(); ++i) {
            StoredResponse r;
            ResponseMeta &m = r.meta;
            m.uuid = s.text(i, 1);
            m.formId = s.text(i, 2);
            m.formVersion = s.text(i, 3);
            m.caseStudy = s.text(i, 4);
            m.enumerator = s.text(i, 5);
            m.deviceId = s.text(i, 6);
            responseStatusFromName(s.text(i, 7), &m.status);
            m.revision = int(s.int64(i, 8));
            m.started = s.time(i, 9);
            m.ended = s.time(i, 10);
            m.updated = s.time(i, 11);
            m.location = locationAt(s, i, 12);
            m.language = s.text(i, 17);
            m.synced = true;
            r.batchUuid = s.text(i, 18);
            r.received = s.time(i, 19);
            r.versions = int(s.int64(i, 20));
            r.conflicted = s.int64(i, 21) != 0;
            r.languageSwitched = s.int64(i, 23) != 0;
            if (!s.isNull(i, 24))
                m.startedUtcOffset = int(s.int64(i, 24));
            answerpack::unpackStored(s.blob(i, 22), &r.answers, nullptr, m_db->where(), s.int64(i, 0), m.uuid,
                                     dictionaries.find(m.formId, m.formVersion));
            if (!visit(r)) {
                reader.exec("COMMIT");
                return;
            }
        }
    }
    reader.exec("COMMIT");
}

void PostgresCollectorStore::forEachContact(const QString &caseStudy,
                                            const std::function<bool(const ContactEntry &)> &visit)
{
    PgConnection reader(m_url);
    reader.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    reader.execOnce(
        "DECLARE kb_contacts NO SCROLL CURSOR FOR "
        "SELECT uuid, case_study, enumerator, device_id, time_ms, latitude, longitude, altitude, accuracy, fix_ms, "
        "  disposition, age_band, gender, note FROM contacts "
        "WHERE is_current = 1 AND ($1::text IS NULL OR case_study = $1) ORDER BY uuid COLLATE \"C\"",
        PgParams().addOptional(caseStudy));
    for (;;) {
        const PgResult s = reader.exec("FETCH 2000 FROM kb_contacts");
        if (s.rows() == 0)
            break;
        for (int i = 0; i < s.rows(); ++i) {
            ContactEntry e;
            e.uuid = s.text(i, 0);
            e.caseStudy = s.text(i, 1);
            e.enumerator = s.text(i, 2);
            e.deviceId = s.text(i, 3);
            e.time = s.time(i, 4);
            e.location = locationAt(s, i, 5);
            dispositionFromName(s.text(i, 10), &e.disposition);
            e.ageBand = s.text(i, 11);
            e.gender = s.text(i, 12);
            e.note = s.text(i, 13);
            e.synced = true;
            if (!visit(e)) {
                reader.exec("COMMIT");
                return;
            }
        }
    }
    reader.exec("COMMIT");
}

// --- merge primitives ------------------------------------------------------------------------

void PostgresCollectorStore::beginWrite()
{
    m_pending.clear();
    m_responseAhead.clear();
    m_contactAhead.clear();
    m_db->clearLastError();
    m_db->exec("BEGIN");
}

void PostgresCollectorStore::commitWrite()
{
    m_pending.flush(*m_db);
    m_db->exec("COMMIT");
}

void PostgresCollectorStore::rollbackWrite() noexcept
{
    m_pending.clear();
    try {
        m_db->exec("ROLLBACK");
    } catch (...) {
        // The connection is gone: the server rolled the transaction back itself.
    }
}

bool PostgresCollectorStore::retryMerge(const CollectorError &, int attempt)
{
    // A lost connection took the transaction with it (or, if COMMIT itself was cut off after
    // the server committed, the retry finds the batch by its UUID and replays its ack): run
    // again on a new connection.
    if (attempt >= kMaxMergeAttempts || !(m_db->lastFailureTransient() || m_db->lost()))
        return false;
    ++m_retries;
    // A short random pause so two collectors that collided do not collide again in step.
    const int ms = 5 * attempt + int(QRandomGenerator::global()->bounded(20 * attempt));
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    return true;
}

void PostgresCollectorStore::prepareItems(const IncomingBatch &batch)
{
    QStringList keys, responses, contacts;
    for (const IncomingResponse &r : batch.responses) {
        responses.append(r.meta.uuid);
        keys.append(QStringLiteral("r:") + r.meta.uuid);
    }
    for (const IncomingContact &c : batch.contacts) {
        contacts.append(c.entry.uuid);
        keys.append(QStringLiteral("c:") + c.entry.uuid);
    }
    // Sorted by lock key: two merges wanting some of the same items take them in one order.
    m_db->exec("SELECT pg_advisory_xact_lock(s.k) FROM "
               "(SELECT DISTINCT hashtextextended(x, 0) AS k FROM unnest($1::text[]) AS x ORDER BY 1) AS s",
               PgParams().addTextArray(keys));
    // Then, in new snapshots, everything held of these items (one round trip each, not one per item).
    m_responseAhead.clear();
    m_contactAhead.clear();
    for (const QString &u : responses)
        m_responseAhead.insert(u, {});
    for (const QString &u : contacts)
        m_contactAhead.insert(u, {});
    if (!responses.isEmpty()) {
        const PgResult s = m_db->exec("SELECT v.uuid, v.id, v.revision, v.content_hash, v.id = r.current_version, r.case_study "
                                      "FROM response_versions v JOIN responses r ON r.uuid = v.uuid "
                                      "WHERE v.uuid = ANY($1::text[]) ORDER BY v.id",
                                      PgParams().addTextArray(responses));
        for (int i = 0; i < s.rows(); ++i)
            m_responseAhead[s.text(i, 0)].append({s.int64(i, 1), int(s.int64(i, 2)), s.blob(i, 3), s.raw(i, 4) == "t", s.text(i, 5)});
    }
    if (!contacts.isEmpty()) {
        const PgResult s = m_db->exec("SELECT uuid, id, content_hash, is_current, case_study FROM contacts "
                                      "WHERE uuid = ANY($1::text[]) ORDER BY id",
                                      PgParams().addTextArray(contacts));
        for (int i = 0; i < s.rows(); ++i)
            m_contactAhead[s.text(i, 0)].append({s.int64(i, 1), 0, s.blob(i, 2), s.int64(i, 3) != 0, s.text(i, 4)});
    }
    m_pending.reserve(*m_db, int(responses.size()));
}

std::optional<CollectorStore::LoggedBatch> PostgresCollectorStore::findBatch(const QString &batchUuid)
{
    // Another collector merging this very batch holds the lock until it commits; then the
    // SELECT (a new snapshot under READ COMMITTED) finds it and returns its acknowledgement.
    m_db->exec(kLockSql, PgParams().add(QStringLiteral("b:") + batchUuid));
    const PgResult s = m_db->exec("SELECT b.id, b.device_id, a.ack FROM batches b JOIN batch_acks a ON a.batch_id = b.id "
                                  "WHERE b.batch_uuid = $1",
                                  PgParams().add(batchUuid));
    if (!s.rows())
        return std::nullopt;
    return LoggedBatch{s.int64(0, 0), s.text(0, 1), s.blob(0, 2)};
}

QStringList PostgresCollectorStore::missingCaseStudies(const QSet<QString> &ids)
{
    const QStringList wanted(ids.begin(), ids.end());
    const PgResult s = m_db->exec("SELECT x FROM unnest($1::text[]) AS x WHERE NOT EXISTS (SELECT 1 FROM case_studies WHERE id = x)",
                                  PgParams().addTextArray(wanted));
    QStringList missing;
    for (int i = 0; i < s.rows(); ++i)
        missing.append(s.text(i, 0));
    missing.sort();
    return missing;
}

qint64 PostgresCollectorStore::appendBatch(const BatchHeader &h, const QByteArray &raw, const QString &source,
                                           const QDateTime &received, int responses, int contacts)
{
    const PgResult r = m_db->exec(
        "INSERT INTO batches (batch_uuid, device_id, sequence, created_ms, app_version, source, received_ms, "
        "responses, contacts, raw) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        PgParams().add(h.batchUuid).add(h.deviceId).add(qint64(h.sequence)).addTime(h.created).add(h.appVersion)
            .add(source).addTime(received).add(responses).add(contacts).add(raw.isNull() ? QByteArray("") : raw));
    return r.int64(0, 0);
}

void PostgresCollectorStore::storeAck(qint64 batchId, const QByteArray &ack)
{
    m_pending.flush(*m_db);
    m_db->exec("INSERT INTO batch_acks (batch_id, ack) VALUES ($1, $2)",
               PgParams().add(batchId).add(ack.isNull() ? QByteArray("") : ack));
}

QList<CollectorStore::VersionRef> PostgresCollectorStore::responseVersions(const QString &uuid)
{
    QList<VersionRef> out;
    if (const auto it = m_responseAhead.constFind(uuid); it != m_responseAhead.constEnd()) {
        out = *it;
        m_responseAhead.erase(it); // about to be written: a second read goes to the database
    } else {
        // Locks the UUID, then reads (see kb_response_versions in the schema and findBatch()).
        m_pending.flush(*m_db);
        const PgResult s = m_db->exec("SELECT * FROM kb_response_versions($1)", PgParams().add(uuid));
        for (int i = 0; i < s.rows(); ++i)
            out.append({s.int64(i, 0), int(s.int64(i, 1)), s.blob(i, 2), s.raw(i, 3) == "t", s.text(i, 4)});
    }
    return out;
}

qint64 PostgresCollectorStore::insertResponseVersion(const IncomingResponse &r, qint64 batchId)
{
    // written by the next flush, before any read
    return m_pending.add(*m_db, r, batchId, m_mergeDictionaries.find(r.meta.formId, r.meta.formVersion));
}

void PostgresCollectorStore::insertResponse(const QString &uuid, const QString &caseStudy, qint64 versionId)
{
    m_pending.addHead(uuid, caseStudy, versionId);
}

void PostgresCollectorStore::setCurrentVersion(const QString &uuid, qint64 versionId)
{
    m_pending.flush(*m_db);
    m_db->exec("UPDATE responses SET current_version = $2 WHERE uuid = $1", PgParams().add(uuid).add(versionId));
}

QList<TypedAnswer> PostgresCollectorStore::versionAnswers(qint64 versionId)
{
    m_pending.flush(*m_db);
    QList<TypedAnswer> out;
    const PgResult a = m_db->exec("SELECT answers, form_id, form_version FROM response_versions WHERE id = $1",
                                  PgParams().add(versionId));
    if (a.rows())
        answerpack::unpackStored(a.blob(0, 0), &out, nullptr, m_db->where(), versionId, {},
                                 m_mergeDictionaries.find(a.text(0, 1), a.text(0, 2)));
    return out;
}

void PostgresCollectorStore::forEachParadata(qint64 from, qint64 to,
                                             const std::function<void(qint64, const QList<ParadataEvent> &)> &visit)
{
    m_pending.flush(*m_db);
    AnswerDictionaryCursor dictionaries(m_dictionaries, [this](const QString &id, const QString &v) {
        return formJson(*m_db, id, v);
    });
    const PgResult s = m_db->exec("SELECT id, paradata, form_id, form_version, started_ms FROM response_versions"
                                  " WHERE id BETWEEN $1 AND $2 AND paradata IS NOT NULL ORDER BY id",
                                  PgParams().add(from).add(to));
    QList<ParadataEvent> events;
    for (int i = 0; i < s.rows(); ++i) {
        events.clear();
        const QDateTime started = s.isNull(i, 4) ? QDateTime() : QDateTime::fromMSecsSinceEpoch(s.int64(i, 4), Qt::UTC);
        paradatapack::unpackStored(s.blob(i, 1), &events, m_db->where(), s.int64(i, 0),
                                   dictionaries.find(s.text(i, 2), s.text(i, 3)), started);
        visit(s.int64(i, 0), events);
    }
}

QList<CollectorStore::VersionRef> PostgresCollectorStore::contactVersions(const QString &uuid)
{
    if (const auto it = m_contactAhead.constFind(uuid); it != m_contactAhead.constEnd()) {
        const QList<VersionRef> ahead = *it;
        m_contactAhead.erase(it);
        return ahead;
    }
    m_pending.flush(*m_db);
    m_db->exec(kLockSql, PgParams().add(QStringLiteral("c:") + uuid));
    QList<VersionRef> out;
    const PgResult s = m_db->exec("SELECT id, content_hash, is_current, case_study FROM contacts WHERE uuid = $1 ORDER BY id",
                                  PgParams().add(uuid));
    for (int i = 0; i < s.rows(); ++i)
        out.append({s.int64(i, 0), 0, s.blob(i, 1), s.int64(i, 2) != 0, s.text(i, 3)});
    return out;
}

qint64 PostgresCollectorStore::insertContact(const IncomingContact &c, qint64 batchId, bool current)
{
    m_pending.flush(*m_db);
    const ContactEntry &e = c.entry;
    PgParams p;
    p.add(e.uuid).add(qint64(current)).add(c.contentHash).add(batchId).add(e.caseStudy).add(e.enumerator)
        .add(e.deviceId).addTime(e.time);
    addLocation(p, e.location);
    p.add(dispositionName(e.disposition)).add(e.ageBand).add(e.gender).add(e.note);
    const PgResult r = m_db->exec(
        "INSERT INTO contacts (uuid, is_current, content_hash, batch_id, case_study, enumerator, device_id, time_ms, "
        "latitude, longitude, altitude, accuracy, fix_ms, disposition, age_band, gender, note) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
        p);
    return r.int64(0, 0);
}

void PostgresCollectorStore::recordConflict(const ConflictRow &c)
{
    m_pending.flush(*m_db);
    m_db->exec("INSERT INTO conflicts (kind, uuid, case_study, revision, kept_id, other_id, other_batch, differences, detected_ms) "
               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
               PgParams().add(c.kind).add(c.uuid).add(c.caseStudy).add(c.revision).add(c.keptId).add(c.otherId)
                   .add(c.otherBatch).add(c.differences.join(QLatin1Char(','))).addTime(c.detected));
    if (c.kind == QLatin1String("response"))
        m_db->exec("UPDATE responses SET conflicted = 1 WHERE uuid = $1", PgParams().add(c.uuid));
}

} // namespace kerbside

namespace kerbside {

// --- the dashboard's primitives (dashboardstore.cpp) ------------------------------------------

namespace {

PgParams pgParams(const QVariantList &params)
{
    PgParams p;
    for (const QVariant &v : params) {
        if (v.isNull())
            p.addNull();
        else if (v.typeId() == QMetaType::LongLong || v.typeId() == QMetaType::Int || v.typeId() == QMetaType::Bool)
            p.add(v.toLongLong());
        else if (v.typeId() == QMetaType::Double)
            p.add(v.toDouble());
        else
            p.add(v.toString());
    }
    return p;
}

} // namespace

QList<QStringList> PostgresCollectorStore::sqlRows(const char *sql, const QVariantList &params, int columns)
{
    m_pending.flush(*m_db); // versions of a merge under way are read back like the others
    const PgResult r = m_db->exec(sql, pgParams(params));
    QList<QStringList> out;
    for (int i = 0; i < r.rows(); ++i) {
        QStringList row;
        for (int c = 0; c < columns; ++c)
            row.append(r.isNull(i, c) ? QString() : r.text(i, c));
        out.append(row);
    }
    return out;
}

qint64 PostgresCollectorStore::sqlExec(const char *sql, const QVariantList &params)
{
    m_pending.flush(*m_db);
    return m_db->exec(sql, pgParams(params)).affected();
}

qint64 PostgresCollectorStore::sqlExecMany(const char *sql, const QList<QVariantList> &rows)
{
    m_pending.flush(*m_db);
    std::vector<PgParams> params;
    params.reserve(size_t(rows.size()));
    for (const QVariantList &row : rows)
        params.push_back(pgParams(row));
    return m_db->execMany(sql, params);
}

} // namespace kerbside
