// SPDX-License-Identifier: Apache-2.0
// For tests that turn a database this collector wrote back into an older schema version: its
// packed paradata (schema 11, paradatapack.h) become version 10's `paradata` table again, a
// row per event, and the columns step 11 adds go, so the upgrade meets what it would in the field.
#pragma once

#include "answerdictionary.h"
#include "paradatapack.h"
#include "postgresconnection.h"
#include "sqliteconnection.h"

#include <stdexcept>

namespace kerbside::test {

struct Version10Event
{
    qint64 versionId;
    qint64 seq;
    ParadataEvent event;
};

// SQLite: `location` is the file; PostgreSQL: its URL. Returns how many events became rows.
inline qint64 unpackParadataToVersion10(const QString &location, bool postgres)
{
    AnswerDictionaries dictionaries;
    QList<Version10Event> rows;
    const auto unpack = [&](qint64 id, const QByteArray &packed, const QString &formId, const QString &version,
                            const QVariant &startedMs, const AnswerDictionaries::Loader &load) {
        const auto d = dictionaries.find(formId, version, load);
        QList<ParadataEvent> events;
        const QDateTime started = startedMs.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(startedMs.toLongLong(), Qt::UTC);
        if (!paradatapack::unpack(packed.constData(), packed.size(), &events, d.get(), started))
            throw std::runtime_error("a stored paradata pack does not unpack");
        for (qsizetype i = 0; i < events.size(); ++i)
            rows.append({id, qint64(i), events[i]});
    };
    const char *create = "CREATE TABLE paradata (version_id BIGINT NOT NULL, seq INTEGER NOT NULL, time_ms BIGINT,"
                         " kind TEXT NOT NULL, question TEXT NOT NULL, detail TEXT NOT NULL, PRIMARY KEY (version_id, seq))";
    const char *drop = "ALTER TABLE response_versions DROP COLUMN paradata;"
                       " ALTER TABLE response_versions DROP COLUMN changes;"
                       " ALTER TABLE response_versions DROP COLUMN language_switched";
    if (postgres) {
        PgConnection pg(location);
        const AnswerDictionaries::Loader load = [&pg](const QString &id, const QString &v) {
            const PgResult r = pg.exec("SELECT json FROM forms WHERE form_id = $1 AND version = $2", PgParams().add(id).add(v));
            return r.rows() ? r.blob(0, 0) : QByteArray();
        };
        const PgResult v = pg.exec("SELECT id, paradata, form_id, form_version, started_ms FROM response_versions"
                                   " WHERE paradata IS NOT NULL ORDER BY id");
        for (int i = 0; i < v.rows(); ++i)
            unpack(v.int64(i, 0), v.blob(i, 1), v.text(i, 2), v.text(i, 3),
                   v.isNull(i, 4) ? QVariant() : QVariant(v.int64(i, 4)), load);
        pg.exec("BEGIN");
        pg.exec(create);
        for (const Version10Event &r : std::as_const(rows))
            pg.exec("INSERT INTO paradata (version_id, seq, time_ms, kind, question, detail) VALUES ($1, $2, $3, $4, $5, $6)",
                    PgParams().add(r.versionId).add(r.seq).addTime(r.event.time).add(paradataKindName(r.event.kind))
                        .add(r.event.question).add(r.event.detail));
        pg.exec(drop);
        pg.exec("COMMIT");
    } else {
        SqliteConnection db(location);
        const AnswerDictionaries::Loader load = [&db](const QString &id, const QString &v) {
            auto s = db.prepare("SELECT json FROM forms WHERE form_id = ?1 AND version = ?2");
            return s.bind(1, id).bind(2, v).next() ? s.blob(0) : QByteArray();
        };
        {
            auto v = db.prepare("SELECT id, paradata, form_id, form_version, started_ms FROM response_versions"
                                " WHERE paradata IS NOT NULL ORDER BY id");
            while (v.next())
                unpack(v.int64(0), v.blob(1), v.text(2), v.text(3), v.isNull(4) ? QVariant() : QVariant(v.int64(4)), load);
        }
        db.exec("BEGIN");
        db.exec(create);
        {
            auto insert = db.prepare("INSERT INTO paradata (version_id, seq, time_ms, kind, question, detail)"
                                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
            for (const Version10Event &r : std::as_const(rows))
                insert.reset().bind(1, r.versionId).bind(2, r.seq).bindTime(3, r.event.time)
                    .bind(4, paradataKindName(r.event.kind)).bind(5, r.event.question).bind(6, r.event.detail).run();
        }
        db.exec(drop);
        db.exec("COMMIT");
    }
    return rows.size();
}

} // namespace kerbside::test
