// SPDX-License-Identifier: Apache-2.0
#include "devicestore.h"

#include "sqlitedb.h"
#include "storeschema.h"
#include "outboxjournal.h"
#include "packedanswers.h"
#include "packedparadata.h"
#include "storesalvage.h"
#include "timeuuid.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include <sqlite3.h>

namespace kerbside {

namespace {

// Column list shared by every ResponseMeta query; readMeta() reads them in this order.
// Finalised responses: what the outbox sends (the index responses_outbox covers the same set).
#define KB_FINAL_STATUSES "'complete', 'refused', 'partial', 'screened_out'"

#define KB_META_COLUMNS                                                                          \
    "id, uuid, form_id, form_version, case_study, enumerator, device_id, status, revision, "    \
    "started_ms, ended_ms, updated_ms, latitude, longitude, altitude, accuracy, fix_ms, "       \
    "language, cursor, synced, inside_area, distance_to_area_m, area_version, started_offset_s"

#define KB_CONTACT_COLUMNS                                                                       \
    "uuid, case_study, enumerator, device_id, time_ms, latitude, longitude, altitude, "         \
    "accuracy, fix_ms, disposition, age_band, gender, note, synced"

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

/** Paradata and the resume cursor are written with synchronous=NORMAL: durable against an app
 *  crash or kill at once (the WAL is in the OS cache), against power loss from the next
 *  answer's FULL commit on. That keeps page turns to no fsync, while answers keep one each. */
class RelaxedDurability
{
public:
    explicit RelaxedDurability(SqliteDb &db) : m_db(db)
    {
        sqlite3_exec(m_db.handle(), "PRAGMA synchronous = NORMAL", nullptr, nullptr, nullptr);
    }
    ~RelaxedDurability()
    {
        sqlite3_exec(m_db.handle(), "PRAGMA synchronous = FULL", nullptr, nullptr, nullptr);
    }
    RelaxedDurability(const RelaxedDurability &) = delete;
    RelaxedDurability &operator=(const RelaxedDurability &) = delete;

private:
    SqliteDb &m_db;
};

bool isFinal(ResponseStatus s)
{
    return s == ResponseStatus::Complete || s == ResponseStatus::Refused || s == ResponseStatus::Partial
           || s == ResponseStatus::ScreenedOut;
}

Location readLocation(const SqliteDb::Query &q, int first)
{
    Location l;
    l.latitude = q.real(first);
    l.longitude = q.real(first + 1);
    l.altitude = q.real(first + 2);
    l.accuracy = q.real(first + 3);
    l.time = q.time(first + 4);
    return l;
}

void bindLocation(SqliteDb::Query &q, int first, const Location &l)
{
    q.bind(first, l.latitude)
        .bind(first + 1, l.longitude)
        .bind(first + 2, l.altitude)
        .bind(first + 3, l.accuracy)
        .bindTime(first + 4, l.time);
}

} // namespace

struct DeviceStore::Private
{
    explicit Private(std::unique_ptr<SqliteDb> database) : db(std::move(database)) {}

    struct Row
    {
        qint64 id = 0;
        ResponseStatus status = ResponseStatus::Draft;
        int revision = 1;
    };

    std::unique_ptr<SqliteDb> db;

    ResponseStatus statusOf(const QString &name) const
    {
        ResponseStatus s;
        if (!responseStatusFromName(name, &s)) {
            throw StoreError(StoreError::Code::Corrupt,
                             QStringLiteral("Device store %1: unknown response status \"%2\" in "
                                            "table responses")
                                 .arg(db->path(), name));
        }
        return s;
    }

    // The response's row, or NotFound.
    Row row(const QString &uuid) const
    {
        SqliteDb::Query q = db->query("SELECT id, status, revision FROM responses WHERE uuid = ?");
        q.bind(1, uuid);
        if (!q.next()) {
            throw StoreError(StoreError::Code::NotFound,
                             QStringLiteral("Device store %1: no response %2")
                                 .arg(db->path(), uuid));
        }
        return Row{q.int64(0), statusOf(q.text(1)), int(q.int64(2))};
    }

    // The response's row if it may be edited (a draft), else Locked.
    Row draft(const QString &uuid, const char *action) const
    {
        const Row r = row(uuid);
        if (r.status == ResponseStatus::Draft)
            return r;
        const QString why = r.status == ResponseStatus::Discarded
                                ? QStringLiteral("it is discarded (restore it first)")
                                : QStringLiteral("it is finalised (%1; reopen it first)")
                                      .arg(responseStatusName(r.status));
        throw StoreError(StoreError::Code::Locked,
                         QStringLiteral("Device store %1: cannot %2 response %3: %4")
                             .arg(db->path(), QLatin1String(action), uuid, why));
    }

    void insertParadata(qint64 responseId, const ParadataEvent &event)
    {
        db->query("INSERT INTO paradata(response_id, time_ms, kind, question, detail) "
                  "VALUES (?, ?, ?, ?, ?)")
            .bind(1, responseId)
            .bind(2, event.time.isValid() ? event.time.toMSecsSinceEpoch() : nowMs())
            .bind(3, paradataKindName(event.kind))
            .bind(4, event.question)
            .bind(5, event.detail)
            .run();
    }

    void touch(qint64 id)
    {
        db->query("UPDATE responses SET updated_ms = ? WHERE id = ?")
            .bind(1, nowMs())
            .bind(2, id)
            .run();
    }

    // `intern`, when given, shares the QStrings of texts that repeat from row to row (outbox()).
    static QString text(const SqliteDb::Query &q, int column, TextIntern *intern)
    {
        return intern ? q.text(column, *intern) : q.text(column);
    }

    ResponseMeta readMeta(const SqliteDb::Query &q, qint64 *id = nullptr, TextIntern *intern = nullptr) const
    {
        ResponseMeta m;
        if (id)
            *id = q.int64(0);
        m.uuid = q.text(1);
        m.formId = text(q, 2, intern);
        m.formVersion = text(q, 3, intern);
        m.caseStudy = text(q, 4, intern);
        m.enumerator = text(q, 5, intern);
        m.deviceId = text(q, 6, intern);
        m.status = statusOf(text(q, 7, intern));
        m.revision = int(q.int64(8));
        m.started = q.time(9);
        m.ended = q.time(10);
        m.updated = q.time(11);
        m.location = readLocation(q, 12);
        m.language = text(q, 17, intern);
        m.cursor = text(q, 18, intern);
        m.synced = q.int64(19) != 0;
        insideAreaFromName(text(q, 20, intern), &m.area.inside);
        m.area.distanceMetres = q.real(21);
        m.area.areaVersion = int(q.int64(22));
        if (!q.isNull(23))
            m.startedUtcOffset = int(q.int64(23));
        return m;
    }

    QMap<QString, QString> answers(qint64 id, TextIntern *intern = nullptr) const
    {
        QMap<QString, QString> result;
        SqliteDb::Query q = db->query("SELECT question, value FROM answers WHERE response_id = ?");
        q.bind(1, id);
        // Rows come in key order (by question), so each insert lands at the end: with the
        // end as hint, no search of the tree.
        while (q.next())
            result.insert(result.cend(), text(q, 0, intern), text(q, 1, intern));
        return result;
    }

    QList<ParadataEvent> paradata(qint64 id, const QString &uuid, TextIntern *intern = nullptr) const
    {
        QList<ParadataEvent> result;
        SqliteDb::Query q = db->query("SELECT time_ms, kind, question, detail FROM paradata "
                                      "WHERE response_id = ? ORDER BY time_ms, id");
        q.bind(1, id);
        while (q.next()) {
            ParadataEvent e;
            e.responseUuid = uuid;
            e.time = q.time(0);
            if (!paradataKindFromName(text(q, 1, intern), &e.kind)) {
                throw StoreError(StoreError::Code::Corrupt,
                                 QStringLiteral("Device store %1: unknown paradata kind \"%2\"")
                                     .arg(db->path(), q.text(1)));
            }
            e.question = text(q, 2, intern);
            e.detail = text(q, 3, intern);
            result.append(e);
        }
        return result;
    }

    QString journalPath() const { return OutboxJournal::pathFor(db->path()); }

    // Appends response `id`, as it now reads inside the caller's transaction (its answers and
    // paradata as the caller just read them), to the journal.
    void journal(qint64 id, const QMap<QString, QString> &answers, const QList<ParadataEvent> &events)
    {
        SqliteDb::Query q = db->query("SELECT " KB_META_COLUMNS " FROM responses WHERE id = ?");
        q.bind(1, id);
        if (!q.next())
            return;
        Response r;
        r.meta = readMeta(q);
        r.answers = answers;
        OutboxJournal::append(journalPath(), r, events);
    }

    // The answers of an outbox row: its packed blob (column `column`) when sound, else the
    // answers rows. A damaged blob is reported and never used.
    QMap<QString, QString> outboxAnswers(const SqliteDb::Query &q, int column, qint64 id,
                                         const ResponseMeta &meta, TextIntern *intern) const
    {
        QMap<QString, QString> result;
        if (q.isNull(column))
            return answers(id, intern); // packed by no finalise (a salvaged store)
        QString why;
        if (packedanswers::unpack(q.blob(column), meta.revision, &result, &why, intern))
            return result;
        qWarning("Device store %s: the packed answers of response %s (row %lld, table responses, "
                 "column answers_packed) are refused: %s. Its answers are read from table answers.",
                 qPrintable(db->path()), qPrintable(meta.uuid), id, qPrintable(why));
        return answers(id, intern);
    }

    // The paradata of an outbox row: its packed blob (column `column`, schema 7) when sound,
    // else the paradata rows. A damaged blob is reported and never used.
    QList<ParadataEvent> outboxParadata(const SqliteDb::Query &q, int column, qint64 id,
                                        const ResponseMeta &meta, TextIntern *intern) const
    {
        if (q.isNull(column))
            return paradata(id, meta.uuid, intern); // packed by no finalise (a salvaged store)
        QList<ParadataEvent> result;
        QString why;
        if (packedparadata::unpack(q.blob(column), meta.revision, meta.uuid, &result, &why, intern))
            return result;
        qWarning("Device store %s: the packed paradata of response %s (row %lld, table responses, "
                 "column paradata_packed) are refused: %s. Its paradata are read from table paradata.",
                 qPrintable(db->path()), qPrintable(meta.uuid), id, qPrintable(why));
        return paradata(id, meta.uuid, intern);
    }

    // Drops the journal's copies of what the collector has now acknowledged (as the store, in
    // this transaction, says). A failure keeps the longer journal: harmless.
    void compactJournal()
    {
        try {
            OutboxJournal::compact(journalPath(), [this](const OutboxJournal::Entry &e) {
                SqliteDb::Query q = db->query("SELECT revision, synced FROM responses WHERE uuid = ?");
                q.bind(1, e.response.meta.uuid);
                if (!q.next())
                    return true;
                // Acknowledging revision R makes every copy up to R obsolete; a copy of an
                // older revision stays until the newer one is acknowledged.
                const bool synced = q.int64(1) != 0;
                return !(synced && e.response.meta.revision <= q.int64(0));
            });
        } catch (const StoreError &e) {
            qWarning("%s", e.what());
        }
    }

    ContactEntry readContact(const SqliteDb::Query &q) const
    {
        ContactEntry c;
        c.uuid = q.text(0);
        c.caseStudy = q.text(1);
        c.enumerator = q.text(2);
        c.deviceId = q.text(3);
        c.time = q.time(4);
        c.location = readLocation(q, 5);
        if (!dispositionFromName(q.text(10), &c.disposition)) {
            throw StoreError(StoreError::Code::Corrupt,
                             QStringLiteral("Device store %1: unknown disposition \"%2\" in table "
                                            "contacts")
                                 .arg(db->path(), q.text(10)));
        }
        c.ageBand = q.text(11);
        c.gender = q.text(12);
        c.note = q.text(13);
        c.synced = q.int64(14) != 0;
        return c;
    }
};

std::unique_ptr<DeviceStore> DeviceStore::open(const QString &path, StoreOpenReport *report)
{
    StoreSchema::checkFileHeader(path);
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath())) {
        throw StoreError(StoreError::Code::Io, QStringLiteral("Device store %1: cannot create its "
                                                              "folder")
                                                   .arg(path));
    }
    std::unique_ptr<SqliteDb> db;
    if (!info.exists()) {
        db = StoreSchema::createFile(path);
        StoreSchema::prepare(*db);
    } else {
        db = SqliteDb::openFile(path, SqliteDb::OpenMode::Existing);
        // Until SQLite has vouched for the pages, closing must not checkpoint a WAL into them.
        db->setCheckpointOnClose(false);
        QString damage;
        try {
            StoreSchema::prepare(*db);
        } catch (const StoreError &e) {
            if (e.code() != StoreError::Code::Corrupt)
                throw; // foreign, newer, unreadable: left as it is
            damage = QString::fromUtf8(e.what());
        }
        if (!damage.isEmpty()) {
            db.reset();
            StoreOpenReport salvaged = StoreSalvage::salvage(path, damage);
            qWarning("%s", qPrintable(damage + QStringLiteral(" Salvaged: ") + salvaged.message()));
            if (report)
                *report = salvaged;
            db = SqliteDb::openFile(path, SqliteDb::OpenMode::Existing);
            StoreSchema::prepare(*db);
        }
        db->setCheckpointOnClose(true);
    }
    QFile marker(StoreSchema::markerPath(path));
    if (!marker.exists() && marker.open(QIODevice::WriteOnly)) {
        marker.write(QStringLiteral("Kerbside device store in use since %1\n")
                         .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate))
                         .toUtf8());
    }
    return std::unique_ptr<DeviceStore>(new DeviceStore(std::make_unique<Private>(std::move(db))));
}

DeviceStore::DeviceStore(std::unique_ptr<Private> p) : d(std::move(p)) {}

DeviceStore::~DeviceStore() = default;

int DeviceStore::currentSchemaVersion()
{
    return StoreSchema::kCurrentVersion;
}

int DeviceStore::schemaVersion() const
{
    return int(d->db->scalar("PRAGMA user_version"));
}

QString DeviceStore::path() const
{
    return d->db->path();
}

// Responses -------------------------------------------------------------------------------------

QString DeviceStore::createResponse(const NewResponse &r)
{
    if (r.formId.isEmpty()) {
        throw StoreError(StoreError::Code::Invalid,
                         QStringLiteral("Device store %1: a new response needs a form id")
                             .arg(path()));
    }
    const QString uuid = newTimeOrderedUuid();
    const qint64 now = nowMs();
    const qint64 started = r.started.isValid() ? r.started.toMSecsSinceEpoch() : now;
    // The tablet's own zone at that instant (what its clock showed the fieldworker).
    const int offset = r.startedUtcOffset ? *r.startedUtcOffset
                                          : QDateTime::fromMSecsSinceEpoch(started, Qt::LocalTime).offsetFromUtc();
    d->db->query("INSERT INTO responses(uuid, form_id, form_version, case_study, enumerator, "
                 "device_id, status, started_ms, updated_ms, language, started_offset_s) "
                 "VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?)")
        .bind(1, uuid)
        .bind(2, r.formId)
        .bind(3, r.formVersion)
        .bind(4, r.caseStudy)
        .bind(5, r.enumerator)
        .bind(6, r.deviceId)
        .bind(7, started)
        .bind(8, now)
        .bind(9, r.language)
        .bind(10, offset)
        .run();
    return uuid;
}

void DeviceStore::setAnswer(const QString &uuid, const QString &question, const QString &value)
{
    if (question.isEmpty()) {
        throw StoreError(StoreError::Code::Invalid,
                         QStringLiteral("Device store %1: an answer needs a question name")
                             .arg(path()));
    }
    // One small transaction per answer: fsync'd (synchronous=FULL) before this returns.
    SqliteDb::Transaction tx(*d->db);
    const Private::Row r = d->draft(uuid, "answer");
    d->db->query("INSERT INTO answers(response_id, question, value) VALUES (?, ?, ?) "
                 "ON CONFLICT(response_id, question) DO UPDATE SET value = excluded.value")
        .bind(1, r.id)
        .bind(2, question)
        .bind(3, value)
        .run();
    d->touch(r.id);
    tx.commit();
}

void DeviceStore::clearAnswer(const QString &uuid, const QString &question)
{
    SqliteDb::Transaction tx(*d->db);
    const Private::Row r = d->draft(uuid, "clear an answer of");
    d->db->query("DELETE FROM answers WHERE response_id = ? AND question = ?")
        .bind(1, r.id)
        .bind(2, question)
        .run();
    d->touch(r.id);
    tx.commit();
}

void DeviceStore::changeAnswers(const QString &uuid, const QMap<QString, QString> &set, const QStringList &clear)
{
    SqliteDb::Transaction tx(*d->db);
    const Private::Row r = d->draft(uuid, "change answers of");
    for (const QString &question : clear) {
        d->db->query("DELETE FROM answers WHERE response_id = ? AND question = ?")
            .bind(1, r.id)
            .bind(2, question)
            .run();
    }
    for (auto it = set.cbegin(); it != set.cend(); ++it) {
        if (it.key().isEmpty())
            throw StoreError(StoreError::Code::Invalid,
                             QStringLiteral("Device store %1: an answer needs a question name").arg(path()));
        d->db->query("INSERT INTO answers(response_id, question, value) VALUES (?, ?, ?) "
                     "ON CONFLICT(response_id, question) DO UPDATE SET value = excluded.value")
            .bind(1, r.id)
            .bind(2, it.key())
            .bind(3, it.value())
            .run();
    }
    d->touch(r.id);
    tx.commit();
}

void DeviceStore::setLocation(const QString &uuid, const Location &location, const AreaCheck &area)
{
    SqliteDb::Transaction tx(*d->db);
    const Private::Row r = d->draft(uuid, "set the location of");
    SqliteDb::Query q = d->db->query("UPDATE responses SET latitude = ?, longitude = ?, "
                                     "altitude = ?, accuracy = ?, fix_ms = ?, updated_ms = ?, "
                                     "inside_area = ?, distance_to_area_m = ?, area_version = ? "
                                     "WHERE id = ?");
    bindLocation(q, 1, location);
    q.bind(6, nowMs()).bind(7, insideAreaName(area.inside)).bind(8, area.distanceMetres);
    q.bind(9, qint64(area.areaVersion)).bind(10, r.id).run();
    tx.commit();
}

void DeviceStore::setCursor(const QString &uuid, const QString &question)
{
    recordPageShown(uuid, question, {});
}

void DeviceStore::setLanguage(const QString &uuid, const QString &language)
{
    SqliteDb::Transaction tx(*d->db);
    const Private::Row r = d->draft(uuid, "set the language of");
    d->db->query("UPDATE responses SET language = ?, updated_ms = ? WHERE id = ?")
        .bind(1, language)
        .bind(2, nowMs())
        .bind(3, r.id)
        .run();
    tx.commit();
}

void DeviceStore::finalise(const QString &uuid, ResponseStatus status,
                           const std::optional<QStringList> &keep, const QDateTime &ended)
{
    if (!isFinal(status)) {
        throw StoreError(StoreError::Code::Invalid,
                         QStringLiteral("Device store %1: a response is finalised as complete, "
                                        "refused, partial or screened_out, not %2")
                             .arg(path(), responseStatusName(status)));
    }
    SqliteDb::Transaction tx(*d->db);
    const Private::Row r = d->draft(uuid, "finalise");
    QMap<QString, QString> answers = d->answers(r.id);
    if (keep) {
        // Drop the answers to questions that are no longer relevant (skip logic changed).
        const QSet<QString> kept(keep->begin(), keep->end());
        for (auto it = answers.begin(); it != answers.end();) {
            if (kept.contains(it.key())) {
                ++it;
                continue;
            }
            d->db->query("DELETE FROM answers WHERE response_id = ? AND question = ?")
                .bind(1, r.id)
                .bind(2, it.key())
                .run();
            it = answers.erase(it);
        }
    }
    const qint64 now = nowMs();
    const QList<ParadataEvent> events = d->paradata(r.id, uuid);
    // Finalised + not synced is what puts it in the outbox (index responses_outbox); the
    // answers (schema 6) and paradata (schema 7) packed in the same transaction are what the
    // outbox reads.
    d->db->query("UPDATE responses SET status = ?, ended_ms = ?, updated_ms = ?, synced = 0, "
                 "answers_packed = ?, paradata_packed = ? WHERE id = ?")
        .bind(1, responseStatusName(status))
        .bind(2, ended.isValid() ? ended.toMSecsSinceEpoch() : now)
        .bind(3, now)
        .bindBlob(4, packedanswers::pack(answers, r.revision))
        .bindBlob(5, packedparadata::pack(events, r.revision))
        .bind(6, r.id)
        .run();
    // The second copy, fsync'd before the commit: if it cannot be written (a full disk), the
    // response is not finalised either.
    d->journal(r.id, answers, events);
    tx.commit();
}

void DeviceStore::reopen(const QString &uuid)
{
    SqliteDb::Transaction tx(*d->db);
    const Private::Row r = d->row(uuid);
    if (!isFinal(r.status)) {
        throw StoreError(StoreError::Code::Invalid,
                         QStringLiteral("Device store %1: cannot reopen response %2: it is %3, "
                                        "not finalised")
                             .arg(path(), uuid, responseStatusName(r.status)));
    }
    d->db->query("UPDATE responses SET status = 'draft', revision = revision + 1, ended_ms = NULL, "
                 "synced = 0, answers_packed = NULL, paradata_packed = NULL, updated_ms = ? WHERE id = ?")
        .bind(1, nowMs())
        .bind(2, r.id)
        .run();
    tx.commit();
}

void DeviceStore::discard(const QString &uuid)
{
    SqliteDb::Transaction tx(*d->db);
    const Private::Row r = d->row(uuid);
    if (isFinal(r.status)) {
        throw StoreError(StoreError::Code::Locked,
                         QStringLiteral("Device store %1: cannot discard response %2: it is "
                                        "finalised (%3); only drafts can be discarded")
                             .arg(path(), uuid, responseStatusName(r.status)));
    }
    d->db->query("UPDATE responses SET status = 'discarded', updated_ms = ? "
                 "WHERE id = ? AND status = 'draft'")
        .bind(1, nowMs())
        .bind(2, r.id)
        .run();
    tx.commit();
}

void DeviceStore::restore(const QString &uuid)
{
    SqliteDb::Transaction tx(*d->db);
    const Private::Row r = d->row(uuid);
    // Only drafts are ever discarded, so a restored response is a draft again.
    d->db->query("UPDATE responses SET status = 'draft', updated_ms = ? "
                 "WHERE id = ? AND status = 'discarded'")
        .bind(1, nowMs())
        .bind(2, r.id)
        .run();
    tx.commit();
}

std::optional<Response> DeviceStore::response(const QString &uuid) const
{
    // One consistent snapshot of meta + answers.
    SqliteDb::Transaction tx(*d->db, SqliteDb::Transaction::Mode::Read);
    SqliteDb::Query q = d->db->query("SELECT " KB_META_COLUMNS " FROM responses WHERE uuid = ?");
    q.bind(1, uuid);
    if (!q.next())
        return std::nullopt;
    Response r;
    qint64 id = 0;
    r.meta = d->readMeta(q, &id);
    r.answers = d->answers(id);
    tx.commit();
    return r;
}

QList<ResponseMeta> DeviceStore::responses(const QList<ResponseStatus> &statuses,
                                           const QString &caseStudy) const
{
    // Statuses travel as one ",a,b," parameter so a single cached statement serves every filter.
    QString wanted = QStringLiteral(",");
    if (statuses.isEmpty()) {
        wanted += QStringLiteral("draft,complete,refused,");
    } else {
        for (ResponseStatus s : statuses)
            wanted += responseStatusName(s) + QLatin1Char(',');
    }
    SqliteDb::Query q = d->db->query(
        "SELECT " KB_META_COLUMNS " FROM responses "
        "WHERE instr(?1, ',' || status || ',') > 0 AND (?2 = '' OR case_study = ?2) "
        "ORDER BY started_ms DESC, id DESC");
    q.bind(1, wanted).bind(2, caseStudy);
    QList<ResponseMeta> result;
    while (q.next())
        result.append(d->readMeta(q));
    return result;
}

std::optional<ResponseMeta> DeviceStore::latestDraft() const
{
    SqliteDb::Query q = d->db->query("SELECT " KB_META_COLUMNS " FROM responses "
                                     "WHERE status = 'draft' "
                                     "ORDER BY updated_ms DESC, id DESC LIMIT 1");
    if (!q.next())
        return std::nullopt;
    return d->readMeta(q);
}

StoreCounts DeviceStore::counts(const QString &caseStudy) const
{
    const QDateTime midnight(QDate::currentDate(), QTime(0, 0)); // local time
    StoreCounts c;
    SqliteDb::Transaction tx(*d->db, SqliteDb::Transaction::Mode::Read);
    {
        SqliteDb::Query q = d->db->query(
            "SELECT total(status IN (" KB_FINAL_STATUSES ") "
            "             AND started_ms >= ?1 AND started_ms < ?2), "
            "total(status IN (" KB_FINAL_STATUSES ")), total(status = 'draft'), "
            "total(status IN (" KB_FINAL_STATUSES ") AND synced = 0) "
            "FROM responses WHERE (?3 = '' OR case_study = ?3)");
        q.bind(1, midnight.toMSecsSinceEpoch())
            .bind(2, midnight.addDays(1).toMSecsSinceEpoch())
            .bind(3, caseStudy);
        if (q.next()) {
            c.today = int(q.real(0));
            c.all = int(q.real(1));
            c.drafts = int(q.real(2));
            c.waiting = int(q.real(3));
        }
    }
    {
        SqliteDb::Query q = d->db->query("SELECT count(*), total(synced = 0) FROM contacts "
                                         "WHERE (?1 = '' OR case_study = ?1)");
        q.bind(1, caseStudy);
        if (q.next()) {
            c.contacts = int(q.int64(0));
            c.waiting += int(q.real(1));
        }
    }
    tx.commit();
    return c;
}

// Paradata and contact log ------------------------------------------------------------------------

void DeviceStore::appendParadata(const ParadataEvent &event)
{
    // Allowed on any response: the "finalised" event may be logged just after finalise().
    RelaxedDurability relaxed(*d->db);
    SqliteDb::Transaction tx(*d->db);
    const Private::Row r = d->row(event.responseUuid);
    d->insertParadata(r.id, event);
    if (isFinal(r.status)) {
        // An event after finalise() (e.g. a late "finalised"): the packed copy is rewritten from
        // the rows in this transaction, so the outbox never sends a stale one. Not for an
        // acknowledged response (its blob is gone with the acknowledgement).
        d->db->query("UPDATE responses SET paradata_packed = ? WHERE id = ? AND synced = 0")
            .bindBlob(1, packedparadata::pack(d->paradata(r.id, event.responseUuid), r.revision))
            .bind(2, r.id)
            .run();
    }
    tx.commit();
}

void DeviceStore::recordPageShown(const QString &uuid, const QString &cursor,
                                  const QList<ParadataEvent> &shown)
{
    RelaxedDurability relaxed(*d->db);
    SqliteDb::Transaction tx(*d->db);
    const Private::Row r = d->draft(uuid, "move the cursor of");
    d->db->query("UPDATE responses SET cursor = ?, updated_ms = ? WHERE id = ?")
        .bind(1, cursor)
        .bind(2, nowMs())
        .bind(3, r.id)
        .run();
    for (const ParadataEvent &e : shown)
        d->insertParadata(r.id, e);
    tx.commit();
}

QList<ParadataEvent> DeviceStore::paradata(const QString &uuid) const
{
    SqliteDb::Transaction tx(*d->db, SqliteDb::Transaction::Mode::Read);
    const QList<ParadataEvent> events = d->paradata(d->row(uuid).id, uuid);
    tx.commit();
    return events;
}

QString DeviceStore::logContact(ContactEntry entry)
{
    if (entry.uuid.isEmpty())
        entry.uuid = newTimeOrderedUuid();
    SqliteDb::Query q = d->db->query(
        "INSERT INTO contacts(uuid, case_study, enumerator, device_id, time_ms, latitude, "
        "longitude, altitude, accuracy, fix_ms, disposition, age_band, gender, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, entry.uuid)
        .bind(2, entry.caseStudy)
        .bind(3, entry.enumerator)
        .bind(4, entry.deviceId)
        .bind(5, entry.time.isValid() ? entry.time.toMSecsSinceEpoch() : nowMs());
    bindLocation(q, 6, entry.location);
    q.bind(11, dispositionName(entry.disposition))
        .bind(12, entry.ageBand)
        .bind(13, entry.gender)
        .bind(14, entry.note)
        .run();
    return entry.uuid;
}

QList<ContactEntry> DeviceStore::contacts(const QString &caseStudy) const
{
    SqliteDb::Query q = d->db->query("SELECT " KB_CONTACT_COLUMNS " FROM contacts "
                                     "WHERE (?1 = '' OR case_study = ?1) "
                                     "ORDER BY time_ms DESC, id DESC");
    q.bind(1, caseStudy);
    QList<ContactEntry> result;
    while (q.next())
        result.append(d->readContact(q));
    return result;
}

// Outbox ------------------------------------------------------------------------------------------

OutboxBatch DeviceStore::outbox(int maxResponses) const
{
    OutboxBatch batch;
    SqliteDb::Transaction tx(*d->db, SqliteDb::Transaction::Mode::Read); // a consistent snapshot
    {
        TextIntern intern; // question names, choices, form ids: the same few hundred texts
        // One row per response: its answers and paradata come packed (schemas 6, 7), not a row
        // per answer and per event. In the outbox's own order (without statistics SQLite would
        // pick responses_status and sort every row, blobs and all).
        SqliteDb::Query q = d->db->query(
            "SELECT " KB_META_COLUMNS ", answers_packed, paradata_packed FROM responses INDEXED BY responses_outbox "
            "WHERE synced = 0 AND status IN (" KB_FINAL_STATUSES ") ORDER BY ended_ms, id LIMIT ?");
        q.bind(1, qMax(0, maxResponses));
        while (q.next()) {
            qint64 id = 0;
            Response r;
            r.meta = d->readMeta(q, &id, &intern);
            r.answers = d->outboxAnswers(q, 24, id, r.meta, &intern);
            batch.paradata.append(d->outboxParadata(q, 25, id, r.meta, &intern));
            batch.responses.append(std::move(r));
        }
    }
    {
        SqliteDb::Query q = d->db->query("SELECT " KB_CONTACT_COLUMNS " FROM contacts "
                                         "WHERE synced = 0 ORDER BY time_ms, id");
        while (q.next())
            batch.contacts.append(d->readContact(q));
    }
    tx.commit();
    return batch;
}

int DeviceStore::outboxSize() const
{
    const StoreCounts c = counts();
    return c.waiting;
}

void DeviceStore::acknowledge(const QStringList &responseUuids, const QStringList &contactUuids)
{
    SqliteDb::Transaction tx(*d->db);
    for (const QString &uuid : responseUuids) {
        // The packed copies of the answers and paradata served only the outbox: gone with the
        // acknowledgement (least data on the tablet; the rows stay).
        d->db->query("UPDATE responses SET synced = 1, answers_packed = NULL, paradata_packed = NULL WHERE uuid = ? "
                     "AND status IN (" KB_FINAL_STATUSES ")")
            .bind(1, uuid)
            .run();
    }
    for (const QString &uuid : contactUuids)
        d->db->query("UPDATE contacts SET synced = 1 WHERE uuid = ?").bind(1, uuid).run();
    // Inside the write transaction: SQLite's write lock keeps a finalise() on another
    // connection (which appends under the same lock) from slipping between read and rename.
    d->compactJournal();
    tx.commit();
}

void DeviceStore::acknowledgeRevisions(const QMap<QString, int> &responseRevisions,
                                       const QStringList &contactUuids)
{
    SqliteDb::Transaction tx(*d->db);
    for (auto it = responseRevisions.cbegin(); it != responseRevisions.cend(); ++it) {
        d->db->query("UPDATE responses SET synced = 1, answers_packed = NULL, paradata_packed = NULL "
                     "WHERE uuid = ? AND revision = ? "
                     "AND status IN (" KB_FINAL_STATUSES ")")
            .bind(1, it.key())
            .bind(2, it.value())
            .run();
    }
    for (const QString &uuid : contactUuids)
        d->db->query("UPDATE contacts SET synced = 1 WHERE uuid = ?").bind(1, uuid).run();
    // Inside the write transaction: SQLite's write lock keeps a finalise() on another
    // connection (which appends under the same lock) from slipping between read and rename.
    d->compactJournal();
    tx.commit();
}

int DeviceStore::purgeDiscarded()
{
    SqliteDb::Transaction tx(*d->db);
    // Answers and paradata go with them (ON DELETE CASCADE).
    d->db->query("DELETE FROM responses WHERE status = 'discarded' AND NOT EXISTS ("
                 "SELECT 1 FROM responses AS f WHERE f.synced = 0 "
                 "AND f.status IN (" KB_FINAL_STATUSES ") AND f.ended_ms <= responses.updated_ms)")
        .run();
    const int removed = d->db->changes();
    tx.commit();
    return removed;
}

// Settings ----------------------------------------------------------------------------------------

QString DeviceStore::setting(const QString &key, const QString &fallback) const
{
    SqliteDb::Query q = d->db->query("SELECT value FROM settings WHERE key = ?");
    q.bind(1, key);
    return q.next() ? q.text(0) : fallback;
}

void DeviceStore::setSetting(const QString &key, const QString &value)
{
    d->db->query("INSERT INTO settings(key, value) VALUES (?, ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .bind(1, key)
        .bind(2, value)
        .run();
}

void DeviceStore::setMaxSizeBytes(qint64 bytes)
{
    const qint64 pageSize = d->db->scalar("PRAGMA page_size");
    const qint64 sqliteDefault = 1073741823; // pages
    const qint64 pages = bytes > 0 ? qMax<qint64>(1, bytes / pageSize) : sqliteDefault;
    const QByteArray sql = "PRAGMA max_page_count = " + QByteArray::number(pages);
    d->db->scalar(sql.constData());
}

} // namespace kerbside
