// SPDX-License-Identifier: Apache-2.0
#include "syncengine.h"

#include "fieldworkstate.h"

#include "batchcodec.h"
#include "batchfile.h"
#include "formdirectory.h"
#include "kerbside/v1/sync.pb.h"
#include "store/devicestore.h"
#include "synchttp.h"
#include "syncsettings.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <climits>

namespace kerbside {

namespace {

QString text(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

QByteArray bytes(const std::string &s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}

template<typename Message>
bool parse(Message &m, const QByteArray &body)
{
    return m.ParseFromArray(body.constData(), int(body.size()));
}

QByteArray serialise(const google::protobuf::MessageLite &m)
{
    std::string out;
    m.SerializeToString(&out);
    return bytes(out);
}

// The collector's words for a refused request, without trusting it to be short or printable.
QString refusal(const SyncHttp::Reply &reply)
{
    QString words = reply.errorText();
    if (words.size() > 300)
        words = words.left(300) + QStringLiteral("...");
    return words;
}

// 401 (unknown token) and 403 "revoked": this tablet must be enrolled again.
void throwIfNotAccepted(const SyncHttp::Reply &reply)
{
    if (reply.status == 401 || (reply.status == 403 && reply.errorKind == QLatin1String("revoked")))
        throw SyncError(SyncError::Code::Unauthorised,
                        QStringLiteral("the collector no longer accepts this tablet (%1); "
                                       "ask the coordinator for a new enrolment code")
                            .arg(refusal(reply)));
}

} // namespace

/** The batch being sent: its bytes as persisted, and what it carries. */
struct SyncEngine::Pending
{
    QString batchUuid;
    QString deviceId;
    quint64 sequence = 0;
    QByteArray bytes;
    QList<QPair<QString, int>> responses; // (uuid, revision), in batch order
    QStringList contacts;
    int items() const { return int(responses.size() + contacts.size()); }
};

/** The state of one call: the store connection, the HTTP connection and the report. */
struct SyncEngine::Run
{
    std::unique_ptr<DeviceStore> store;
    std::unique_ptr<SyncHttp> http;
    QString deviceId;
    SyncReport report;
    QSet<QString> skipResponses; // rejected in this run: not re-sent until the next sync
    QSet<QString> skipContacts;
    QSet<QString> caseStudies; // the device's, from enrolment; empty: not known, no filter
    QSet<QString> acked;       // "uuid#revision" acknowledged in this run: never sent twice
    int total = 0;
    int done = 0;
};

SyncEngine::SyncEngine(const QString &storePath, SyncOptions options)
    : m_storePath(storePath), m_options(std::move(options))
{
    if (m_options.maxBatchResponses < 1)
        m_options.maxBatchResponses = 1;
    if (!m_options.formsDir.isEmpty())
        m_forms = std::make_unique<FormDirectory>(m_options.formsDir);
}

SyncEngine::~SyncEngine() = default;

QByteArray SyncEngine::encodeNext(DeviceStore &store, const QString &deviceId, const QString &batchUuid,
                                  const OutboxBatch &batch, quint64 *sequence) const
{
    // The sequence number is persisted first: a crash before the batch is saved leaves a gap,
    // which the collector tolerates, never a reused number.
    BatchHeader header;
    header.batchUuid = batchUuid;
    header.deviceId = deviceId;
    header.sequence = store.setting(syncsettings::sequence, QStringLiteral("0")).toULongLong() + 1;
    store.setSetting(syncsettings::sequence, QString::number(header.sequence));
    header.created = QDateTime::currentDateTimeUtc();
    header.appVersion = m_options.appVersion;
    BatchCodec::TypeLookup types;
    if (m_forms) {
        QList<const Form *> forms;
        for (const auto &f : m_forms->forms())
            forms.append(f.get());
        types = BatchCodec::typesFrom(forms);
    }
    *sequence = header.sequence;
    return BatchCodec::encode(header, batch, types);
}

std::unique_ptr<DeviceStore> SyncEngine::openStore() const
{
    return DeviceStore::open(m_storePath);
}

void SyncEngine::cancel()
{
    m_cancelled = true;
    std::lock_guard lock(m_mutex);
    if (m_active)
        m_active->abort();
}

void SyncEngine::report(SyncProgress::Phase phase, int done, int total, const QString &message)
{
    if (m_progress)
        m_progress(SyncProgress{phase, done, total, message});
}

bool SyncEngine::isEnrolled() const
{
    const auto store = openStore();
    return !store->setting(syncsettings::deviceToken).isEmpty()
        && !store->setting(syncsettings::collectorUrl).isEmpty();
}

std::unique_ptr<SyncHttp> SyncEngine::connect(DeviceStore &store, bool needToken)
{
    const QString url = store.setting(syncsettings::collectorUrl);
    const QString token = store.setting(syncsettings::deviceToken);
    if (needToken && (url.isEmpty() || token.isEmpty()))
        throw SyncError(SyncError::Code::NotEnrolled,
                        QStringLiteral("this tablet is not enrolled with a collector yet"));
    auto http = std::make_unique<SyncHttp>(url, m_options);
    http->setToken(token);
    return http;
}

// Enrolment -------------------------------------------------------------------------------------

EnrolResult SyncEngine::enrol(const QString &collectorUrl, const QString &code)
{
    m_cancelled = false;
    auto store = openStore();
    SyncHttp http(collectorUrl, m_options);
    {
        std::lock_guard lock(m_mutex);
        m_active = &http;
    }
    struct Clear { SyncEngine *e; ~Clear() { std::lock_guard lock(e->m_mutex); e->m_active = nullptr; } } clear{this};
    if (m_cancelled)
        http.abort();

    v1::EnrolRequest request;
    request.set_format(syncformat::kFormatVersion);
    request.set_code(code.trimmed().toStdString());
    request.set_device_label(m_options.deviceLabel.toStdString());
    request.set_app_version(m_options.appVersion.toStdString());
    report(SyncProgress::Phase::Connecting, 0, 1, QStringLiteral("Enrolling"));
    const SyncHttp::Reply reply = http.post(QStringLiteral("/v1/enrol"), serialise(request));
    if (reply.status != 200)
        throw SyncError(reply.status == 401 ? SyncError::Code::Unauthorised : SyncError::Code::Refused,
                        QStringLiteral("the collector refused the enrolment code: %1").arg(refusal(reply)), reply.status);
    v1::EnrolResponse response;
    if (!parse(response, reply.body) || response.format() != syncformat::kFormatVersion
        || response.device_id().empty() || response.token().empty())
        throw SyncError(SyncError::Code::Protocol,
                        QStringLiteral("the collector's enrolment answer is not one this app understands"));

    EnrolResult result;
    result.deviceId = text(response.device_id());
    QJsonArray caseStudies;
    for (const v1::CaseStudy &c : response.case_studies()) {
        result.caseStudies.append({text(c.id()), text(c.name())});
        caseStudies.append(QJsonObject{{QStringLiteral("id"), text(c.id())},
                                       {QStringLiteral("name"), text(c.name())}});
    }
    // A new identity starts a new sequence. A batch pending for the old identity is dropped:
    // it is only a copy of outbox items, which stay unsynced and go in the next batch.
    if (store->setting(syncsettings::deviceId) != result.deviceId
        || store->setting(syncsettings::collectorUrl) != collectorUrl.trimmed()) {
        store->setSetting(syncsettings::pendingBatch, {});
        store->setSetting(syncsettings::sequence, QStringLiteral("0"));
    }
    store->setSetting(syncsettings::collectorUrl, collectorUrl.trimmed());
    store->setSetting(syncsettings::deviceId, result.deviceId);
    store->setSetting(syncsettings::deviceToken, text(response.token()));
    store->setSetting(syncsettings::caseStudies,
                      QString::fromUtf8(QJsonDocument(caseStudies).toJson(QJsonDocument::Compact)));
    report(SyncProgress::Phase::Finished, 1, 1, QStringLiteral("Enrolled"));
    return result;
}

// Status ----------------------------------------------------------------------------------------

CollectorStatus SyncEngine::status()
{
    m_cancelled = false;
    auto store = openStore();
    auto http = connect(*store, true);
    const SyncHttp::Reply reply = http->get(QStringLiteral("/v1/status"));
    throwIfNotAccepted(reply);
    if (reply.status != 200)
        throw SyncError(reply.status == 401 ? SyncError::Code::Unauthorised : SyncError::Code::Refused,
                        QStringLiteral("the collector refused the status request: %1").arg(refusal(reply)), reply.status);
    v1::StatusSummary s;
    if (!parse(s, reply.body) || s.format() != syncformat::kFormatVersion)
        throw SyncError(SyncError::Code::Protocol, QStringLiteral("the collector's status is not readable"));
    CollectorStatus out;
    out.deviceId = text(s.device_id());
    out.batches = s.batches();
    out.lastSequence = s.last_sequence();
    for (quint64 m : s.missing_sequences())
        out.missingSequences.append(m);
    for (const v1::CaseStudyStatus &c : s.case_studies())
        out.caseStudies.append({text(c.id()), text(c.name()), c.responses_from_device(),
                                c.contacts_from_device(), c.responses_total(), c.open_conflicts()});
    return out;
}

// After the batches: what is still held (refused, held back, reopened) is reported, and the
// collector counts each one until it is merged. A collector that does not take reports (older,
// or refusing one) or a link that drops now is no reason to fail a sync whose batches went
// through; a revoked token or a cancel still ends it.
void SyncEngine::sendStatusReport(Run &run)
{
    v1::StatusRequest request;
    request.set_format(syncformat::kFormatVersion);
    for (const UnsyncedCell &u : unsyncedCompletes(*run.store)) {
        if (!run.caseStudies.contains(u.caseStudy))
            continue; // held back from the batches too; the collector would refuse the report
        v1::UnsyncedComplete *out = request.add_unsynced();
        QByteArray bytes;
        if (BatchCodec::uuidToWire(u.uuid, &bytes))
            out->set_uuid(bytes.toStdString());
        else
            out->set_uuid_text(u.uuid.toStdString());
        out->set_case_study(u.caseStudy.toStdString());
        out->set_cell(u.cell.toStdString());
    }
    try {
        const SyncHttp::Reply reply = run.http->post(QStringLiteral("/v1/status"),
                                                     QByteArray::fromStdString(request.SerializeAsString()));
        throwIfNotAccepted(reply);
    } catch (const SyncError &e) {
        if (e.code() != SyncError::Code::Network)
            throw;
    }
}

// Sync ------------------------------------------------------------------------------------------

SyncReport SyncEngine::syncNow()
{
    m_cancelled = false;
    Run run;
    try {
        run.store = openStore();
        run.deviceId = run.store->setting(syncsettings::deviceId);
        const QJsonArray enrolledIn = QJsonDocument::fromJson(
            run.store->setting(syncsettings::caseStudies).toUtf8()).array();
        for (const QJsonValue &c : enrolledIn)
            run.caseStudies.insert(c.toObject().value(QStringLiteral("id")).toString());
        run.http = connect(*run.store, true);
        {
            std::lock_guard lock(m_mutex);
            m_active = run.http.get();
        }
        if (m_cancelled)
            run.http->abort();
        report(SyncProgress::Phase::Connecting, 0, 0, QStringLiteral("Connecting to the collector"));
        upload(run);
        sendStatusReport(run);
        downloadForms(run);
        if (run.report.batches == 0 && run.report.formsDownloaded.isEmpty() && run.report.rejections.isEmpty())
            run.report.result = SyncReport::Result::NothingToDo;
    } catch (const SyncError &e) {
        run.report.fail(e);
    } catch (const std::exception &e) { // StoreError, ProtocolError
        run.report.fail(e);
    }
    {
        std::lock_guard lock(m_mutex);
        m_active = nullptr;
    }
    if (run.http)
        run.report.retries = run.http->retries();
    try {
        if (run.store) {
            run.report.waiting = run.store->counts().waiting;
            run.store->setSetting(syncsettings::lastSyncMs, QString::number(QDateTime::currentMSecsSinceEpoch()));
            run.store->setSetting(syncsettings::lastSyncSummary, run.report.summary());
        }
    } catch (const std::exception &) {
        // The report itself still tells the fieldworker what happened.
    }
    report(SyncProgress::Phase::Finished, run.done, run.total, run.report.summary());
    return run.report;
}

std::unique_ptr<SyncEngine::Pending> SyncEngine::loadPending(Run &run)
{
    const QString stored = run.store->setting(syncsettings::pendingBatch);
    if (stored.isEmpty())
        return nullptr;
    auto p = std::make_unique<Pending>();
    p->bytes = QByteArray::fromBase64(stored.toLatin1());
    try {
        const IncomingBatch batch = BatchCodec::decode(p->bytes);
        p->batchUuid = batch.header.batchUuid;
        p->deviceId = batch.header.deviceId;
        p->sequence = batch.header.sequence;
        for (const IncomingResponse &r : batch.responses)
            p->responses.append({r.meta.uuid, r.meta.revision});
        for (const IncomingContact &c : batch.contacts)
            p->contacts.append(c.entry.uuid);
    } catch (const ProtocolError &) {
        // Unreadable (cannot happen short of a damaged store): its items are still in the
        // outbox, so dropping this copy loses nothing.
        run.store->setSetting(syncsettings::pendingBatch, {});
        return nullptr;
    }
    if (p->deviceId != run.deviceId) {
        run.store->setSetting(syncsettings::pendingBatch, {}); // from before a re-enrolment
        return nullptr;
    }
    return p;
}

std::unique_ptr<SyncEngine::Pending> SyncEngine::buildPending(Run &run)
{
    const int max = m_options.maxBatchResponses;
    // The collector refuses a whole batch holding an item of a case study the device is not
    // enrolled in, so such items are held back here (and reported) rather than block the rest.
    const auto enrolled = [&](const QString &caseStudy, const QString &kind, const QString &uuid) {
        if (run.caseStudies.isEmpty() || run.caseStudies.contains(caseStudy))
            return true;
        ++run.report.rejected;
        run.report.rejections.append({kind, uuid,
                                      QStringLiteral("case study %1 is not one this tablet is enrolled in; "
                                                     "kept on the tablet").arg(caseStudy)});
        return false;
    };
    OutboxBatch outbox = run.store->outbox(max + int(run.skipResponses.size() + run.acked.size()));
    OutboxBatch batch;
    for (qsizetype i = 0; i < outbox.responses.size() && batch.responses.size() < max; ++i) {
        const ResponseMeta &meta = outbox.responses[i].meta;
        // (An acknowledged item the store did not mark would otherwise be sent in a loop.)
        if (run.skipResponses.contains(meta.uuid)
            || run.acked.contains(meta.uuid + QLatin1Char('#') + QString::number(meta.revision)))
            continue;
        if (!enrolled(meta.caseStudy, QStringLiteral("response"), meta.uuid)) {
            run.skipResponses.insert(meta.uuid);
            continue;
        }
        batch.responses.append(outbox.responses[i]);
        batch.paradata.append(outbox.paradata.value(i));
    }
    for (const ContactEntry &c : std::as_const(outbox.contacts)) {
        if (run.skipContacts.contains(c.uuid) || run.acked.contains(c.uuid) || batch.contacts.size() >= max)
            continue;
        if (!enrolled(c.caseStudy, QStringLiteral("contact"), c.uuid)) {
            run.skipContacts.insert(c.uuid);
            continue;
        }
        batch.contacts.append(c);
    }
    if (batch.responses.isEmpty() && batch.contacts.isEmpty())
        return nullptr;

    auto p = std::make_unique<Pending>();
    p->batchUuid = BatchCodec::newUuid();
    p->deviceId = run.deviceId;
    p->bytes = encodeNext(*run.store, p->deviceId, p->batchUuid, batch, &p->sequence);
    for (const Response &r : std::as_const(batch.responses))
        p->responses.append({r.meta.uuid, r.meta.revision});
    for (const ContactEntry &c : std::as_const(batch.contacts))
        p->contacts.append(c.uuid);
    // Persisted before the first attempt: see syncsettings::pendingBatch.
    run.store->setSetting(syncsettings::pendingBatch, QString::fromLatin1(p->bytes.toBase64()));
    return p;
}

void SyncEngine::upload(Run &run)
{
    run.total = run.store->counts().waiting;
    report(SyncProgress::Phase::Uploading, 0, run.total);
    const auto onRetry = [&](int attempt, std::chrono::milliseconds wait, const QString &why) {
        report(SyncProgress::Phase::Retrying, run.done, run.total,
               QStringLiteral("%1; trying again in %2 s (attempt %3 of %4)")
                   .arg(why)
                   .arg(double(wait.count()) / 1000.0, 0, 'f', 1)
                   .arg(attempt + 1)
                   .arg(m_options.maxAttempts));
    };
    for (;;) {
        if (m_cancelled)
            throw SyncError(SyncError::Code::Cancelled, QStringLiteral("sync cancelled"));
        std::unique_ptr<Pending> pending = loadPending(run);
        if (!pending)
            pending = buildPending(run);
        if (!pending)
            return; // the outbox is empty (but for items rejected in this run)
        run.total = std::max(run.total, run.done + pending->items());
        const SyncHttp::Reply reply = run.http->post(QStringLiteral("/v1/batches"), pending->bytes, onRetry);
        if (reply.status == 200) {
            applyAck(run, *pending, reply.body, run.report);
            run.done += pending->items();
            report(SyncProgress::Phase::Uploading, run.done, run.total);
            continue;
        }
        throwIfNotAccepted(reply);
        if (reply.status == 400 || reply.status == 403 || reply.status == 413 || reply.status == 422) {
            // The collector refused the batch itself and stored none of it, so this copy can
            // go; its items stay in the outbox, and the reason is reported.
            run.store->setSetting(syncsettings::pendingBatch, {});
            throw SyncError(SyncError::Code::Refused,
                            QStringLiteral("the collector refused a batch of %1 items (HTTP %2): %3")
                                .arg(pending->items())
                                .arg(reply.status)
                                .arg(refusal(reply)), reply.status);
        }
        throw SyncError(SyncError::Code::Refused,
                        QStringLiteral("the collector answered HTTP %1: %2").arg(reply.status).arg(refusal(reply)),
                        reply.status);
    }
}

void SyncEngine::applyAck(Run &run, const Pending &pending, const QByteArray &ackBytes, SyncReport &report)
{
    v1::BatchAck ack;
    const auto fail = [&](const QString &what) {
        // Kept pending: nothing is marked from an answer we cannot trust.
        throw SyncError(SyncError::Code::Protocol,
                        QStringLiteral("the collector's acknowledgement of batch %1 is unusable: %2")
                            .arg(pending.batchUuid, what));
    };
    if (!parse(ack, ackBytes))
        fail(QStringLiteral("not a BatchAck"));
    if (ack.format() != syncformat::kFormatVersion)
        fail(QStringLiteral("format version %1").arg(ack.format()));
    if (BatchCodec::uuidFromWire(bytes(ack.batch_uuid()), {}) != pending.batchUuid)
        fail(QStringLiteral("it names another batch"));
    if (ack.responses_size() != pending.responses.size() || ack.contacts_size() != pending.contacts.size())
        fail(QStringLiteral("%1 responses and %2 contacts acknowledged, %3 and %4 sent")
                 .arg(ack.responses_size()).arg(ack.contacts_size())
                 .arg(pending.responses.size()).arg(pending.contacts.size()));

    QMap<QString, int> held;
    QStringList heldContacts;
    const auto count = [&](const v1::ItemAck &a, const QString &kind, const QString &uuid) {
        switch (a.outcome()) {
        case v1::OUTCOME_ACCEPTED: ++report.accepted; return true;
        case v1::OUTCOME_DUPLICATE: ++report.duplicates; return true;
        case v1::OUTCOME_CONFLICT: ++report.conflicts; return true;
        default: // REJECTED, or an outcome this app does not know: not held, stays in the outbox
            ++report.rejected;
            report.rejections.append({kind, uuid, a.reason().empty() ? QStringLiteral("no reason given")
                                                                     : text(a.reason())});
            return false;
        }
    };
    for (int i = 0; i < ack.responses_size(); ++i) {
        const v1::ItemAck &a = ack.responses(i);
        const auto &[uuid, revision] = pending.responses[i];
        if (BatchCodec::uuidFromWire(bytes(a.uuid()), text(a.uuid_text())) != uuid)
            fail(QStringLiteral("response %1 is acknowledged out of order").arg(i));
        if (a.revision() != 0 && int(a.revision()) != revision)
            fail(QStringLiteral("response %1 acknowledged at revision %2, sent at %3").arg(uuid).arg(a.revision()).arg(revision));
        if (count(a, QStringLiteral("response"), uuid)) {
            held.insert(uuid, revision);
            run.acked.insert(uuid + QLatin1Char('#') + QString::number(revision));
        }
        else
            run.skipResponses.insert(uuid);
    }
    for (int i = 0; i < ack.contacts_size(); ++i) {
        const v1::ItemAck &a = ack.contacts(i);
        const QString &uuid = pending.contacts[i];
        if (BatchCodec::uuidFromWire(bytes(a.uuid()), text(a.uuid_text())) != uuid)
            fail(QStringLiteral("contact %1 is acknowledged out of order").arg(i));
        if (count(a, QStringLiteral("contact"), uuid)) {
            heldContacts.append(uuid);
            run.acked.insert(uuid);
        }
        else
            run.skipContacts.insert(uuid);
    }
    // Marked by revision: a response reopened since it was batched stays in the outbox.
    run.store->acknowledgeRevisions(held, heldContacts);
    rememberQuotaCounts(*run.store, ack); // the collector's quota counts as of this sync
    // Only now may the batch go; a crash before this line re-sends it and gets the same ack.
    run.store->setSetting(syncsettings::pendingBatch, {});
    ++report.batches;
    report.sent += pending.items();
}

void SyncEngine::downloadForms(Run &run)
{
    if (!m_forms)
        return;
    report(SyncProgress::Phase::Downloading, 0, 0, QStringLiteral("Checking for new forms"));
    const SyncHttp::Reply reply = run.http->get(QStringLiteral("/v1/forms"));
    throwIfNotAccepted(reply);
    if (reply.status != 200)
        throw SyncError(SyncError::Code::Refused,
                        QStringLiteral("the collector refused the form list (HTTP %1): %2")
                            .arg(reply.status).arg(refusal(reply)), reply.status);
    v1::FormManifest manifest;
    if (!parse(manifest, reply.body) || manifest.format() != syncformat::kFormatVersion)
        throw SyncError(SyncError::Code::Protocol, QStringLiteral("the collector's form list is not readable"));
    rememberFieldworkPlans(*run.store, manifest, QDateTime::currentDateTimeUtc()); // quotas and area (i12)
    int done = 0;
    for (const v1::PublishedForm &f : manifest.forms()) {
        const QString id = text(f.id());
        const QString version = text(f.version());
        if (m_forms->has(id, version)) {
            ++done;
            continue;
        }
        QByteArray json = bytes(f.json());
        QByteArray sha = bytes(f.sha256());
        if (json.isEmpty() && FormDirectory::isSafeName(id) && FormDirectory::isSafeName(version)) {
            // A manifest without bodies: fetch this version on its own.
            const SyncHttp::Reply one = run.http->get(QStringLiteral("/v1/forms/%1/%2").arg(id, version));
            v1::PublishedForm full;
            if (one.status == 200 && parse(full, one.body)) {
                json = bytes(full.json());
                sha = bytes(full.sha256());
            }
        }
        const QString problem = m_forms->save(id, version, json, sha);
        if (problem.isEmpty())
            run.report.formsDownloaded.append(id + QLatin1Char(' ') + version);
        else
            run.report.formProblems.append(problem);
        report(SyncProgress::Phase::Downloading, ++done, manifest.forms_size());
    }
}

// USB -------------------------------------------------------------------------------------------

SyncReport SyncEngine::writeBatchFile(const QString &path)
{
    SyncReport out;
    try {
        auto store = openStore();
        const QString deviceId = store->setting(syncsettings::deviceId);
        if (deviceId.isEmpty())
            throw SyncError(SyncError::Code::NotEnrolled,
                            QStringLiteral("this tablet has no device id yet; enrol it first"));
        const OutboxBatch outbox = store->outbox(INT_MAX);
        if (outbox.responses.isEmpty() && outbox.contacts.isEmpty()) {
            out.result = SyncReport::Result::NothingToDo;
            return out;
        }
        quint64 sequence = 0;
        const QByteArray bytes = encodeNext(*store, deviceId, BatchCodec::newUuid(), outbox, &sequence);
        QString error;
        if (!BatchFile::write(path, bytes, deviceId, &error))
            throw SyncError(SyncError::Code::FileWrite, QStringLiteral("cannot write the batch file: %1").arg(error));
        out.batches = 1;
        out.sent = int(outbox.responses.size() + outbox.contacts.size());
        out.waiting = store->counts().waiting;
    } catch (const SyncError &e) {
        out.fail(e);
    } catch (const std::exception &e) {
        out.fail(e);
    }
    return out;
}

SyncReport SyncEngine::applyAcknowledgementFile(const QString &path)
{
    SyncReport out;
    try {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            throw SyncError(SyncError::Code::FileRead,
                            QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
        v1::BatchAck ack;
        if (!parse(ack, file.readAll()) || ack.format() != syncformat::kFormatVersion)
            throw SyncError(SyncError::Code::FileRead,
                            QStringLiteral("%1 is not a Kerbside acknowledgement file").arg(path));
        auto store = openStore();
        QMap<QString, int> held;
        QStringList heldContacts;
        const auto isHeld = [&](const v1::ItemAck &a, const QString &kind, const QString &uuid) {
            switch (a.outcome()) {
            case v1::OUTCOME_ACCEPTED: ++out.accepted; return true;
            case v1::OUTCOME_DUPLICATE: ++out.duplicates; return true;
            case v1::OUTCOME_CONFLICT: ++out.conflicts; return true;
            default:
                ++out.rejected;
                out.rejections.append({kind, uuid, text(a.reason())});
                return false;
            }
        };
        for (const v1::ItemAck &a : ack.responses()) {
            const QString uuid = BatchCodec::uuidFromWire(bytes(a.uuid()), text(a.uuid_text()));
            // Without a revision we cannot tell which version was held: leave it for a sync.
            if (isHeld(a, QStringLiteral("response"), uuid) && a.revision() > 0)
                held.insert(uuid, int(a.revision()));
        }
        for (const v1::ItemAck &a : ack.contacts()) {
            const QString uuid = BatchCodec::uuidFromWire(bytes(a.uuid()), text(a.uuid_text()));
            if (isHeld(a, QStringLiteral("contact"), uuid))
                heldContacts.append(uuid);
        }
        store->acknowledgeRevisions(held, heldContacts);
        rememberQuotaCounts(*store, ack);
        out.batches = 1;
        out.sent = ack.responses_size() + ack.contacts_size();
        out.waiting = store->counts().waiting;
    } catch (const SyncError &e) {
        out.fail(e);
    } catch (const std::exception &e) {
        out.fail(e);
    }
    return out;
}

} // namespace kerbside
