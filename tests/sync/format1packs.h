// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "answerdictionary.h"
#include "answerpack.h"
#include "voxpopform.h"

#include "form/formloader.h"

#include <QFile>
#include <QList>
#include <QPair>

#include <catch2/catch.hpp>
#include <sqlite3.h>

namespace kerbside::test {

/** Rewrites every vox-pop answer pack of an SQLite collector file in format 1 (names and values
 *  spelt out), as collectors before schema 9 wrote them; the schema version is left alone. */
inline void repackAsFormat1(const QString &path)
{
    QFile f(voxpopFormPath());
    REQUIRE(f.open(QIODevice::ReadOnly));
    const AnswerDictionary d(*FormLoader::loadJson(f.readAll()).form);
    sqlite3 *db = nullptr;
    REQUIRE(sqlite3_open(path.toUtf8().constData(), &db) == SQLITE_OK);
    sqlite3_stmt *read = nullptr, *write = nullptr;
    sqlite3_prepare_v2(db, "SELECT id, answers FROM response_versions", -1, &read, nullptr);
    sqlite3_prepare_v2(db, "UPDATE response_versions SET answers = ?2 WHERE id = ?1", -1, &write, nullptr);
    QList<QPair<qint64, QByteArray>> old;
    while (sqlite3_step(read) == SQLITE_ROW) {
        QList<TypedAnswer> answers;
        REQUIRE(answerpack::unpack(static_cast<const char *>(sqlite3_column_blob(read, 1)), sqlite3_column_bytes(read, 1),
                                   &answers, nullptr, &d));
        old.append({sqlite3_column_int64(read, 0), answerpack::pack(answers)});
    }
    sqlite3_finalize(read);
    for (const auto &[id, packed] : std::as_const(old)) {
        sqlite3_bind_int64(write, 1, id);
        sqlite3_bind_blob(write, 2, packed.constData(), int(packed.size()), SQLITE_TRANSIENT);
        REQUIRE(sqlite3_step(write) == SQLITE_DONE);
        sqlite3_reset(write);
    }
    sqlite3_finalize(write);
    sqlite3_close(db);
}

} // namespace kerbside::test
