// SPDX-License-Identifier: Apache-2.0
#include "storeschema.h"

#include "packedanswers.h"
#include "packedparadata.h"
#include "sqlitedb.h"

#include <QFile>
#include <QFileInfo>
#include <QStringList>

#include <sqlite3.h>

namespace kerbside {

namespace {

// Times are integer milliseconds since the Unix epoch (UTC) in *_ms columns; locations are
// WGS84 degrees, altitude and accuracy in metres, NULL when unknown.
const char *const kV1 = R"sql(
CREATE TABLE responses(
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    form_id TEXT NOT NULL,
    form_version TEXT NOT NULL,
    case_study TEXT NOT NULL,
    enumerator TEXT NOT NULL,
    device_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'complete', 'refused', 'discarded')),
    revision INTEGER NOT NULL DEFAULT 1,
    started_ms INTEGER NOT NULL,
    ended_ms INTEGER,
    updated_ms INTEGER NOT NULL,
    latitude REAL,
    longitude REAL,
    altitude REAL,
    accuracy REAL,
    fix_ms INTEGER,
    language TEXT NOT NULL DEFAULT '',
    cursor TEXT NOT NULL DEFAULT '',
    synced INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX responses_status ON responses(status, case_study);
CREATE INDEX responses_case_started ON responses(case_study, started_ms);
CREATE INDEX responses_outbox ON responses(ended_ms)
    WHERE synced = 0 AND status IN ('complete', 'refused');
CREATE TABLE answers(
    response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (response_id, question)
) WITHOUT ROWID;
CREATE TABLE contacts(
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    case_study TEXT NOT NULL,
    enumerator TEXT NOT NULL,
    device_id TEXT NOT NULL,
    time_ms INTEGER NOT NULL,
    latitude REAL,
    longitude REAL,
    altitude REAL,
    accuracy REAL,
    fix_ms INTEGER,
    disposition TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    synced INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX contacts_case ON contacts(case_study, time_ms);
CREATE INDEX contacts_outbox ON contacts(time_ms) WHERE synced = 0;
CREATE TABLE settings(
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
)sql";

// v1 -> v2: paradata per response, and the observed age band and gender on contacts.
const char *const kV2 = R"sql(
ALTER TABLE contacts ADD COLUMN age_band TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN gender TEXT NOT NULL DEFAULT '';
CREATE TABLE paradata(
    id INTEGER PRIMARY KEY,
    response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    time_ms INTEGER NOT NULL,
    kind TEXT NOT NULL,
    question TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX paradata_response ON paradata(response_id, time_ms);
)sql";

// v2 -> v3 (i11): the statuses partial (broken off after consent) and screened_out (quota full).
// SQLite cannot change a CHECK constraint, so the table is rebuilt (the 12-step procedure of
// sqlite.org/lang_altertable.html); migrate() turns foreign keys off around it, so dropping the
// old table does not cascade to answers and paradata, and checks them afterwards.
const char *const kV3 = R"sql(
CREATE TABLE responses_v3(
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    form_id TEXT NOT NULL,
    form_version TEXT NOT NULL,
    case_study TEXT NOT NULL,
    enumerator TEXT NOT NULL,
    device_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'complete', 'refused', 'discarded', 'partial',
                                           'screened_out')),
    revision INTEGER NOT NULL DEFAULT 1,
    started_ms INTEGER NOT NULL,
    ended_ms INTEGER,
    updated_ms INTEGER NOT NULL,
    latitude REAL,
    longitude REAL,
    altitude REAL,
    accuracy REAL,
    fix_ms INTEGER,
    language TEXT NOT NULL DEFAULT '',
    cursor TEXT NOT NULL DEFAULT '',
    synced INTEGER NOT NULL DEFAULT 0
);
INSERT INTO responses_v3 SELECT id, uuid, form_id, form_version, case_study, enumerator, device_id,
    status, revision, started_ms, ended_ms, updated_ms, latitude, longitude, altitude, accuracy,
    fix_ms, language, cursor, synced FROM responses;
DROP TABLE responses;
ALTER TABLE responses_v3 RENAME TO responses;
CREATE INDEX responses_status ON responses(status, case_study);
CREATE INDEX responses_case_started ON responses(case_study, started_ms);
CREATE INDEX responses_outbox ON responses(ended_ms)
    WHERE synced = 0 AND status IN ('complete', 'refused', 'partial', 'screened_out');
)sql";

// v3 -> v4 (h11): the device's offset from UTC when the interview started, in seconds east of
// UTC (the local start time is started_ms + 1000 * started_offset_s); NULL for interviews
// started before the app recorded it, which stays unknown (never guessed from today's zone).
const char *const kV4 = R"sql(
ALTER TABLE responses ADD COLUMN started_offset_s INTEGER;
)sql";

// v4 -> v5, the area check (i12): whether the tablet found the interview's fix inside the case study's
// area, the distance to its boundary in metres (inside or outside; NULL when unknown) and the
// area version it judged against (0: none held).
const char *const kAreaCheck = R"sql(
ALTER TABLE responses ADD COLUMN inside_area TEXT NOT NULL DEFAULT 'unknown'
    CHECK (inside_area IN ('unknown', 'yes', 'no'));
ALTER TABLE responses ADD COLUMN distance_to_area_m REAL;
ALTER TABLE responses ADD COLUMN area_version INTEGER NOT NULL DEFAULT 0;
)sql";

// v5 -> v6 (p16c): each finalised response's answers packed in one blob (packedanswers.h),
// written by finalise() in its transaction and cleared by reopen(), so building a batch reads
// one row per response instead of one per answer. NULL for drafts; a NULL or damaged blob is
// read from the answers rows instead. packFinalised() fills it for what already waits to be sent.
const char *const kPackedAnswers = R"sql(
ALTER TABLE responses ADD COLUMN answers_packed BLOB;
)sql";

// The row id and revision of each finalised response that waits to be sent (what an upgrade packs).
QList<std::pair<qint64, int>> waitingToBeSent(SqliteDb &db)
{
    SqliteDb::Query rows = db.query("SELECT id, revision FROM responses WHERE synced = 0 "
                                    "AND status IN ('complete', 'refused', 'partial', 'screened_out')");
    QList<std::pair<qint64, int>> ids;
    while (rows.next())
        ids.append({rows.int64(0), int(rows.int64(1))});
    return ids;
}

void packFinalised(SqliteDb &db)
{
    for (const auto &[id, revision] : waitingToBeSent(db)) {
        QMap<QString, QString> answers;
        SqliteDb::Query a = db.query("SELECT question, value FROM answers WHERE response_id = ?");
        a.bind(1, id);
        while (a.next())
            answers.insert(a.text(0), a.text(1));
        db.query("UPDATE responses SET answers_packed = ? WHERE id = ?")
            .bindBlob(1, packedanswers::pack(answers, revision))
            .bind(2, id)
            .run();
    }
}

// v6 -> v7 (p16e): each finalised response's paradata packed in one blob (packedparadata.h),
// beside its packed answers: written by finalise() in its transaction (rewritten when an event
// is appended to a finalised response), cleared by reopen() and the acknowledgement, so
// building a batch reads no paradata rows (~40 per vox pop). NULL or damaged: the rows are
// read instead. packFinalisedParadata() fills it for what already waits to be sent.
const char *const kPackedParadata = R"sql(
ALTER TABLE responses ADD COLUMN paradata_packed BLOB;
)sql";

void packFinalisedParadata(SqliteDb &db)
{
    for (const auto &[id, revision] : waitingToBeSent(db)) {
        QList<ParadataEvent> events;
        SqliteDb::Query e = db.query("SELECT time_ms, kind, question, detail FROM paradata "
                                     "WHERE response_id = ? ORDER BY time_ms, id");
        e.bind(1, id);
        bool known = true;
        while (e.next()) {
            ParadataEvent event;
            event.time = e.time(0);
            known = known && paradataKindFromName(e.text(1), &event.kind);
            event.question = e.text(2);
            event.detail = e.text(3);
            events.append(event);
        }
        // A row of an unknown kind stays for the rows' reader to report (NULL: it reads them).
        if (!known)
            continue;
        db.query("UPDATE responses SET paradata_packed = ? WHERE id = ?")
            .bindBlob(1, packedparadata::pack(events, revision))
            .bind(2, id)
            .run();
    }
}

// steps[i] takes a store from version i to version i + 1; fills[i], when set, then converts
// the rows in the same transaction.
const char *const kSteps[] = {kV1, kV2, kV3, kV4, kAreaCheck, kPackedAnswers, kPackedParadata};
void (*const kFills[])(SqliteDb &) = {nullptr, nullptr, nullptr, nullptr, nullptr, packFinalised,
                                      packFinalisedParadata};
static_assert(std::size(kFills) == std::size(kSteps));

static_assert(std::size(kSteps) == StoreSchema::kCurrentVersion);

[[noreturn]] void corrupt(const QString &path, const QString &why)
{
    throw StoreError(StoreError::Code::Corrupt,
                     QStringLiteral("Device store %1 is corrupt or not a Kerbside store: %2. "
                                    "It was left untouched; copy it off the device for recovery.")
                         .arg(path, why));
}

} // namespace

const char *StoreSchema::v1Ddl()
{
    return kV1;
}

QString StoreSchema::markerPath(const QString &path)
{
    return path + QStringLiteral(".created");
}

void StoreSchema::checkFileHeader(const QString &path)
{
    QFile file(path);
    if (!file.exists()) {
        // A new store, unless this tablet has had one here: then the responses it held must
        // not silently become an empty store.
        QFile marker(markerPath(path));
        if (marker.exists() && marker.open(QIODevice::ReadOnly)) {
            throw StoreError(
                StoreError::Code::Corrupt,
                QStringLiteral("Device store %1 is missing, but this tablet kept its survey data "
                               "there (%2). Put the file back (it may be on a backup or a USB "
                               "stick), or ask your coordinator; delete %3 only to start again "
                               "with an empty store.")
                    .arg(path, QString::fromUtf8(marker.readAll()).trimmed(), markerPath(path)));
        }
        return;
    }
    if (file.size() == 0) {
        // New stores are written under another name and renamed, so an empty file here is
        // damage (a failed copy, a full disk), never a store just being created.
        corrupt(path, QStringLiteral("the file is empty (0 bytes); the survey data it should "
                                     "hold is not in it"));
    }
    if (!file.open(QIODevice::ReadOnly)) {
        throw StoreError(StoreError::Code::Io, QStringLiteral("Device store %1 cannot be read: %2")
                                                   .arg(path, file.errorString()));
    }
    const qint64 size = file.size();
    const QByteArray header = file.read(100); // the SQLite database header
    if (header.size() < 100)
        corrupt(path, QStringLiteral("the file is only %1 bytes long").arg(size));
    if (!header.startsWith(QByteArrayLiteral("SQLite format 3\0")))
        corrupt(path, QStringLiteral("it is not an SQLite database (unknown header bytes)"));

    const auto *p = reinterpret_cast<const uchar *>(header.constData());
    qint64 pageSize = (p[16] << 8) | p[17];
    if (pageSize == 1)
        pageSize = 65536;
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) != 0)
        corrupt(path, QStringLiteral("its header has an impossible page size (%1)").arg(pageSize));
    // No guess from the file's length: after a full disk most of an intact store can sit in
    // its WAL, and the header's page count then says more than the main file holds. Whether
    // the pages are all there is SQLite's call (quick_check in prepare()).
}

std::unique_ptr<SqliteDb> StoreSchema::createFile(const QString &path)
{
    // Built under a temporary name and renamed: a store file at `path` is never empty.
    const QString temp = path + QStringLiteral(".new");
    for (const QString &stale : {temp, temp + QStringLiteral("-wal"), temp + QStringLiteral("-shm")})
        QFile::remove(stale);
    {
        std::unique_ptr<SqliteDb> db = SqliteDb::openFile(temp, SqliteDb::OpenMode::Create);
        prepare(*db);
    } // closing checkpoints the WAL into the file
    if (!QFile::rename(temp, path))
        throw StoreError(StoreError::Code::Io,
                         QStringLiteral("Device store %1: cannot move the new store into place").arg(path));
    return SqliteDb::openFile(path, SqliteDb::OpenMode::Existing);
}

void StoreSchema::prepare(SqliteDb &db)
{
    const QString path = db.path();
    // Only reads until the file is known to be ours: a foreign file must stay untouched.
    const qint64 applicationId = db.scalar("PRAGMA application_id");
    const qint64 version = db.scalar("PRAGMA user_version");
    const qint64 tables = db.scalar("SELECT count(*) FROM sqlite_schema");

    if (applicationId == 0 && version == 0 && tables == 0) {
        // A new (empty) file.
    } else if (applicationId != kApplicationId) {
        throw StoreError(
            StoreError::Code::Foreign,
            QStringLiteral("%1 is an SQLite database of another application (application_id %2, "
                           "%3 schema objects), not a Kerbside device store. It was left "
                           "untouched.")
                .arg(path)
                .arg(applicationId)
                .arg(tables));
    } else if (version > kCurrentVersion) {
        throw StoreError(StoreError::Code::TooNew,
                         QStringLiteral("Device store %1 has schema version %2, newer than this "
                                        "app understands (%3). Update the app; the file was "
                                        "left untouched.")
                             .arg(path)
                             .arg(version)
                             .arg(kCurrentVersion));
    } else if (version <= 0) {
        corrupt(path, QStringLiteral("it is marked as a Kerbside store but has no schema version"));
    }

    if (version > 0) {
        // SQLite's own verdict on the pages (b-trees, free list, record formats; not the
        // cross-checks of integrity_check). Throws Corrupt on damage: the caller salvages.
        SqliteDb::Query check = db.query("PRAGMA quick_check(8)");
        QStringList found;
        while (check.next())
            found << check.text(0);
        if (found != QStringList {QStringLiteral("ok")})
            corrupt(path, QStringLiteral("SQLite's check found damage: %1").arg(found.join(QStringLiteral("; "))));
    }

    // WAL: readers never block the writer; synchronous=FULL: each commit is fsync'd to the WAL
    // before it returns, so a power cut right after a call loses nothing.
    {
        SqliteDb::Query mode = db.query("PRAGMA journal_mode = WAL");
        if (!mode.next() || mode.text(0).compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0) {
            throw StoreError(StoreError::Code::Io,
                             QStringLiteral("Device store %1: cannot switch to WAL mode")
                                 .arg(path));
        }
    }
    db.exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
            "PRAGMA journal_size_limit = 4194304", // bytes the WAL keeps after a checkpoint
            "setting the store's pragmas");

    if (version < kCurrentVersion)
        migrate(db, int(version));

    // Every table the code uses must be there (a damaged schema is not silently repaired).
    for (const char *table : {"responses", "answers", "contacts", "settings", "paradata"}) {
        SqliteDb::Query q =
            db.query("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?");
        q.bind(1, QString::fromLatin1(table));
        if (!q.next())
            corrupt(path, QStringLiteral("table %1 is missing").arg(QLatin1String(table)));
    }
    // ... and the index the outbox reads by name (DeviceStore::outbox, INDEXED BY).
    if (db.scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'responses_outbox'") != 1)
        corrupt(path, QStringLiteral("index responses_outbox is missing"));
}

void StoreSchema::migrate(SqliteDb &db, int from)
{
    // Steps that rebuild a table need foreign keys off (a no-op inside a transaction).
    db.exec("PRAGMA foreign_keys = OFF", "migrating the schema");
    for (int v = from; v < kCurrentVersion; ++v) {
        SqliteDb::Transaction tx(db);
        db.exec(kSteps[v], qPrintable(QStringLiteral("migrating the schema from version %1 to %2")
                                          .arg(v)
                                          .arg(v + 1)));
        if (kFills[v])
            kFills[v](db);
        if (db.scalar("SELECT count(*) FROM pragma_foreign_key_check") != 0)
            corrupt(db.path(), QStringLiteral("migrating to schema version %1 left rows whose response is "
                                              "missing (it was rolled back)").arg(v + 1));
        // Pragmas take no parameters; both values are our own integers.
        const QByteArray pragmas = QByteArrayLiteral("PRAGMA application_id = ")
                                   + QByteArray::number(kApplicationId)
                                   + QByteArrayLiteral("; PRAGMA user_version = ")
                                   + QByteArray::number(v + 1);
        db.exec(pragmas.constData(), "writing the schema version");
        tx.commit();
    }
    db.exec("PRAGMA foreign_keys = ON", "migrating the schema");
}

} // namespace kerbside
