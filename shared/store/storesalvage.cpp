// SPDX-License-Identifier: Apache-2.0
#include "storesalvage.h"

#include "outboxjournal.h"
#include "sqlitedb.h"
#include "storeschema.h"
#include "storetypes.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QMap>

#include <sqlite3.h>

#include <cstdint>
#include <utility>

namespace kerbside {

namespace {

/** A table to copy and how to walk it in key order, so that a read error can be stepped over
 *  by starting again after the last key read. */
struct TableWalk
{
    const char *name;
    const char *keyColumns; // ORDER BY and the row value compared with the last one
    int keyCount;
    bool integerKey; // rowid: a damaged run can be skipped by jumping ahead
};

constexpr TableWalk kTables[] = {
    {"settings", "key", 1, false},
    {"responses", "rowid", 1, true},
    {"answers", "response_id, question", 2, false},
    {"paradata", "rowid", 1, true},
    {"contacts", "rowid", 1, true},
};

QStringList columnsOf(sqlite3 *db, const char *table)
{
    QStringList out;
    sqlite3_stmt *st = nullptr;
    const QByteArray sql = QByteArrayLiteral("PRAGMA table_info(") + table + ')';
    if (sqlite3_prepare_v2(db, sql.constData(), -1, &st, nullptr) != SQLITE_OK)
        return out;
    while (sqlite3_step(st) == SQLITE_ROW)
        out << QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(st, 1)));
    sqlite3_finalize(st);
    return out;
}

struct Copied
{
    int rows = 0;
    int unreadable = 0;
};

// Copies the rows of one table that SQLite can still read, in key order.
Copied copyTable(sqlite3 *src, sqlite3 *dst, const TableWalk &t)
{
    Copied result;
    QStringList columns;
    const QStringList have = columnsOf(src, t.name);
    for (const QString &c : columnsOf(dst, t.name)) {
        // Packed answers and paradata are copies that the rows salvaged (or restored from the
        // journal) may no longer match: left NULL, so the outbox reads the rows.
        if (have.contains(c) && c != QLatin1String("answers_packed") && c != QLatin1String("paradata_packed"))
            columns << c;
    }
    if (columns.isEmpty()) {
        ++result.unreadable; // the table (or the schema naming it) is gone
        return result;
    }
    const QByteArray list = columns.join(QStringLiteral(", ")).toUtf8();
    QByteArray placeholders = "?";
    for (qsizetype i = 1; i < columns.size(); ++i)
        placeholders += ", ?";
    // The key columns are read first (again) so that the walk can resume after them.
    const QByteArray select = QByteArrayLiteral("SELECT ") + t.keyColumns + ", " + list + " FROM "
                              + t.name + " WHERE (" + t.keyColumns + ") > ("
                              + (t.keyCount == 2 ? "?, ?" : "?") + ") ORDER BY " + t.keyColumns;
    const QByteArray insert = QByteArrayLiteral("INSERT OR IGNORE INTO ") + t.name + " (" + list
                              + ") VALUES (" + placeholders + ")";
    sqlite3_stmt *ins = nullptr;
    if (sqlite3_prepare_v2(dst, insert.constData(), -1, &ins, nullptr) != SQLITE_OK) {
        ++result.unreadable;
        return result;
    }
    // The last key read: starts below every key (NULL compares lowest only with IS, so use
    // the smallest values of each type).
    qint64 lastInt = INT64_MIN;
    QList<QByteArray> lastText(t.keyCount);
    qint64 lastResponse = INT64_MIN;
    qint64 skip = 1;
    int failuresInARow = 0;
    for (;;) {
        sqlite3_stmt *sel = nullptr;
        if (sqlite3_prepare_v2(src, select.constData(), -1, &sel, nullptr) != SQLITE_OK) {
            ++result.unreadable;
            break;
        }
        if (t.integerKey) {
            sqlite3_bind_int64(sel, 1, lastInt);
        } else if (t.keyCount == 2) {
            sqlite3_bind_int64(sel, 1, lastResponse);
            sqlite3_bind_text(sel, 2, lastText[1].constData(), int(lastText[1].size()), SQLITE_TRANSIENT);
        } else {
            sqlite3_bind_text(sel, 1, lastText[0].constData(), int(lastText[0].size()), SQLITE_TRANSIENT);
        }
        bool progressed = false;
        int rc;
        while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
            progressed = true;
            failuresInARow = 0;
            skip = 1;
            if (t.integerKey) {
                lastInt = sqlite3_column_int64(sel, 0);
            } else if (t.keyCount == 2) {
                lastResponse = sqlite3_column_int64(sel, 0);
                lastText[1] = QByteArray(reinterpret_cast<const char *>(sqlite3_column_text(sel, 1)),
                                         sqlite3_column_bytes(sel, 1));
            } else {
                lastText[0] = QByteArray(reinterpret_cast<const char *>(sqlite3_column_text(sel, 0)),
                                         sqlite3_column_bytes(sel, 0));
            }
            for (int i = 0; i < int(columns.size()); ++i)
                sqlite3_bind_value(ins, i + 1, sqlite3_column_value(sel, t.keyCount + i));
            const int irc = sqlite3_step(ins);
            sqlite3_reset(ins);
            sqlite3_clear_bindings(ins);
            if (irc == SQLITE_DONE)
                ++result.rows;
            else
                ++result.unreadable; // e.g. an answer whose response was lost
        }
        sqlite3_finalize(sel);
        if (rc == SQLITE_DONE)
            break;
        ++result.unreadable;
        // A read error: resume after the last key. Without progress, jump over the damaged run
        // of rowids (doubling), and give up on text keys, which cannot be jumped.
        if (!progressed) {
            if (!t.integerKey || ++failuresInARow > 48)
                break;
            lastInt = lastInt == INT64_MIN ? 0 : lastInt + skip;
            skip *= 2;
        }
    }
    sqlite3_finalize(ins);
    return result;
}

// Puts back, from the outbox journal, every finalised response the salvaged store lacks or
// holds at an older revision. Returns how many.
int replayJournal(SqliteDb &db, const QString &journalPath)
{
    const OutboxJournal::ReadResult journal = OutboxJournal::read(journalPath);
    QMap<QString, const OutboxJournal::Entry *> newest;
    for (const OutboxJournal::Entry &e : journal.entries) {
        const OutboxJournal::Entry *&slot = newest[e.response.meta.uuid];
        if (!slot || slot->response.meta.revision <= e.response.meta.revision)
            slot = &e;
    }
    int replayed = 0;
    for (const OutboxJournal::Entry *e : std::as_const(newest)) {
        const ResponseMeta &m = e->response.meta;
        SqliteDb::Query find = db.query("SELECT id, revision FROM responses WHERE uuid = ?");
        find.bind(1, m.uuid);
        qint64 id = 0;
        if (find.next()) {
            if (find.int64(1) > m.revision)
                continue; // the store has a newer revision (a draft being revised)
            id = find.int64(0);
            if (find.int64(1) == m.revision) {
                // The same revision: keep the store's row unless the damage took answers.
                QMap<QString, QString> have;
                SqliteDb::Query a = db.query("SELECT question, value FROM answers WHERE response_id = ?");
                a.bind(1, id);
                while (a.next())
                    have.insert(a.text(0), a.text(1));
                if (have == e->response.answers)
                    continue;
            }
        }
        auto meta = [&](SqliteDb::Query &q) {
            q.bind(1, m.uuid).bind(2, m.formId).bind(3, m.formVersion).bind(4, m.caseStudy);
            q.bind(5, m.enumerator).bind(6, m.deviceId).bind(7, responseStatusName(m.status));
            q.bind(8, m.revision).bindTime(9, m.started).bindTime(10, m.ended);
            q.bindTime(11, m.updated.isValid() ? m.updated : m.ended);
            q.bind(12, m.location.latitude).bind(13, m.location.longitude);
            q.bind(14, m.location.altitude).bind(15, m.location.accuracy).bindTime(16, m.location.time);
            q.bind(17, m.language).bind(18, insideAreaName(m.area.inside)).bind(19, m.area.distanceMetres);
            q.bind(20, qint64(m.area.areaVersion));
            if (m.startedUtcOffset)
                q.bind(21, *m.startedUtcOffset);
            else
                q.bindNull(21);
        };
        if (id == 0) {
            SqliteDb::Query q = db.query(
                "INSERT INTO responses(uuid, form_id, form_version, case_study, enumerator, device_id, "
                "status, revision, started_ms, ended_ms, updated_ms, latitude, longitude, altitude, "
                "accuracy, fix_ms, language, inside_area, distance_to_area_m, area_version, started_offset_s, synced) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)");
            meta(q);
            q.run();
            id = db.lastInsertId();
        } else {
            SqliteDb::Query q = db.query(
                "UPDATE responses SET uuid = ?, form_id = ?, form_version = ?, case_study = ?, "
                "enumerator = ?, device_id = ?, status = ?, revision = ?, started_ms = ?, ended_ms = ?, "
                "updated_ms = ?, latitude = ?, longitude = ?, altitude = ?, accuracy = ?, fix_ms = ?, "
                "language = ?, inside_area = ?, distance_to_area_m = ?, area_version = ?, started_offset_s = ?, "
                "synced = 0 WHERE id = ?");
            meta(q);
            q.bind(22, id);
            q.run();
            db.query("DELETE FROM answers WHERE response_id = ?").bind(1, id).run();
            db.query("DELETE FROM paradata WHERE response_id = ?").bind(1, id).run();
        }
        for (auto it = e->response.answers.cbegin(); it != e->response.answers.cend(); ++it) {
            db.query("INSERT INTO answers(response_id, question, value) VALUES (?, ?, ?)")
                .bind(1, id)
                .bind(2, it.key())
                .bind(3, it.value())
                .run();
        }
        for (const ParadataEvent &p : e->paradata) {
            db.query("INSERT INTO paradata(response_id, time_ms, kind, question, detail) VALUES (?, ?, ?, ?, ?)")
                .bind(1, id)
                .bindTime(2, p.time)
                .bind(3, paradataKindName(p.kind))
                .bind(4, p.question)
                .bind(5, p.detail)
                .run();
        }
        ++replayed;
    }
    return replayed;
}

} // namespace

QString StoreOpenReport::message() const
{
    if (!salvaged)
        return {};
    QString text = QStringLiteral(
                       "The survey data on this tablet was damaged. The damaged file was kept "
                       "unchanged as %1; copy it off the tablet for your coordinator. Kerbside "
                       "copied everything it could read into a new store: %2 responses (%3 of "
                       "them finished and not sent yet), %4 answers and %5 contact log entries.")
                       .arg(QFileInfo(damagedCopy).fileName())
                       .arg(responses)
                       .arg(unsent)
                       .arg(answers)
                       .arg(contacts);
    if (fromJournal > 0)
        text += QStringLiteral(" %1 finished responses were restored from the tablet's second copy.")
                    .arg(fromJournal);
    if (unreadable > 0)
        text += QStringLiteral(" Some records could not be read (%1 read errors).").arg(unreadable);
    else
        text += QStringLiteral(" Nothing unreadable was found.");
    return text;
}

StoreOpenReport StoreSalvage::salvage(const QString &path, const QString &damage)
{
    StoreOpenReport report;
    report.salvaged = true;
    report.damage = damage;
    const QString stamp = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss"));
    QString copy = path + QStringLiteral(".damaged-") + stamp;
    for (int n = 2; QFile::exists(copy); ++n)
        copy = path + QStringLiteral(".damaged-") + stamp + QLatin1Char('-') + QString::number(n);
    // The WAL goes with its database (SQLite finds it by name); the -shm index is rebuilt.
    if (!QFile::rename(path, copy))
        throw StoreError(StoreError::Code::Io,
                         QStringLiteral("Device store %1 is damaged (%2) and could not be set aside "
                                        "for recovery; it was left untouched.")
                             .arg(path, damage));
    if (QFile::exists(path + QStringLiteral("-wal")))
        QFile::rename(path + QStringLiteral("-wal"), copy + QStringLiteral("-wal"));
    QFile::remove(path + QStringLiteral("-shm"));
    report.damagedCopy = copy;

    // Reads with checkpoints off, so the damaged pair stays byte for byte as it was.
    std::unique_ptr<SqliteDb> src = SqliteDb::openFile(copy, SqliteDb::OpenMode::ReadNoCheckpoint);
    std::unique_ptr<SqliteDb> dst = StoreSchema::createFile(path);
    {
        SqliteDb::Transaction tx(*dst);
        for (const TableWalk &t : kTables) {
            const Copied c = copyTable(src->handle(), dst->handle(), t);
            report.unreadable += c.unreadable;
            const QLatin1StringView name(t.name);
            if (name == QLatin1String("responses"))
                report.responses = c.rows;
            else if (name == QLatin1String("answers"))
                report.answers = c.rows;
            else if (name == QLatin1String("contacts"))
                report.contacts = c.rows;
            else if (name == QLatin1String("settings"))
                report.settings = c.rows;
            else
                report.paradata = c.rows;
        }
        report.fromJournal = replayJournal(*dst, OutboxJournal::pathFor(path));
        tx.commit();
    }
    report.responses = int(dst->scalar("SELECT count(*) FROM responses"));
    report.unsent = int(dst->scalar("SELECT count(*) FROM responses WHERE synced = 0 "
                                    "AND status NOT IN ('draft', 'discarded')"));
    return report;
}

} // namespace kerbside
