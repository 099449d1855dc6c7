// SPDX-License-Identifier: Apache-2.0
#include "sqlitecollectorstore.h"

#include "answerpack.h"
#include "paradatapack.h"

#include <QCryptographicHash>

namespace kerbside {

namespace {

// Binds the six columns of a location starting at `index`.
void bindLocation(SqliteConnection::Statement &s, int index, const Location &l)
{
    s.bind(index, l.latitude).bind(index + 1, l.longitude).bind(index + 2, l.altitude)
        .bind(index + 3, l.accuracy).bindTime(index + 4, l.time);
}

Location locationAt(SqliteConnection::Statement &s, int column)
{
    Location l;
    l.latitude = s.real(column);
    l.longitude = s.real(column + 1);
    l.altitude = s.real(column + 2);
    l.accuracy = s.real(column + 3);
    l.time = s.time(column + 4);
    return l;
}

} // namespace

std::unique_ptr<SqliteCollectorStore> SqliteCollectorStore::open(const QString &path)
{
    auto db = std::make_unique<SqliteConnection>(path);
    std::unique_ptr<SqliteCollectorStore> store(new SqliteCollectorStore(std::move(db)));
    store->migrate();
    store->judgeGridPlaces(); // positions counted by schema step 8 before an area judged them
    store->fillCaseCounts();  // places and question times of what step 10 found held
    // After the upgrade (which may rewrite the whole file in one transaction): from here on no
    // commit pays for a checkpoint.
    store->m_checkpointer = std::make_unique<WalCheckpointer>(store->m_db->path(), store->m_db->handle());
    return store;
}

SqliteCollectorStore::SqliteCollectorStore(std::unique_ptr<SqliteConnection> db)
    : m_db(std::move(db))
{
}

SqliteCollectorStore::~SqliteCollectorStore() = default;

// --- case studies and forms ------------------------------------------------------------------

void SqliteCollectorStore::addCaseStudy(const QString &id, const QString &name)
{
    std::lock_guard lock(m_mutex);
    if (!validCaseStudyId(id))
        throw CollectorError(CollectorError::Code::Invalid,
                             QStringLiteral("case study id \"%1\": use 1-64 letters, digits, '_', '-', '.', starting with a letter or digit").arg(id));
    auto exists = m_db->prepare("SELECT 1 FROM case_studies WHERE id = ?1");
    if (exists.bind(1, id).next())
        throw CollectorError(CollectorError::Code::Exists, QStringLiteral("case study %1 already exists").arg(id));
    m_db->prepare("INSERT INTO case_studies (id, name, created_ms) VALUES (?1, ?2, ?3)")
        .bind(1, id).bind(2, name)
        .bind(3, QDateTime::currentMSecsSinceEpoch()).run();
}

QList<CaseStudyRecord> SqliteCollectorStore::caseStudies()
{
    std::lock_guard lock(m_mutex);
    QList<CaseStudyRecord> out;
    auto s = m_db->prepare("SELECT id, name, created_ms FROM case_studies ORDER BY id");
    while (s.next())
        out.append({s.text(0), s.text(1), s.time(2)});
    return out;
}

void SqliteCollectorStore::publishForm(const PublishedFormRecord &form, const QStringList &caseStudies)
{
    checkFormId(form.formId);
    std::lock_guard lock(m_mutex);
    beginWrite();
    try {
        const QStringList missing = missingCaseStudies(QSet<QString>(caseStudies.begin(), caseStudies.end()));
        if (!missing.isEmpty())
            throw CollectorError(CollectorError::Code::NotFound,
                                 QStringLiteral("unknown case study: %1").arg(missing.join(QStringLiteral(", "))));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        auto existing = m_db->prepare("SELECT sha256 FROM forms WHERE form_id = ?1 AND version = ?2");
        existing.bind(1, form.formId).bind(2, form.version);
        const QByteArray sha = QCryptographicHash::hash(form.json, QCryptographicHash::Sha256);
        if (existing.next()) {
            if (existing.blob(0) != sha)
                throw CollectorError(CollectorError::Code::Exists,
                                     QStringLiteral("form %1 version %2 is already published with other content; give the changed form a new version")
                                         .arg(form.formId, form.version));
        } else {
            m_db->prepare("INSERT INTO forms (form_id, version, title, json, sha256, published_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .bind(1, form.formId).bind(2, form.version).bind(3, form.title)
                .bind(4, form.json).bind(5, sha).bind(6, now).run();
        }
        for (const QString &cs : caseStudies) {
            m_db->prepare("INSERT INTO form_publications (form_id, version, case_study, published_ms) VALUES (?1, ?2, ?3, ?4) "
                          "ON CONFLICT (form_id, version, case_study) DO NOTHING")
                .bind(1, form.formId).bind(2, form.version).bind(3, cs).bind(4, now).run();
        }
        commitWrite();
    } catch (...) {
        rollbackWrite();
        throw;
    }
}

QList<PublishedFormRecord> SqliteCollectorStore::forms(const QStringList &caseStudies, bool withJson)
{
    std::lock_guard lock(m_mutex);
    QList<PublishedFormRecord> out;
    auto s = m_db->prepare("SELECT f.form_id, f.version, f.title, f.sha256, f.published_ms, p.case_study, "
                           "CASE WHEN ?1 THEN f.json ELSE NULL END "
                           "FROM forms f JOIN form_publications p ON p.form_id = f.form_id AND p.version = f.version "
                           "ORDER BY f.form_id, f.version, p.case_study");
    s.bind(1, qint64(withJson));
    while (s.next()) {
        const QString cs = s.text(5);
        if (!caseStudies.isEmpty() && !caseStudies.contains(cs))
            continue;
        if (out.isEmpty() || out.last().formId != s.text(0) || out.last().version != s.text(1)) {
            PublishedFormRecord f;
            f.formId = s.text(0);
            f.version = s.text(1);
            f.title = s.text(2);
            f.sha256 = s.blob(3);
            f.published = s.time(4);
            f.json = s.blob(6);
            out.append(f);
        }
        out.last().caseStudies.append(cs);
    }
    return out;
}

std::optional<PublishedFormRecord> SqliteCollectorStore::publishedForm(const QString &formId, const QString &version,
                                                                      const QString &caseStudy)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT f.title, f.sha256, f.published_ms, f.json "
                           "FROM forms f JOIN form_publications p ON p.form_id = f.form_id AND p.version = f.version "
                           "WHERE f.form_id = ?1 AND f.version = ?2 AND p.case_study = ?3");
    s.bind(1, formId);
    s.bind(2, version);
    s.bind(3, caseStudy);
    if (!s.next())
        return std::nullopt;
    return PublishedFormRecord{formId, version, s.text(0), s.blob(3), s.blob(1), s.time(2), {caseStudy}};
}

// --- enrolment and devices -------------------------------------------------------------------

void SqliteCollectorStore::addEnrolmentCode(const EnrolmentCodeRecord &code)
{
    std::lock_guard lock(m_mutex);
    if (!missingCaseStudies({code.caseStudy}).isEmpty())
        throw CollectorError(CollectorError::Code::NotFound, QStringLiteral("unknown case study %1").arg(code.caseStudy));
    m_db->prepare("INSERT INTO enrolment_codes (code_hash, case_study, created_ms, expires_ms) VALUES (?1, ?2, ?3, ?4)")
        .bind(1, code.codeHash).bind(2, code.caseStudy).bindTime(3, code.created).bindTime(4, code.expires).run();
}

Enrolment SqliteCollectorStore::redeemEnrolmentCode(const QByteArray &codeHash, const QDateTime &now,
                                                    const QString &deviceId, const QByteArray &tokenHash,
                                                    const QString &label)
{
    std::lock_guard lock(m_mutex);
    beginWrite();
    try {
        auto s = m_db->prepare("SELECT case_study, expires_ms, used_ms FROM enrolment_codes WHERE code_hash = ?1");
        s.bind(1, codeHash);
        if (!s.next())
            throw CollectorError(CollectorError::Code::NotFound, QStringLiteral("unknown enrolment code"));
        const QString caseStudy = s.text(0);
        if (!s.isNull(2))
            throw CollectorError(CollectorError::Code::Used, QStringLiteral("enrolment code already used"));
        if (s.time(1) <= now)
            throw CollectorError(CollectorError::Code::Expired, QStringLiteral("enrolment code expired"));
        m_db->prepare("UPDATE enrolment_codes SET used_ms = ?2, device_id = ?3 WHERE code_hash = ?1")
            .bind(1, codeHash).bindTime(2, now).bind(3, deviceId).run();
        m_db->prepare("INSERT INTO devices (id, token_hash, label, enrolled_ms) VALUES (?1, ?2, ?3, ?4)")
            .bind(1, deviceId).bind(2, tokenHash).bind(3, label).bindTime(4, now).run();
        m_db->prepare("INSERT INTO device_case_studies (device_id, case_study) VALUES (?1, ?2)")
            .bind(1, deviceId).bind(2, caseStudy).run();
        Enrolment e;
        e.device.id = deviceId;
        e.device.label = label;
        e.device.enrolled = now;
        e.device.caseStudies = {caseStudy};
        auto cs = m_db->prepare("SELECT id, name, created_ms FROM case_studies WHERE id = ?1");
        if (cs.bind(1, caseStudy).next())
            e.caseStudies.append({cs.text(0), cs.text(1), cs.time(2)});
        commitWrite();
        return e;
    } catch (...) {
        rollbackWrite();
        throw;
    }
}

QStringList SqliteCollectorStore::deviceCaseStudies(const QString &id)
{
    QStringList out;
    auto s = m_db->prepare("SELECT case_study FROM device_case_studies WHERE device_id = ?1 ORDER BY case_study");
    s.bind(1, id);
    while (s.next())
        out.append(s.text(0));
    return out;
}

DeviceRecord SqliteCollectorStore::deviceFromRow(SqliteConnection::Statement &s)
{
    DeviceRecord d;
    d.id = s.text(0);
    d.label = s.text(1);
    d.enrolled = s.time(2);
    d.revoked = s.time(3);
    d.lastSeen = s.time(4);
    return d;
}

void SqliteCollectorStore::fillDeviceCounts(DeviceRecord *d)
{
    d->caseStudies = deviceCaseStudies(d->id);
    auto b = m_db->prepare("SELECT count(*), max(sequence), count(DISTINCT sequence), max(received_ms) FROM batches WHERE device_id = ?1");
    if (b.bind(1, d->id).next()) {
        d->batches = b.int64(0);
        d->lastSequence = quint64(b.int64(1));
        d->missingSequences = b.int64(1) - b.int64(2);
        d->lastBatch = b.time(3);
    }
    auto r = m_db->prepare("SELECT count(DISTINCT uuid) FROM response_versions WHERE device_id = ?1");
    d->responses = r.bind(1, d->id).next() ? r.int64(0) : 0;
    auto c = m_db->prepare("SELECT count(DISTINCT uuid) FROM contacts WHERE device_id = ?1");
    d->contacts = c.bind(1, d->id).next() ? c.int64(0) : 0;
}

std::optional<DeviceRecord> SqliteCollectorStore::deviceByTokenHash(const QByteArray &tokenHash)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT id, label, enrolled_ms, revoked_ms, last_seen_ms, token_hash FROM devices WHERE token_hash = ?1");
    if (!s.bind(1, tokenHash).next())
        return std::nullopt;
    // The index found it; compare the whole hash again in constant time all the same.
    const QByteArray stored = s.blob(5);
    if (stored.size() != tokenHash.size())
        return std::nullopt;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < stored.size(); ++i)
        diff |= static_cast<unsigned char>(stored[i] ^ tokenHash[i]);
    if (diff != 0)
        return std::nullopt;
    DeviceRecord d = deviceFromRow(s);
    d.caseStudies = deviceCaseStudies(d.id);
    return d;
}

std::optional<DeviceRecord> SqliteCollectorStore::device(const QString &id)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT id, label, enrolled_ms, revoked_ms, last_seen_ms FROM devices WHERE id = ?1");
    if (!s.bind(1, id).next())
        return std::nullopt;
    DeviceRecord d = deviceFromRow(s);
    fillDeviceCounts(&d);
    return d;
}

QList<DeviceRecord> SqliteCollectorStore::devices()
{
    std::lock_guard lock(m_mutex);
    QList<DeviceRecord> out;
    {
        auto s = m_db->prepare("SELECT id, label, enrolled_ms, revoked_ms, last_seen_ms FROM devices ORDER BY enrolled_ms, id");
        while (s.next())
            out.append(deviceFromRow(s));
    }
    for (DeviceRecord &d : out)
        fillDeviceCounts(&d);
    return out;
}

void SqliteCollectorStore::revokeDevice(const QString &id, const QDateTime &when)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT revoked_ms FROM devices WHERE id = ?1");
    if (!s.bind(1, id).next())
        throw CollectorError(CollectorError::Code::NotFound, QStringLiteral("unknown device %1").arg(id));
    if (!s.isNull(0))
        return; // already revoked: keep the first time
    m_db->prepare("UPDATE devices SET revoked_ms = ?2 WHERE id = ?1").bind(1, id).bindTime(2, when).run();
}

void SqliteCollectorStore::touchDevice(const QString &id, const QDateTime &when)
{
    std::lock_guard lock(m_mutex);
    m_db->prepare("UPDATE devices SET last_seen_ms = ?2 WHERE id = ?1").bind(1, id).bindTime(2, when).run();
}

// --- reading ---------------------------------------------------------------------------------

QList<ConflictRecord> SqliteCollectorStore::conflicts(const QString &caseStudy)
{
    std::lock_guard lock(m_mutex);
    QList<ConflictRecord> out;
    auto s = m_db->prepare(
        "SELECT c.id, c.kind, c.uuid, c.case_study, c.revision, c.differences, c.detected_ms, "
        "  ob.batch_uuid, ob.device_id, "
        "  CASE c.kind WHEN 'response' THEN (SELECT b.batch_uuid FROM response_versions v JOIN batches b ON b.id = v.batch_id WHERE v.id = c.kept_id) "
        "              ELSE (SELECT b.batch_uuid FROM contacts k JOIN batches b ON b.id = k.batch_id WHERE k.id = c.kept_id) END, "
        "  CASE c.kind WHEN 'response' THEN (SELECT b.device_id FROM response_versions v JOIN batches b ON b.id = v.batch_id WHERE v.id = c.kept_id) "
        "              ELSE (SELECT b.device_id FROM contacts k JOIN batches b ON b.id = k.batch_id WHERE k.id = c.kept_id) END "
        "FROM conflicts c JOIN batches ob ON ob.id = c.other_batch "
        "WHERE c.resolved_ms IS NULL AND (?1 IS NULL OR c.case_study = ?1) ORDER BY c.id");
    s.bindOptional(1, caseStudy);
    while (s.next()) {
        ConflictRecord c;
        c.id = s.int64(0);
        c.kind = s.text(1);
        c.uuid = s.text(2);
        c.caseStudy = s.text(3);
        c.revision = int(s.int64(4));
        c.differences = s.text(5).split(QLatin1Char(','), Qt::SkipEmptyParts);
        c.detected = s.time(6);
        c.otherBatch = s.text(7);
        c.otherDevice = s.text(8);
        c.keptBatch = s.text(9);
        c.keptDevice = s.text(10);
        out.append(c);
    }
    return out;
}

QList<CaseStudyCounts> SqliteCollectorStore::counts(const QString &deviceId)
{
    std::lock_guard lock(m_mutex);
    QList<CaseStudyCounts> out;
    {
        auto s = m_db->prepare("SELECT c.id, c.name FROM device_case_studies d JOIN case_studies c ON c.id = d.case_study "
                               "WHERE d.device_id = ?1 ORDER BY c.id");
        s.bind(1, deviceId);
        while (s.next()) {
            CaseStudyCounts c;
            c.id = s.text(0);
            c.name = s.text(1);
            out.append(c);
        }
    }
    for (CaseStudyCounts &c : out) {
        auto a = m_db->prepare("SELECT count(DISTINCT uuid) FROM response_versions WHERE device_id = ?1 AND case_study = ?2");
        c.responsesFromDevice = a.bind(1, deviceId).bind(2, c.id).next() ? a.int64(0) : 0;
        auto b = m_db->prepare("SELECT count(DISTINCT uuid) FROM contacts WHERE device_id = ?1 AND case_study = ?2");
        c.contactsFromDevice = b.bind(1, deviceId).bind(2, c.id).next() ? b.int64(0) : 0;
        auto t = m_db->prepare("SELECT count(*) FROM responses WHERE case_study = ?1");
        c.responsesTotal = t.bind(1, c.id).next() ? t.int64(0) : 0;
        auto k = m_db->prepare("SELECT count(*) FROM conflicts WHERE case_study = ?1 AND resolved_ms IS NULL");
        c.openConflicts = k.bind(1, c.id).next() ? k.int64(0) : 0;
    }
    return out;
}

QList<quint64> SqliteCollectorStore::sequences(const QString &deviceId)
{
    std::lock_guard lock(m_mutex);
    QList<quint64> out;
    auto s = m_db->prepare("SELECT DISTINCT sequence FROM batches WHERE device_id = ?1 ORDER BY sequence");
    s.bind(1, deviceId);
    while (s.next())
        out.append(quint64(s.int64(0)));
    return out;
}

qint64 SqliteCollectorStore::responseCount(const QString &caseStudy)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT count(*) FROM responses WHERE ?1 IS NULL OR case_study = ?1");
    return s.bindOptional(1, caseStudy).next() ? s.int64(0) : 0;
}

qint64 SqliteCollectorStore::contactCount(const QString &caseStudy)
{
    std::lock_guard lock(m_mutex);
    auto s = m_db->prepare("SELECT count(*) FROM contacts WHERE is_current = 1 AND (?1 IS NULL OR case_study = ?1)");
    return s.bindOptional(1, caseStudy).next() ? s.int64(0) : 0;
}

qint64 SqliteCollectorStore::batchCount()
{
    std::lock_guard lock(m_mutex);
    return m_db->scalar("SELECT count(*) FROM batches");
}

void SqliteCollectorStore::forEachResponse(const QString &caseStudy,
                                           const std::function<bool(const StoredResponse &)> &visit)
{
    // Its own connection and read transaction: a consistent snapshot (WAL) that neither
    // blocks nor waits for merges while an export streams.
    SqliteConnection reader(m_db->path());
    reader.exec("BEGIN");
    auto s = reader.prepare(
        "SELECT v.id, v.uuid, v.form_id, v.form_version, v.case_study, v.enumerator, v.device_id, v.status, "
        "  v.revision, v.started_ms, v.ended_ms, v.updated_ms, v.latitude, v.longitude, v.altitude, v.accuracy, "
        "  v.fix_ms, v.language, v.batch_id, r.versions, r.conflicted, v.answers, "
        "  v.language_switched, "
        "  v.started_offset_s "
        "FROM responses r JOIN response_versions v ON v.id = r.current_version "
        "WHERE ?1 IS NULL OR r.case_study = ?1 ORDER BY r.uuid");
    // Batches are few (500 responses each): looked up once each, not joined per row.
    auto batch = reader.prepare("SELECT batch_uuid, received_ms FROM batches WHERE id = ?1");
    struct BatchInfo
    {
        QString uuid;
        QDateTime received;
    };
    QHash<qint64, BatchInfo> batches;
    s.bindOptional(1, caseStudy);
    StringReuse repeats, names; // text that repeats from row to row: one QString, shared
    AnswerDictionaryCursor dictionaries(m_dictionaries, [&reader](const QString &id, const QString &v) {
        return formJson(reader, id, v);
    });
    while (s.next()) {
        StoredResponse r;
        ResponseMeta &m = r.meta;
        m.uuid = s.text(1);
        m.formId = s.text(2, &repeats);
        m.formVersion = s.text(3, &repeats);
        m.caseStudy = s.text(4, &repeats);
        m.enumerator = s.text(5, &repeats);
        m.deviceId = s.text(6, &repeats);
        responseStatusFromName(s.text(7, &repeats), &m.status);
        m.revision = int(s.int64(8));
        m.started = s.time(9);
        m.ended = s.time(10);
        m.updated = s.time(11);
        m.location = locationAt(s, 12);
        m.language = s.text(17, &repeats);
        m.synced = true;
        const qint64 batchId = s.int64(18);
        auto known = batches.constFind(batchId);
        if (known == batches.constEnd()) {
            batch.reset().bind(1, batchId);
            BatchInfo info;
            if (batch.next())
                info = {batch.text(0), batch.time(1)};
            known = batches.insert(batchId, info);
        }
        r.batchUuid = known->uuid;
        r.received = known->received;
        r.versions = int(s.int64(19));
        r.conflicted = s.int64(20) != 0;
        r.languageSwitched = s.int64(22) != 0;
        if (!s.isNull(23))
            m.startedUtcOffset = int(s.int64(23));
        answerpack::unpackStored(s.blobView(21), &r.answers, &names, m_db->path(), s.int64(0), m.uuid,
                                 dictionaries.find(m.formId, m.formVersion));
        if (!visit(r))
            break;
    }
    reader.exec("COMMIT");
}

void SqliteCollectorStore::forEachContact(const QString &caseStudy,
                                          const std::function<bool(const ContactEntry &)> &visit)
{
    SqliteConnection reader(m_db->path());
    reader.exec("BEGIN");
    auto s = reader.prepare(
        "SELECT uuid, case_study, enumerator, device_id, time_ms, latitude, longitude, altitude, accuracy, fix_ms, "
        "  disposition, age_band, gender, note FROM contacts "
        "WHERE is_current = 1 AND (?1 IS NULL OR case_study = ?1) ORDER BY uuid");
    s.bindOptional(1, caseStudy);
    StringReuse repeats; // as in forEachResponse
    while (s.next()) {
        ContactEntry e;
        e.uuid = s.text(0);
        e.caseStudy = s.text(1, &repeats);
        e.enumerator = s.text(2, &repeats);
        e.deviceId = s.text(3, &repeats);
        e.time = s.time(4);
        e.location = locationAt(s, 5);
        dispositionFromName(s.text(10, &repeats), &e.disposition);
        e.ageBand = s.text(11, &repeats);
        e.gender = s.text(12, &repeats);
        e.note = s.text(13);
        e.synced = true;
        if (!visit(e))
            break;
    }
    reader.exec("COMMIT");
}

// --- merge primitives ------------------------------------------------------------------------

void SqliteCollectorStore::beginWrite()
{
    m_db->exec("BEGIN IMMEDIATE");
}

void SqliteCollectorStore::commitWrite()
{
    m_db->exec("COMMIT");
}

void SqliteCollectorStore::rollbackWrite() noexcept
{
    try {
        m_db->exec("ROLLBACK");
    } catch (...) {
        // No transaction open (it was already rolled back): nothing to undo.
    }
}

std::optional<CollectorStore::LoggedBatch> SqliteCollectorStore::findBatch(const QString &batchUuid)
{
    auto s = m_db->prepare("SELECT b.id, b.device_id, a.ack FROM batches b JOIN batch_acks a ON a.batch_id = b.id WHERE b.batch_uuid = ?1");
    if (!s.bind(1, batchUuid).next())
        return std::nullopt;
    return LoggedBatch{s.int64(0), s.text(1), s.blob(2)};
}

QStringList SqliteCollectorStore::missingCaseStudies(const QSet<QString> &ids)
{
    QStringList missing;
    auto s = m_db->prepare("SELECT 1 FROM case_studies WHERE id = ?1");
    for (const QString &id : ids) {
        if (!s.reset().bind(1, id).next())
            missing.append(id);
    }
    missing.sort();
    return missing;
}

qint64 SqliteCollectorStore::appendBatch(const BatchHeader &h, const QByteArray &raw, const QString &source,
                                         const QDateTime &received, int responses, int contacts)
{
    m_db->prepare("INSERT INTO batches (batch_uuid, device_id, sequence, created_ms, app_version, source, received_ms, "
                  "responses, contacts, raw) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
        .bind(1, h.batchUuid).bind(2, h.deviceId).bind(3, qint64(h.sequence)).bindTime(4, h.created)
        .bind(5, h.appVersion).bind(6, source).bindTime(7, received)
        .bind(8, responses).bind(9, contacts).bind(10, raw.isNull() ? QByteArray("") : raw).run();
    return m_db->lastInsertId();
}

void SqliteCollectorStore::storeAck(qint64 batchId, const QByteArray &ack)
{
    m_db->prepare("INSERT INTO batch_acks (batch_id, ack) VALUES (?1, ?2)")
        .bind(1, batchId).bind(2, ack.isNull() ? QByteArray("") : ack).run();
}

QList<CollectorStore::VersionRef> SqliteCollectorStore::responseVersions(const QString &uuid)
{
    QList<VersionRef> out;
    auto s = m_db->prepare("SELECT v.id, v.revision, v.content_hash, v.id = r.current_version, r.case_study "
                           "FROM response_versions v JOIN responses r ON r.uuid = v.uuid WHERE v.uuid = ?1 ORDER BY v.id");
    s.bindsAll().bind(1, uuid);
    while (s.next())
        out.append({s.int64(0), int(s.int64(1)), s.blob(2), s.int64(3) != 0, s.text(4)});
    m_newUuid = out.isEmpty() ? uuid : QString();
    return out;
}

qint64 SqliteCollectorStore::insertResponseVersion(const IncomingResponse &r, qint64 batchId)
{
    const ResponseMeta &m = r.meta;
    auto s = m_db->prepare(
        "INSERT INTO response_versions (uuid, revision, content_hash, batch_id, form_id, form_version, case_study, "
        "enumerator, device_id, status, started_ms, ended_ms, updated_ms, latitude, longitude, altitude, accuracy, "
        "fix_ms, language, answers, started_offset_s, paradata, changes, language_switched) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)");
    s.bindsAll().bind(1, m.uuid).bind(2, m.revision).bind(3, r.contentHash).bind(4, batchId).bind(5, m.formId)
        .bind(6, m.formVersion).bind(7, m.caseStudy).bind(8, m.enumerator)
        .bind(9, m.deviceId).bind(10, responseStatusName(m.status)).bindTime(11, m.started).bindTime(12, m.ended)
        .bindTime(13, m.updated);
    bindLocation(s, 14, m.location);
    const AnswerDictionary *dictionary = m_mergeDictionaries.find(m.formId, m.formVersion);
    s.bind(19, m.language).bind(20, answerpack::pack(r.answers, dictionary));
    if (m.startedUtcOffset)
        s.bind(21, qint64(*m.startedUtcOffset));
    else
        s.bindNull(21);
    if (r.paradata.isEmpty())
        s.bindNull(22);
    else
        s.bind(22, paradatapack::pack(r.paradata, dictionary, m.started));
    s.bind(23, paradatapack::changes(r.paradata)).bind(24, int(paradatapack::languageSwitched(r.paradata)));
    s.run();
    const qint64 id = m_db->lastInsertId();
    // Counts versions of a UUID already held (no row yet for a new one: insertResponse sets 1,
    // so the update is skipped when the lookup just before found none).
    const bool isNew = !m_newUuid.isNull() && m_newUuid == m.uuid;
    m_newUuid = QString();
    if (!isNew)
        m_db->prepare("UPDATE responses SET versions = versions + 1 WHERE uuid = ?1").bind(1, m.uuid).run();
    return id;
}

void SqliteCollectorStore::insertResponse(const QString &uuid, const QString &caseStudy, qint64 versionId)
{
    m_db->prepare("INSERT INTO responses (uuid, case_study, current_version, versions, conflicted) VALUES (?1, ?2, ?3, 1, 0)")
        .bindsAll().bind(1, uuid).bind(2, caseStudy).bind(3, versionId).run();
}

void SqliteCollectorStore::setCurrentVersion(const QString &uuid, qint64 versionId)
{
    m_db->prepare("UPDATE responses SET current_version = ?2 WHERE uuid = ?1").bind(1, uuid).bind(2, versionId).run();
}

QList<TypedAnswer> SqliteCollectorStore::versionAnswers(qint64 versionId)
{
    QList<TypedAnswer> out;
    auto a = m_db->prepare("SELECT answers, form_id, form_version FROM response_versions WHERE id = ?1");
    if (a.bind(1, versionId).next())
        answerpack::unpackStored(a.blobView(0), &out, nullptr, m_db->path(), versionId, {},
                                 m_mergeDictionaries.find(a.text(1), a.text(2)));
    return out;
}

void SqliteCollectorStore::forEachParadata(qint64 from, qint64 to,
                                           const std::function<void(qint64, const QList<ParadataEvent> &)> &visit)
{
    AnswerDictionaryCursor dictionaries(m_dictionaries, [this](const QString &id, const QString &v) {
        return formJson(*m_db, id, v);
    });
    auto s = m_db->prepare("SELECT id, paradata, form_id, form_version, started_ms FROM response_versions"
                           " WHERE id BETWEEN ?1 AND ?2 AND paradata IS NOT NULL ORDER BY id");
    s.bind(1, from).bind(2, to);
    QList<ParadataEvent> events;
    while (s.next()) {
        events.clear();
        const QDateTime started = s.isNull(4) ? QDateTime() : QDateTime::fromMSecsSinceEpoch(s.int64(4), Qt::UTC);
        paradatapack::unpackStored(s.blobView(1), &events, m_db->path(), s.int64(0),
                                   dictionaries.find(s.text(2), s.text(3)), started);
        visit(s.int64(0), events);
    }
}

QList<CollectorStore::VersionRef> SqliteCollectorStore::contactVersions(const QString &uuid)
{
    QList<VersionRef> out;
    auto s = m_db->prepare("SELECT id, content_hash, is_current, case_study FROM contacts WHERE uuid = ?1 ORDER BY id");
    s.bind(1, uuid);
    while (s.next())
        out.append({s.int64(0), 0, s.blob(1), s.int64(2) != 0, s.text(3)});
    return out;
}

qint64 SqliteCollectorStore::insertContact(const IncomingContact &c, qint64 batchId, bool current)
{
    const ContactEntry &e = c.entry;
    auto s = m_db->prepare(
        "INSERT INTO contacts (uuid, is_current, content_hash, batch_id, case_study, enumerator, device_id, time_ms, "
        "latitude, longitude, altitude, accuracy, fix_ms, disposition, age_band, gender, note) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)");
    s.bind(1, e.uuid).bind(2, qint64(current)).bind(3, c.contentHash).bind(4, batchId).bind(5, e.caseStudy)
        .bind(6, e.enumerator).bind(7, e.deviceId).bindTime(8, e.time);
    bindLocation(s, 9, e.location);
    s.bind(14, dispositionName(e.disposition)).bind(15, e.ageBand).bind(16, e.gender)
        .bind(17, e.note).run();
    return m_db->lastInsertId();
}

void SqliteCollectorStore::recordConflict(const ConflictRow &c)
{
    m_db->prepare("INSERT INTO conflicts (kind, uuid, case_study, revision, kept_id, other_id, other_batch, differences, detected_ms) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
        .bind(1, c.kind).bind(2, c.uuid).bind(3, c.caseStudy).bind(4, c.revision).bind(5, c.keptId)
        .bind(6, c.otherId).bind(7, c.otherBatch).bind(8, c.differences.join(QLatin1Char(',')))
        .bindTime(9, c.detected).run();
    if (c.kind == QLatin1String("response"))
        m_db->prepare("UPDATE responses SET conflicted = 1 WHERE uuid = ?1").bind(1, c.uuid).run();
}

} // namespace kerbside

namespace kerbside {

// --- the dashboard's primitives (dashboardstore.cpp) ------------------------------------------

namespace {

void bindVariant(SqliteConnection::Statement &s, int index, const QVariant &v)
{
    if (v.isNull())
        s.bindNull(index);
    else if (v.typeId() == QMetaType::LongLong || v.typeId() == QMetaType::Int || v.typeId() == QMetaType::Bool)
        s.bind(index, v.toLongLong());
    else if (v.typeId() == QMetaType::Double)
        s.bind(index, v.toDouble());
    else
        s.bind(index, v.toString());
}

} // namespace

const char *SqliteCollectorStore::sqliteText(const char *sql)
{
    // The portable SQL numbers parameters $1..$n; SQLite's own numbered form is ?1..?n.
    auto it = m_sqlText.find(sql);
    if (it == m_sqlText.end()) {
        QByteArray text(sql);
        for (qsizetype i = 0; i + 1 < text.size(); ++i) {
            if (text[i] == '$' && text[i + 1] >= '0' && text[i + 1] <= '9')
                text[i] = '?';
        }
        it = m_sqlText.emplace(sql, text).first;
    }
    return it->second.constData();
}

QList<QStringList> SqliteCollectorStore::sqlRows(const char *sql, const QVariantList &params, int columns)
{
    auto s = m_db->prepare(sqliteText(sql));
    for (int i = 0; i < params.size(); ++i)
        bindVariant(s, i + 1, params[i]);
    QList<QStringList> out;
    while (s.next()) {
        QStringList row;
        row.reserve(columns);
        for (int c = 0; c < columns; ++c)
            row.append(s.isNull(c) ? QString() : s.text(c));
        out.append(row);
    }
    return out;
}

qint64 SqliteCollectorStore::sqlExec(const char *sql, const QVariantList &params)
{
    sqlRows(sql, params, 0);
    return m_db->changes();
}

// The counter flushes' hundreds of rows per merge: one statement looked up, bound and run per
// row, with no result list built for each.
qint64 SqliteCollectorStore::sqlExecMany(const char *sql, const QList<QVariantList> &rows)
{
    if (rows.isEmpty())
        return 0;
    auto s = m_db->prepare(sqliteText(sql));
    s.bindsAll(); // each row binds every parameter of the literal (the same number each)
    qint64 changed = 0;
    for (const QVariantList &row : rows) {
        for (int i = 0; i < row.size(); ++i)
            bindVariant(s, i + 1, row[i]);
        s.run();
        changed += m_db->changes();
    }
    return changed;
}

} // namespace kerbside
