// SPDX-License-Identifier: Apache-2.0
// DeviceStore against real SQLite files in a QTemporaryDir.
#include <catch2/catch.hpp>

#include "store/crc32.h"
#include "store/devicestore.h"
#include "store/storeschema.h"
#include "store/textintern.h"

#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QUuid>

#include <algorithm>
#include <cmath>
#include <functional>

#include <sqlite3.h>

using namespace kerbside;

namespace {

struct TempStore
{
    QTemporaryDir dir;
    QString path = dir.filePath(QStringLiteral("store.sqlite"));
    std::unique_ptr<DeviceStore> store = DeviceStore::open(path);
    void reopen()
    {
        store.reset();
        store = DeviceStore::open(path);
    }
};

NewResponse newResponse(const QString &caseStudy = QStringLiteral("leith"))
{
    NewResponse r;
    r.formId = QStringLiteral("voxpop");
    r.formVersion = QStringLiteral("2024-05-01");
    r.caseStudy = caseStudy;
    r.enumerator = QStringLiteral("ana");
    r.deviceId = QStringLiteral("tab-07");
    r.language = QStringLiteral("en");
    return r;
}

StoreError::Code codeOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const StoreError &e) {
        return e.code();
    }
    FAIL("no StoreError thrown");
    return StoreError::Code::Io;
}

QString messageOf(const std::function<void()> &f)
{
    try {
        f();
    } catch (const StoreError &e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

// Raw SQLite for setting up files and looking under the hood.
struct RawDb
{
    sqlite3 *db = nullptr;
    explicit RawDb(const QString &path)
    {
        REQUIRE(sqlite3_open(QFile::encodeName(path).constData(), &db) == SQLITE_OK);
    }
    ~RawDb() { sqlite3_close(db); }
    void exec(const char *sql)
    {
        char *error = nullptr;
        const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
        INFO((error ? error : ""));
        sqlite3_free(error);
        REQUIRE(rc == SQLITE_OK);
    }
    QString text(const char *sql)
    {
        sqlite3_stmt *stmt = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK);
        QString value;
        if (sqlite3_step(stmt) == SQLITE_ROW)
            value = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
        sqlite3_finalize(stmt);
        return value;
    }
};

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    REQUIRE(f.open(QIODevice::ReadOnly));
    return f.readAll();
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    REQUIRE(f.write(bytes) == bytes.size());
}

} // namespace

TEST_CASE("a new store is a versioned WAL file with our application id", "[store]")
{
    TempStore t;
    CHECK(t.store->schemaVersion() == DeviceStore::currentSchemaVersion());
    CHECK(DeviceStore::currentSchemaVersion() == StoreSchema::kCurrentVersion);
    CHECK(t.store->path() == t.path);
    RawDb raw(t.path);
    CHECK(raw.text("PRAGMA application_id").toInt() == StoreSchema::kApplicationId);
    CHECK(raw.text("PRAGMA user_version") == QString::number(StoreSchema::kCurrentVersion));
    CHECK(raw.text("PRAGMA journal_mode") == QLatin1String("wal"));
}

TEST_CASE("a response round-trips every field", "[store]")
{
    TempStore t;
    NewResponse nr = newResponse();
    nr.started = QDateTime(QDate(2024, 5, 3), QTime(9, 15, 30, 123), Qt::UTC);
    nr.startedUtcOffset = -(4 * 3600 + 30 * 60); // Caracas before 2016: UTC-04:30
    const QString uuid = t.store->createResponse(nr);
    CHECK(!QUuid::fromString(uuid).isNull());

    t.store->setAnswer(uuid, QStringLiteral("age"), QStringLiteral("42"));
    t.store->setAnswer(uuid, QStringLiteral("name"), QStringLiteral("Zoë «Ł» 北京 🚲"));
    t.store->setAnswer(uuid, QStringLiteral("empty"), QString());
    t.store->setAnswer(uuid, QStringLiteral("multi"), QStringLiteral("a b\nc"));
    t.store->setAnswer(uuid, QStringLiteral("age"), QStringLiteral("43")); // upsert
    t.store->setAnswer(uuid, QStringLiteral("gone"), QStringLiteral("x"));
    t.store->clearAnswer(uuid, QStringLiteral("gone"));
    Location loc;
    loc.latitude = 55.9760412;
    loc.longitude = -3.1726583;
    loc.altitude = 12.5;
    loc.accuracy = 4.2;
    loc.time = QDateTime(QDate(2024, 5, 3), QTime(9, 16, 1, 7), Qt::UTC);
    t.store->setLocation(uuid, loc);
    t.store->setCursor(uuid, QStringLiteral("q7"));
    t.store->setLanguage(uuid, QStringLiteral("gd"));

    t.reopen(); // everything must come from the file
    const std::optional<Response> r = t.store->response(uuid);
    REQUIRE(r);
    const ResponseMeta &m = r->meta;
    CHECK(m.uuid == uuid);
    CHECK(m.formId == nr.formId);
    CHECK(m.formVersion == nr.formVersion);
    CHECK(m.caseStudy == nr.caseStudy);
    CHECK(m.enumerator == nr.enumerator);
    CHECK(m.deviceId == nr.deviceId);
    CHECK(m.status == ResponseStatus::Draft);
    CHECK(m.revision == 1);
    CHECK(m.started == nr.started);
    CHECK(m.started.timeSpec() == Qt::UTC);
    CHECK(m.startedUtcOffset == -(4 * 3600 + 30 * 60));
    CHECK(!m.ended.isValid());
    CHECK(m.updated.isValid());
    CHECK(m.location.isValid());
    CHECK(m.location.latitude == loc.latitude);
    CHECK(m.location.longitude == loc.longitude);
    CHECK(m.location.altitude == loc.altitude);
    CHECK(m.location.accuracy == loc.accuracy);
    CHECK(m.location.time == loc.time);
    CHECK(m.language == QLatin1String("gd"));
    CHECK(m.cursor == QLatin1String("q7"));
    CHECK(!m.synced);
    QMap<QString, QString> expected{{QStringLiteral("age"), QStringLiteral("43")},
                                    {QStringLiteral("name"), QStringLiteral("Zoë «Ł» 北京 🚲")},
                                    {QStringLiteral("empty"), QString()},
                                    {QStringLiteral("multi"), QStringLiteral("a b\nc")}};
    CHECK(r->answers == expected);

    // A location without altitude/accuracy keeps them unknown (NaN), and can be cleared.
    Location partial;
    partial.latitude = 1.5;
    partial.longitude = 2.5;
    t.store->setLocation(uuid, partial);
    Location got = t.store->response(uuid)->meta.location;
    CHECK(got.latitude == 1.5);
    CHECK(qIsNaN(got.altitude));
    CHECK(!got.time.isValid());
    t.store->setLocation(uuid, Location{});
    CHECK(!t.store->response(uuid)->meta.location.isValid());

    CHECK(!t.store->response(QStringLiteral("no-such-uuid")));
    CHECK(codeOf([&] { t.store->createResponse(NewResponse{}); }) == StoreError::Code::Invalid);
}

TEST_CASE("a new response starts now unless told otherwise", "[store]")
{
    TempStore t;
    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    const QString uuid = t.store->createResponse(newResponse());
    const ResponseMeta m = t.store->response(uuid)->meta;
    CHECK(m.started >= before);
    CHECK(m.started <= QDateTime::currentDateTimeUtc().addMSecs(1));
    CHECK(m.language == QLatin1String("en"));
}

TEST_CASE("a new response records the tablet's offset from UTC at its start", "[store]")
{
    // The zone the tablet is set to; summer and winter time give different offsets.
    const QByteArray oldTz = qgetenv("TZ");
    qputenv("TZ", "Europe/Warsaw");
    tzset();
    TempStore t;
    NewResponse summer = newResponse();
    summer.started = QDateTime(QDate(2026, 7, 1), QTime(8, 0), Qt::UTC);
    NewResponse winter = newResponse();
    winter.started = QDateTime(QDate(2026, 12, 1), QTime(8, 0), Qt::UTC);
    const QString s = t.store->createResponse(summer);
    const QString w = t.store->createResponse(winter);
    if (oldTz.isNull())
        qunsetenv("TZ");
    else
        qputenv("TZ", oldTz);
    tzset();
    t.reopen();
    CHECK(t.store->response(s)->meta.startedUtcOffset == 2 * 3600);
    CHECK(t.store->response(w)->meta.startedUtcOffset == 3600);
    RawDb raw(t.path);
    CHECK(raw.text("SELECT started_offset_s FROM responses ORDER BY id LIMIT 1") == QLatin1String("7200"));
}

TEST_CASE("finalise locks, drops irrelevant answers and reopen makes a new revision", "[store]")
{
    TempStore t;
    const QString uuid = t.store->createResponse(newResponse());
    for (const char *q : {"a", "b", "c", "d"})
        t.store->setAnswer(uuid, QString::fromLatin1(q), QStringLiteral("v_") + QLatin1String(q));
    const QDateTime ended(QDate(2024, 5, 3), QTime(10, 0, 0, 999), Qt::UTC);
    t.store->finalise(uuid, ResponseStatus::Complete, QStringList{"a", "c", "zz"}, ended);

    Response r = *t.store->response(uuid);
    CHECK(r.meta.status == ResponseStatus::Complete);
    CHECK(r.meta.ended == ended);
    CHECK(r.answers.keys() == QStringList({"a", "c"}));
    CHECK(r.answers.value("c") == QLatin1String("v_c"));

    // Locked: every edit is refused with Locked, and nothing changes.
    CHECK(codeOf([&] { t.store->setAnswer(uuid, "a", "changed"); }) == StoreError::Code::Locked);
    CHECK(codeOf([&] { t.store->clearAnswer(uuid, "a"); }) == StoreError::Code::Locked);
    CHECK(codeOf([&] { t.store->setLocation(uuid, Location{}); }) == StoreError::Code::Locked);
    CHECK(codeOf([&] { t.store->setCursor(uuid, "b"); }) == StoreError::Code::Locked);
    CHECK(codeOf([&] { t.store->setLanguage(uuid, "fr"); }) == StoreError::Code::Locked);
    CHECK(codeOf([&] { t.store->finalise(uuid, ResponseStatus::Refused); })
          == StoreError::Code::Locked);
    CHECK(codeOf([&] { t.store->discard(uuid); }) == StoreError::Code::Locked);
    CHECK(messageOf([&] { t.store->setAnswer(uuid, "a", "x"); }).contains(uuid));
    CHECK(messageOf([&] { t.store->setAnswer(uuid, "a", "x"); }).contains(t.path));
    CHECK(t.store->response(uuid)->answers.value("a") == QLatin1String("v_a"));

    // Not found and invalid.
    CHECK(codeOf([&] { t.store->setAnswer("nope", "a", "x"); }) == StoreError::Code::NotFound);
    CHECK(codeOf([&] { t.store->finalise("nope", ResponseStatus::Complete); })
          == StoreError::Code::NotFound);
    CHECK(codeOf([&] { t.store->reopen("nope"); }) == StoreError::Code::NotFound);
    CHECK(codeOf([&] { t.store->discard("nope"); }) == StoreError::Code::NotFound);
    CHECK(codeOf([&] { t.store->setAnswer(uuid, QString(), "x"); }) == StoreError::Code::Invalid);
    const QString other = t.store->createResponse(newResponse());
    CHECK(codeOf([&] { t.store->finalise(other, ResponseStatus::Draft); })
          == StoreError::Code::Invalid);
    CHECK(codeOf([&] { t.store->finalise(other, ResponseStatus::Discarded); })
          == StoreError::Code::Invalid);
    CHECK(codeOf([&] { t.store->reopen(other); }) == StoreError::Code::Invalid);

    // Reopen: a draft again, revision 2, editable; finalise again (keep = all).
    t.store->reopen(uuid);
    r = *t.store->response(uuid);
    CHECK(r.meta.status == ResponseStatus::Draft);
    CHECK(r.meta.revision == 2);
    CHECK(!r.meta.ended.isValid());
    CHECK(r.answers.size() == 2);
    t.store->setAnswer(uuid, "a", "changed");
    t.store->finalise(uuid, ResponseStatus::Refused);
    r = *t.store->response(uuid);
    CHECK(r.meta.status == ResponseStatus::Refused);
    CHECK(r.meta.revision == 2);
    CHECK(r.meta.ended.isValid());
    CHECK(r.answers.value("a") == QLatin1String("changed"));
    CHECK(r.answers.size() == 2);
}

TEST_CASE("the outbox reads every answer exactly: short ones shared, long and odd ones as they are", "[store]")
{
    TempStore t;
    QList<QMap<QString, QString>> written;
    for (int n = 0; n < 3; ++n) {
        const QString uuid = t.store->createResponse(newResponse());
        QMap<QString, QString> answers;
        for (int len = 1; len < 80; ++len) // either side of the shared texts' 64-byte limit
            answers.insert(QStringLiteral("q%1").arg(len, 2, 10, QLatin1Char('0')), QString(len, QLatin1Char('a' + char(len % 26))));
        answers.insert(QStringLiteral("unicode"), QStringLiteral("zażółć gęślą jaźń 🙂"));
        answers.insert(QStringLiteral("own"), QStringLiteral("only in response %1").arg(n));
        answers.insert(QStringLiteral("empty"), QString());
        for (auto it = answers.cbegin(); it != answers.cend(); ++it)
            t.store->setAnswer(uuid, it.key(), it.value());
        t.store->finalise(uuid, ResponseStatus::Complete);
        written.append(answers);
    }
    const OutboxBatch batch = t.store->outbox();
    REQUIRE(batch.responses.size() == 3);
    for (int n = 0; n < 3; ++n)
        CHECK(batch.responses[n].answers == written[n]);
    // A short text read twice is one QString; a long one is read as it is each time.
    const auto &a = batch.responses[0].answers, &b = batch.responses[1].answers;
    CHECK(a.value(QStringLiteral("q10")).constData() == b.value(QStringLiteral("q10")).constData());
    CHECK(a.find(QStringLiteral("q10")).key().constData() == b.find(QStringLiteral("q10")).key().constData());
    CHECK(a.value(QStringLiteral("q70")) == b.value(QStringLiteral("q70")));
    CHECK(a.value(QStringLiteral("q70")).constData() != b.value(QStringLiteral("q70")).constData());
}

TEST_CASE("CRC-32 is zlib's, four bytes a step or one", "[store]")
{
    CHECK(crc32(QByteArrayView("123456789")) == 0xCBF43926u); // the check value of CRC-32/ISO-HDLC
    CHECK(crc32(QByteArrayView()) == 0u);
    // python3 -c "import zlib; print(hex(zlib.crc32(bytes(range(256)) * 3 + b'xyz')))"
    const QByteArray bytes = [] {
        QByteArray b;
        for (int r = 0; r < 3; ++r)
            for (int i = 0; i < 256; ++i)
                b.append(char(i));
        return b + "xyz";
    }();
    CHECK(crc32(bytes) == 0x43906281u);
}

TEST_CASE("the outbox reads packed answers, and refuses a damaged or stale blob for the rows", "[store]")
{
    TempStore t;
    const QMap<QString, QString> answers{{"age", "42"}, {"name", "Zoë"}, {"note", "a longer text with ünïcode"}};
    const auto finalised = [&] {
        const QString uuid = t.store->createResponse(newResponse());
        t.store->changeAnswers(uuid, answers, {});
        t.store->finalise(uuid, ResponseStatus::Complete);
        return uuid;
    };
    const QString a = finalised(), b = finalised(), c = finalised(), d = finalised();
    {
        RawDb raw(t.path);
        CHECK(raw.text("SELECT count(*) FROM responses WHERE answers_packed IS NOT NULL") == QLatin1String("4"));
        // The blob alone is what the outbox reads: with the rows changed under it, it still
        // sends what was finalised.
        raw.exec("UPDATE answers SET value = 'rows' WHERE response_id = 1 AND question = 'age'");
        // One byte flipped in b's blob (the CRC no longer matches), c's cut short, d's
        // claiming another revision: each refused, and its answers read from the rows.
        raw.exec("UPDATE responses SET answers_packed = "
                 "substr(answers_packed, 1, 20) || x'ff' || substr(answers_packed, 22) WHERE id = 2");
        raw.exec("UPDATE responses SET answers_packed = substr(answers_packed, 1, 30) WHERE id = 3");
        raw.exec("UPDATE responses SET revision = 2 WHERE id = 4");
        raw.exec("UPDATE answers SET value = 'from rows' WHERE question = 'note' AND response_id IN (2, 3, 4)");
    }
    t.reopen();
    const OutboxBatch batch = t.store->outbox();
    REQUIRE(batch.responses.size() == 4);
    QMap<QString, QString> fromRows = answers;
    fromRows.insert("note", "from rows");
    CHECK(batch.responses[0].meta.uuid == a);
    CHECK(batch.responses[0].answers == answers);
    for (int i = 1; i < 4; ++i) {
        INFO(i);
        CHECK(batch.responses[i].answers == fromRows);
    }
    // Reopening drops the blob (the answers may change); finalising again packs the new ones.
    t.store->reopen(b);
    {
        RawDb raw(t.path);
        CHECK(raw.text("SELECT answers_packed IS NULL FROM responses WHERE id = 2") == QLatin1String("1"));
    }
    t.store->setAnswer(b, "age", "43");
    t.store->finalise(b, ResponseStatus::Complete, QStringList{"age", "name"});
    const OutboxBatch again = t.store->outbox();
    const auto it = std::find_if(again.responses.cbegin(), again.responses.cend(),
                                 [&](const Response &r) { return r.meta.uuid == b; });
    REQUIRE(it != again.responses.cend());
    CHECK(it->meta.revision == 2);
    CHECK(it->answers == QMap<QString, QString>{{"age", "43"}, {"name", "Zoë"}});
    CHECK(t.store->response(b)->answers == it->answers);
    // Acknowledged: the packed copy goes (least data on the tablet), the answers rows stay.
    t.store->acknowledgeRevisions({{b, 2}}, {});
    t.store->acknowledge({c}, {});
    {
        RawDb raw(t.path);
        CHECK(raw.text("SELECT count(*) FROM responses WHERE answers_packed IS NULL AND id IN (2, 3)") == QLatin1String("2"));
        CHECK(raw.text("SELECT count(*) FROM responses WHERE answers_packed IS NOT NULL AND id IN (1, 4)") == QLatin1String("2"));
    }
    CHECK(t.store->response(b)->answers == it->answers);
    (void)d;
}

TEST_CASE("the outbox reads packed paradata, and refuses a damaged or stale blob for the rows", "[store]")
{
    TempStore t;
    const QDateTime t0 = QDateTime::fromMSecsSinceEpoch(1714726800123, Qt::UTC);
    const auto finalised = [&] {
        const QString uuid = t.store->createResponse(newResponse());
        t.store->setAnswer(uuid, "age", "42");
        t.store->recordPageShown(uuid, "age", {{uuid, t0, ParadataEvent::Kind::Shown, "age", {}},
                                               {uuid, t0.addMSecs(900), ParadataEvent::Kind::Changed, "age", {}}});
        t.store->appendParadata({uuid, t0.addMSecs(1500), ParadataEvent::Kind::LanguageSwitched, {}, "cy"});
        t.store->appendParadata({uuid, t0.addMSecs(2000), ParadataEvent::Kind::Finalised, {}, {}});
        t.store->finalise(uuid, ResponseStatus::Complete);
        return uuid;
    };
    const QString a = finalised(), b = finalised(), c = finalised(), d = finalised(), e = finalised();
    const QList<ParadataEvent> written = t.store->paradata(a);
    REQUIRE(written.size() == 4);
    const auto same = [](const QList<ParadataEvent> &x, const QList<ParadataEvent> &y) {
        if (x.size() != y.size())
            return false;
        for (qsizetype i = 0; i < x.size(); ++i) {
            if (x[i].responseUuid != y[i].responseUuid || x[i].time != y[i].time || x[i].kind != y[i].kind
                || x[i].question != y[i].question || x[i].detail != y[i].detail)
                return false;
        }
        return true;
    };
    {
        RawDb raw(t.path);
        CHECK(raw.text("SELECT count(*) FROM responses WHERE paradata_packed IS NOT NULL") == QLatin1String("5"));
        // The blob alone is what the outbox reads: with the rows changed under it, it still
        // sends what was finalised.
        raw.exec("UPDATE paradata SET detail = 'rows' WHERE response_id = 1");
        // b's blob with a byte flipped, c's cut short, d's claiming another revision, e's kind
        // byte out of range with its CRC made good again: each refused, its rows read instead.
        raw.exec("UPDATE responses SET paradata_packed = "
                 "substr(paradata_packed, 1, 20) || x'ff' || substr(paradata_packed, 22) WHERE id = 2");
        raw.exec("UPDATE responses SET paradata_packed = substr(paradata_packed, 1, 30) WHERE id = 3");
        raw.exec("UPDATE responses SET revision = 2, answers_packed = NULL WHERE id = 4");
        raw.exec("UPDATE paradata SET question = 'from rows' WHERE kind = 'shown' AND response_id IN (2, 3, 4, 5)");
    }
    {
        // e: the first event's kind byte (offset 12 + 8) set to 9, and the CRC recomputed.
        RawDb raw(t.path);
        QByteArray blob = QByteArray::fromHex(raw.text("SELECT hex(paradata_packed) FROM responses WHERE id = 5").toLatin1());
        REQUIRE(blob.size() > 40);
        blob[20] = char(9);
        blob.chop(4);
        const quint32 crc = crc32(blob);
        for (int i = 0; i < 4; ++i)
            blob.append(char((crc >> (8 * i)) & 0xFF));
        raw.exec(QByteArray("UPDATE responses SET paradata_packed = x'" + blob.toHex() + "' WHERE id = 5").constData());
    }
    t.reopen();
    const OutboxBatch batch = t.store->outbox();
    REQUIRE(batch.responses.size() == 5);
    REQUIRE(batch.paradata.size() == 5);
    CHECK(batch.responses[0].meta.uuid == a);
    CHECK(same(batch.paradata[0], written));
    for (int i = 1; i < 5; ++i) {
        INFO(i);
        const QList<ParadataEvent> rows = t.store->paradata(batch.responses[i].meta.uuid);
        CHECK(rows.value(0).question == QLatin1String("from rows"));
        CHECK(same(batch.paradata[i], rows));
    }
    // An event appended after finalise() rewrites the blob in its transaction (never stale).
    t.store->appendParadata({a, t0.addMSecs(500), ParadataEvent::Kind::Resumed, {}, {}});
    {
        const OutboxBatch late = t.store->outbox();
        REQUIRE(late.paradata.size() == 5);
        CHECK(same(late.paradata[0], t.store->paradata(a)));
        CHECK(late.paradata[0].size() == 5);
        CHECK(late.paradata[0][1].kind == ParadataEvent::Kind::Resumed); // in the rows' time order
    }
    // Reopening drops the blob; finalising again packs the events as they are then.
    t.store->reopen(b);
    {
        RawDb raw(t.path);
        CHECK(raw.text("SELECT paradata_packed IS NULL FROM responses WHERE id = 2") == QLatin1String("1"));
    }
    t.store->appendParadata({b, t0.addMSecs(9000), ParadataEvent::Kind::Resumed, {}, {}});
    t.store->finalise(b, ResponseStatus::Complete);
    {
        const OutboxBatch again = t.store->outbox();
        const auto it = std::find_if(again.responses.cbegin(), again.responses.cend(),
                                     [&](const Response &r) { return r.meta.uuid == b; });
        REQUIRE(it != again.responses.cend());
        const QList<ParadataEvent> &sent = again.paradata[it - again.responses.cbegin()];
        CHECK(sent.size() == 5);
        CHECK(same(sent, t.store->paradata(b)));
    }
    // Acknowledged: the packed copy goes, the rows stay; a late event does not bring it back.
    t.store->acknowledgeRevisions({{b, 2}}, {});
    t.store->acknowledge({c}, {});
    t.store->appendParadata({c, t0.addMSecs(9000), ParadataEvent::Kind::Resumed, {}, {}});
    {
        RawDb raw(t.path);
        CHECK(raw.text("SELECT count(*) FROM responses WHERE paradata_packed IS NULL AND id IN (2, 3)") == QLatin1String("2"));
        CHECK(raw.text("SELECT count(*) FROM responses WHERE paradata_packed IS NOT NULL AND id IN (1, 4, 5)") == QLatin1String("3"));
    }
    CHECK(t.store->paradata(b).size() == 5);
    (void)d;
    (void)e;
}

TEST_CASE("a v6 store's waiting responses get their paradata packed at the upgrade", "[store][migration]")
{
    TempStore t;
    const QDateTime t0 = QDateTime::fromMSecsSinceEpoch(1714726800123, Qt::UTC);
    const QString waiting = t.store->createResponse(newResponse());
    t.store->appendParadata({waiting, t0, ParadataEvent::Kind::Shown, "age", {}});
    t.store->appendParadata({waiting, t0.addMSecs(10), ParadataEvent::Kind::Changed, "age", {}});
    t.store->finalise(waiting, ResponseStatus::Complete);
    const QString sent = t.store->createResponse(newResponse());
    t.store->appendParadata({sent, t0, ParadataEvent::Kind::Shown, "age", {}});
    t.store->finalise(sent, ResponseStatus::Complete);
    t.store->acknowledge({sent}, {});
    const QString draft = t.store->createResponse(newResponse());
    t.store->appendParadata({draft, t0, ParadataEvent::Kind::Shown, "age", {}});
    t.store.reset();
    {
        // Back to version 6: no paradata_packed column.
        RawDb raw(t.path);
        raw.exec("ALTER TABLE responses DROP COLUMN paradata_packed; PRAGMA user_version = 6;");
    }
    t.reopen();
    CHECK(t.store->schemaVersion() == 7);
    {
        RawDb raw(t.path);
        CHECK(raw.text("SELECT group_concat(id) FROM responses WHERE paradata_packed IS NOT NULL") == QLatin1String("1"));
        raw.exec("UPDATE paradata SET detail = 'rows' WHERE response_id = 1"); // the blob is read
    }
    const OutboxBatch batch = t.store->outbox();
    REQUIRE(batch.paradata.size() == 1);
    REQUIRE(batch.paradata[0].size() == 2);
    CHECK(batch.paradata[0][0].responseUuid == waiting);
    CHECK(batch.paradata[0][0].time == t0);
    CHECK(batch.paradata[0][1].kind == ParadataEvent::Kind::Changed);
    CHECK(batch.paradata[0][1].detail.isEmpty());
}

TEST_CASE("the store's shared texts stop growing at their bound and stay exact", "[store]")
{
    TextIntern intern;
    QList<QString> first;
    const int n = int(TextIntern::kMaxEntries) + 500;
    for (int i = 0; i < n; ++i) {
        const QByteArray text = "value-" + QByteArray::number(i);
        first.append(intern.get(text.constData(), text.size()));
        REQUIRE(first.last() == QString::fromLatin1(text));
    }
    for (int i = 0; i < n; ++i) {
        const QByteArray text = "value-" + QByteArray::number(i);
        const QString again = intern.get(text.constData(), text.size());
        REQUIRE(again == first[i]);
        // Shared while there was room, converted afresh past the bound.
        CHECK((again.constData() == first[i].constData()) == (i < int(TextIntern::kMaxEntries)));
    }
    const QByteArray bad("\xff\xfe not UTF-8", 14); // as QString::fromUtf8 reads it
    CHECK(intern.get(bad.constData(), bad.size()) == QString::fromUtf8(bad));
    CHECK(intern.get("", 0).isEmpty());
}

TEST_CASE("the outbox keeps finalised responses and contacts until acknowledged", "[store]")
{
    TempStore t;
    const QString a = t.store->createResponse(newResponse());
    const QString b = t.store->createResponse(newResponse());
    const QString draft = t.store->createResponse(newResponse());
    t.store->setAnswer(a, "q1", "A1");
    t.store->setAnswer(b, "q1", "B1");
    t.store->setAnswer(draft, "q1", "D1");
    ParadataEvent shown{a, QDateTime::currentDateTimeUtc(), ParadataEvent::Kind::Shown, "q1", {}};
    t.store->appendParadata(shown);
    t.store->finalise(a, ResponseStatus::Complete, std::nullopt,
                      QDateTime::currentDateTimeUtc().addSecs(-10));
    t.store->finalise(b, ResponseStatus::Refused);
    ContactEntry c;
    c.caseStudy = "leith";
    c.disposition = Disposition::NotResident;
    const QString contact = t.store->logContact(c);

    CHECK(t.store->outboxSize() == 3);
    t.reopen(); // the outbox lives in the file
    OutboxBatch batch = t.store->outbox();
    REQUIRE(batch.responses.size() == 2);
    REQUIRE(batch.paradata.size() == 2);
    CHECK(batch.responses[0].meta.uuid == a); // oldest first
    CHECK(batch.responses[0].answers.value("q1") == QLatin1String("A1"));
    REQUIRE(batch.paradata[0].size() == 1);
    CHECK(batch.paradata[0][0].question == QLatin1String("q1"));
    CHECK(batch.paradata[1].isEmpty());
    CHECK(batch.responses[1].meta.uuid == b);
    CHECK(batch.responses[1].meta.status == ResponseStatus::Refused);
    REQUIRE(batch.contacts.size() == 1);
    CHECK(batch.contacts[0].uuid == contact);
    CHECK(t.store->outbox(1).responses.size() == 1);
    CHECK(t.store->outbox(0).responses.isEmpty());

    // Reading the outbox removes nothing; acknowledging one leaves the other.
    CHECK(t.store->outbox().responses.size() == 2);
    t.store->acknowledge({a, "unknown-uuid"}, {});
    batch = t.store->outbox();
    REQUIRE(batch.responses.size() == 1);
    CHECK(batch.responses[0].meta.uuid == b);
    CHECK(batch.contacts.size() == 1);
    CHECK(t.store->outboxSize() == 2);
    // Acknowledged data is still there, marked synced.
    CHECK(t.store->response(a)->meta.synced);
    CHECK(t.store->response(a)->answers.value("q1") == QLatin1String("A1"));
    CHECK(t.store->paradata(a).size() == 1);

    // A draft cannot be acknowledged away.
    t.store->acknowledge({draft}, {contact});
    CHECK(!t.store->response(draft)->meta.synced);
    batch = t.store->outbox();
    CHECK(batch.contacts.isEmpty());
    CHECK(t.store->contacts().value(0).synced);
    t.store->acknowledge({b}, {});
    CHECK(t.store->outbox().responses.isEmpty());
    CHECK(t.store->outboxSize() == 0);

    // A reopened, re-finalised response goes back in the outbox as revision 2.
    t.store->reopen(a);
    CHECK(t.store->outbox().responses.isEmpty()); // a draft again
    t.store->finalise(a, ResponseStatus::Complete);
    batch = t.store->outbox();
    REQUIRE(batch.responses.size() == 1);
    CHECK(batch.responses[0].meta.revision == 2);
    CHECK(!batch.responses[0].meta.synced);
    // An acknowledgement of the old revision does not take the new one out.
    t.store->acknowledgeRevisions({{a, 1}}, {});
    CHECK(t.store->outbox().responses.size() == 1);
    t.store->acknowledgeRevisions({{a, 2}}, {});
    CHECK(t.store->outbox().responses.isEmpty());
}

TEST_CASE("discard is soft, restore brings it back, purge removes only discarded drafts",
          "[store]")
{
    TempStore t;
    const QString keep = t.store->createResponse(newResponse());
    const QString gone = t.store->createResponse(newResponse());
    const QString finalised = t.store->createResponse(newResponse());
    t.store->setAnswer(gone, "q", "v");
    const QDateTime now = QDateTime::currentDateTimeUtc();
    t.store->appendParadata({gone, now, ParadataEvent::Kind::Shown, "q", {}});
    t.store->finalise(finalised, ResponseStatus::Complete);

    t.store->discard(gone);
    CHECK(t.store->response(gone)->meta.status == ResponseStatus::Discarded);
    CHECK(t.store->response(gone)->answers.value("q") == QLatin1String("v")); // soft
    CHECK(codeOf([&] { t.store->setAnswer(gone, "q", "w"); }) == StoreError::Code::Locked);
    CHECK(t.store->responses().size() == 2); // default: all except discarded
    CHECK(t.store->responses({ResponseStatus::Discarded}).size() == 1);
    CHECK(t.store->counts().drafts == 1);

    t.store->restore(gone);
    CHECK(t.store->response(gone)->meta.status == ResponseStatus::Draft);
    t.store->setAnswer(gone, "q", "w");
    t.store->restore(keep); // not discarded: no change
    CHECK(t.store->response(keep)->meta.status == ResponseStatus::Draft);
    CHECK(codeOf([&] { t.store->restore("nope"); }) == StoreError::Code::NotFound);

    t.store->discard(gone);
    // The finalised response ended before the discard and is not acknowledged yet.
    CHECK(t.store->purgeDiscarded() == 0);
    CHECK(t.store->response(gone));
    t.store->acknowledge({finalised}, {});
    CHECK(t.store->purgeDiscarded() == 1);
    CHECK(!t.store->response(gone));
    CHECK(codeOf([&] { t.store->paradata(gone); }) == StoreError::Code::NotFound);
    CHECK(t.store->response(keep));
    CHECK(t.store->response(finalised));
    RawDb raw(t.path);
    CHECK(raw.text("SELECT count(*) FROM answers WHERE value = 'w'") == QLatin1String("0"));
    CHECK(raw.text("SELECT count(*) FROM paradata") == QLatin1String("0"));
}

TEST_CASE("responses are listed newest first, filtered by status and case study", "[store]")
{
    TempStore t;
    QStringList uuids;
    for (int i = 0; i < 4; ++i) {
        NewResponse nr = newResponse(i % 2 ? QStringLiteral("leith") : QStringLiteral("govan"));
        nr.started = QDateTime::currentDateTimeUtc().addSecs(-100 + i);
        uuids << t.store->createResponse(nr);
    }
    t.store->finalise(uuids[1], ResponseStatus::Complete);
    t.store->finalise(uuids[2], ResponseStatus::Refused);

    QList<ResponseMeta> all = t.store->responses();
    REQUIRE(all.size() == 4);
    CHECK(all[0].uuid == uuids[3]);
    CHECK(all[3].uuid == uuids[0]);
    CHECK(t.store->responses({ResponseStatus::Draft}).size() == 2);
    CHECK(t.store->responses({ResponseStatus::Complete, ResponseStatus::Refused}).size() == 2);
    const QList<ResponseMeta> leith = t.store->responses({}, "leith");
    REQUIRE(leith.size() == 2);
    CHECK(leith[0].uuid == uuids[3]);
    CHECK(leith[1].uuid == uuids[1]);
    CHECK(t.store->responses({ResponseStatus::Draft}, "govan").value(0).uuid == uuids[0]);

    // latestDraft: the draft changed last.
    t.store->setAnswer(uuids[0], "q", "v");
    REQUIRE(t.store->latestDraft());
    CHECK(t.store->latestDraft()->uuid == uuids[0]);
    t.store->discard(uuids[0]);
    t.store->discard(uuids[3]);
    CHECK(!t.store->latestDraft());
}

TEST_CASE("counts for the home screen", "[store]")
{
    TempStore t;
    CHECK(t.store->counts().all == 0);
    auto make = [&](const QString &cs, const QDateTime &started) {
        NewResponse nr = newResponse(cs);
        nr.started = started;
        return t.store->createResponse(nr);
    };
    const QDateTime now = QDateTime::currentDateTime();
    const QDateTime yesterday = QDateTime(QDate::currentDate().addDays(-1), QTime(12, 0));
    const QString a = make("leith", now);
    const QString b = make("leith", yesterday);
    const QString c = make("govan", now);
    make("leith", now); // draft
    const QString e = make("leith", now);
    t.store->finalise(a, ResponseStatus::Complete);
    t.store->finalise(b, ResponseStatus::Complete);
    t.store->finalise(c, ResponseStatus::Refused);
    t.store->discard(e);
    ContactEntry ce;
    ce.caseStudy = "leith";
    t.store->logContact(ce);
    ce.caseStudy = "govan";
    const QString govanContact = t.store->logContact(ce);

    StoreCounts all = t.store->counts();
    CHECK(all.today == 2);
    CHECK(all.all == 3);
    CHECK(all.drafts == 1);
    CHECK(all.waiting == 5); // 3 responses + 2 contacts
    CHECK(all.contacts == 2);
    StoreCounts leith = t.store->counts("leith");
    CHECK(leith.today == 1);
    CHECK(leith.all == 2);
    CHECK(leith.drafts == 1);
    CHECK(leith.waiting == 3);
    CHECK(leith.contacts == 1);
    t.store->acknowledge({a, c}, {govanContact});
    all = t.store->counts();
    CHECK(all.waiting == 2);
    CHECK(all.all == 3);
    CHECK(t.store->outboxSize() == 2);
}

TEST_CASE("paradata round-trips with millisecond times and never needs the answer", "[store]")
{
    TempStore t;
    const QString uuid = t.store->createResponse(newResponse());
    const QDateTime t0(QDate(2024, 5, 3), QTime(9, 0, 0, 1), Qt::UTC);
    QList<ParadataEvent> events{
        {uuid, t0, ParadataEvent::Kind::Shown, "q1", {}},
        {uuid, t0.addMSecs(1), ParadataEvent::Kind::Changed, "q1", {}},
        {uuid, t0.addMSecs(2500), ParadataEvent::Kind::LanguageSwitched, {}, "gd"},
        {uuid, t0.addMSecs(3000), ParadataEvent::Kind::Resumed, {}, {}},
        {uuid, t0.addMSecs(4000), ParadataEvent::Kind::Finalised, {}, "complete"},
    };
    // Stored out of order: read back in time order.
    for (int i = int(events.size()) - 1; i >= 0; --i)
        t.store->appendParadata(events[i]);
    t.reopen();
    const QList<ParadataEvent> got = t.store->paradata(uuid);
    REQUIRE(got.size() == events.size());
    for (int i = 0; i < int(events.size()); ++i) {
        INFO("event " << i);
        CHECK(got[i].responseUuid == uuid);
        CHECK(got[i].time == events[i].time);
        CHECK(got[i].kind == events[i].kind);
        CHECK(got[i].question == events[i].question);
        CHECK(got[i].detail == events[i].detail);
    }
    CHECK(paradataKindName(ParadataEvent::Kind::LanguageSwitched) == "language_switched");
    const ParadataEvent orphan{"nope", t0, ParadataEvent::Kind::Shown, "q", {}};
    CHECK(codeOf([&] { t.store->appendParadata(orphan); }) == StoreError::Code::NotFound);
    CHECK(codeOf([&] { t.store->paradata("nope"); }) == StoreError::Code::NotFound);
}

TEST_CASE("contacts round-trip every field", "[store]")
{
    TempStore t;
    ContactEntry c;
    c.caseStudy = "leith";
    c.enumerator = "ana";
    c.deviceId = "tab-07";
    c.time = QDateTime(QDate(2024, 5, 3), QTime(11, 2, 3, 456), Qt::UTC);
    c.location.latitude = 55.97;
    c.location.longitude = -3.17;
    c.location.altitude = 20;
    c.location.accuracy = 8;
    c.location.time = c.time.addMSecs(-500);
    c.disposition = Disposition::LanguageBarrier;
    c.ageBand = "35-44";
    c.gender = "female";
    c.note = "spoke Polish; come back with a translator";
    const QString uuid = t.store->logContact(c);
    CHECK(!uuid.isEmpty());
    ContactEntry bare;
    bare.uuid = "fixed-uuid";
    bare.caseStudy = "govan";
    CHECK(t.store->logContact(bare) == QLatin1String("fixed-uuid"));
    CHECK(codeOf([&] { t.store->logContact(bare); }) == StoreError::Code::Invalid); // same uuid

    t.reopen();
    const QList<ContactEntry> leith = t.store->contacts("leith");
    REQUIRE(leith.size() == 1);
    const ContactEntry &g = leith[0];
    CHECK(g.uuid == uuid);
    CHECK(g.caseStudy == c.caseStudy);
    CHECK(g.enumerator == c.enumerator);
    CHECK(g.deviceId == c.deviceId);
    CHECK(g.time == c.time);
    CHECK(g.location.latitude == c.location.latitude);
    CHECK(g.location.longitude == c.location.longitude);
    CHECK(g.location.altitude == c.location.altitude);
    CHECK(g.location.accuracy == c.location.accuracy);
    CHECK(g.location.time == c.location.time);
    CHECK(g.disposition == Disposition::LanguageBarrier);
    CHECK(g.ageBand == c.ageBand);
    CHECK(g.gender == c.gender);
    CHECK(g.note == c.note);
    CHECK(!g.synced);
    const QList<ContactEntry> all = t.store->contacts();
    REQUIRE(all.size() == 2);
    CHECK(all[0].uuid == QLatin1String("fixed-uuid")); // newest first (no time: now)
    CHECK(!all[0].location.isValid());
    CHECK(all[0].disposition == Disposition::Other);

    Disposition d;
    for (Disposition x : {Disposition::Refused, Disposition::NotResident, Disposition::Ineligible,
                          Disposition::LanguageBarrier, Disposition::ComeBackLater,
                          Disposition::Other}) {
        CHECK(dispositionFromName(dispositionName(x), &d));
        CHECK(d == x);
    }
    CHECK(!dispositionFromName("maybe", &d));
}

TEST_CASE("settings are a durable key/value table", "[store]")
{
    TempStore t;
    CHECK(t.store->setting("enumerator").isEmpty());
    CHECK(t.store->setting("enumerator", "nobody") == QLatin1String("nobody"));
    t.store->setSetting("enumerator", "ana");
    t.store->setSetting("collector_url", "https://127.0.0.1:8443/");
    t.store->setSetting("enumerator", "Łucja");
    t.store->setSetting("blank", "");
    t.reopen();
    CHECK(t.store->setting("enumerator") == QStringLiteral("Łucja"));
    CHECK(t.store->setting("collector_url") == QLatin1String("https://127.0.0.1:8443/"));
    CHECK(t.store->setting("blank", "fallback").isEmpty()); // set to "", not missing
}

TEST_CASE("a v1 store is migrated at open and keeps its data", "[store][migration]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath("v1.sqlite");
    {
        RawDb raw(path);
        raw.exec(StoreSchema::v1Ddl());
        raw.exec("PRAGMA application_id = 1264939618; PRAGMA user_version = 1;");
        raw.exec("INSERT INTO responses(uuid, form_id, form_version, case_study, enumerator, "
                 "device_id, status, revision, started_ms, ended_ms, updated_ms, latitude, "
                 "longitude, language, cursor, synced) VALUES "
                 "('11111111-1111-1111-1111-111111111111', 'voxpop', '1', 'leith', 'ana', 'tab', "
                 "'complete', 1, 1714726800123, 1714727000456, 1714727000456, 55.9, -3.1, 'en', "
                 "'q9', 0), "
                 "('22222222-2222-2222-2222-222222222222', 'voxpop', '1', 'leith', 'ana', 'tab', "
                 "'draft', 1, 1714726900000, NULL, 1714726900000, NULL, NULL, 'en', 'q2', 0)");
        raw.exec("INSERT INTO answers VALUES (1, 'age', '42'), (1, 'name', 'Zoë'), "
                 "(2, 'age', '19')");
        raw.exec("INSERT INTO contacts(uuid, case_study, enumerator, device_id, time_ms, "
                 "disposition, note) VALUES ('c1', 'leith', 'ana', 'tab', 1714726000000, "
                 "'refused', 'busy')");
        raw.exec("INSERT INTO settings VALUES ('enumerator', 'ana')");
        CHECK(raw.text("PRAGMA journal_mode") == QLatin1String("delete"));
    }
    static_assert(StoreSchema::kApplicationId == 1264939618);

    auto store = DeviceStore::open(path);
    CHECK(store->schemaVersion() == StoreSchema::kCurrentVersion);
    const auto done = store->response("11111111-1111-1111-1111-111111111111");
    REQUIRE(done);
    // The area check (i12) of an interview recorded before it: unknown, never a guess.
    CHECK(done->meta.area.inside == InsideArea::Unknown);
    CHECK(std::isnan(done->meta.area.distanceMetres));
    CHECK(done->meta.area.areaVersion == 0);
    CHECK(done->meta.status == ResponseStatus::Complete);
    CHECK(done->meta.started.toMSecsSinceEpoch() == 1714726800123);
    CHECK_FALSE(done->meta.startedUtcOffset); // v4: not recorded then, and not guessed now
    CHECK(done->meta.location.latitude == 55.9);
    CHECK(done->answers.value("name") == QStringLiteral("Zoë"));
    // v3 rebuilt the responses table: answers kept, and the new statuses accepted.
    CHECK(store->response("22222222-2222-2222-2222-222222222222")->answers.value("age") == QLatin1String("19"));
    CHECK(store->outboxSize() == 2);
    CHECK(store->outbox().responses.size() == 1);
    CHECK(store->outbox().paradata.value(0).isEmpty());
    CHECK(store->outbox().responses.value(0).answers == QMap<QString, QString>{{"age", "42"}, {"name", "Zoë"}});
    {
        // v6 packed the answers of what waits to be sent, and only that.
        RawDb raw(path);
        CHECK(raw.text("SELECT length(answers_packed) > 20 FROM responses WHERE id = 1") == QLatin1String("1"));
        CHECK(raw.text("SELECT answers_packed IS NULL FROM responses WHERE id = 2") == QLatin1String("1"));
    }
    CHECK(store->setting("enumerator") == QLatin1String("ana"));
    const QList<ContactEntry> contacts = store->contacts();
    REQUIRE(contacts.size() == 1);
    CHECK(contacts[0].disposition == Disposition::Refused);
    CHECK(contacts[0].note == QLatin1String("busy"));
    CHECK(contacts[0].ageBand.isEmpty());

    // The new parts work on the migrated file, and the old draft can be continued.
    const QString draft = "22222222-2222-2222-2222-222222222222";
    store->setAnswer(draft, "age", "20");
    const QDateTime now = QDateTime::currentDateTimeUtc();
    store->appendParadata({draft, now, ParadataEvent::Kind::Resumed, {}, {}});
    CHECK(store->paradata(draft).size() == 1);
    ContactEntry c;
    c.caseStudy = "leith";
    c.ageBand = "65+";
    store->logContact(c);
    const int waiting = store->outboxSize();
    store->finalise(draft, ResponseStatus::Partial, std::nullopt, {}); // a status v3 added
    CHECK(store->response(draft)->meta.status == ResponseStatus::Partial);
    CHECK(store->outboxSize() == waiting + 1);
    store.reset();
    store = DeviceStore::open(path); // opening a current store again is a no-op
    CHECK(store->response(draft)->answers.value("age") == QLatin1String("20"));
    CHECK(store->contacts().value(0).ageBand == QLatin1String("65+"));
    RawDb raw(path);
    CHECK(raw.text("PRAGMA journal_mode") == QLatin1String("wal"));
    CHECK(raw.text("PRAGMA integrity_check") == QLatin1String("ok"));
}

TEST_CASE("corrupt, foreign and newer files are refused, named and left untouched", "[store]")
{
    QTemporaryDir dir;
    auto refuse = [](const QString &path, StoreError::Code code) {
        const QByteArray before = fileBytes(path);
        try {
            DeviceStore::open(path);
            FAIL("opened " << path.toStdString());
        } catch (const StoreError &e) {
            INFO(e.what());
            CHECK(e.code() == code);
            CHECK(QString::fromUtf8(e.what()).contains(path));
        }
        CHECK(fileBytes(path) == before); // never a silent reset
    };

    SECTION("random bytes")
    {
        const QString path = dir.filePath("random.sqlite");
        QByteArray bytes(64 * 1024, '\0');
        QRandomGenerator gen(42);
        for (char &ch : bytes)
            ch = char(gen.bounded(256));
        writeFile(path, bytes);
        refuse(path, StoreError::Code::Corrupt);
    }
    SECTION("a few bytes")
    {
        const QString path = dir.filePath("short.sqlite");
        writeFile(path, "SQLite");
        refuse(path, StoreError::Code::Corrupt);
    }
    // Truncated and damaged stores are salvaged, not refused: test_store_damage.cpp.
    SECTION("another application's SQLite file")
    {
        const QString path = dir.filePath("other.sqlite");
        {
            RawDb raw(path);
            raw.exec("PRAGMA application_id = 1234; CREATE TABLE t(x); INSERT INTO t VALUES (1)");
        }
        refuse(path, StoreError::Code::Foreign);
    }
    SECTION("an SQLite file with unrelated tables and no application id")
    {
        const QString path = dir.filePath("unrelated.sqlite");
        {
            RawDb raw(path);
            raw.exec("CREATE TABLE photos(id INTEGER PRIMARY KEY, blob BLOB)");
        }
        refuse(path, StoreError::Code::Foreign);
    }
    SECTION("a store from a newer app")
    {
        const QString path = dir.filePath("newer.sqlite");
        {
            auto store = DeviceStore::open(path);
            store->setSetting("k", "v");
        }
        {
            RawDb raw(path);
            raw.exec(QByteArray("PRAGMA user_version = " + QByteArray::number(StoreSchema::kCurrentVersion + 1)).constData());
        }
        refuse(path, StoreError::Code::TooNew);
    }
    SECTION("an empty file is refused, not made a new store")
    {
        const QString path = dir.filePath("empty.sqlite");
        writeFile(path, QByteArray());
        refuse(path, StoreError::Code::Corrupt);
    }
}

TEST_CASE("a full disk fails with DiskFull and keeps the earlier data", "[store]")
{
    TempStore t;
    const QString uuid = t.store->createResponse(newResponse());
    t.store->setAnswer(uuid, "before", "kept");
    t.store->setMaxSizeBytes(1); // SQLite clamps it to the current size: no new page fits
    const QString big(200 * 1024, QChar('z'));
    try {
        t.store->setAnswer(uuid, "photo_note", big);
        FAIL("no error on a full store");
    } catch (const StoreError &e) {
        CHECK(e.code() == StoreError::Code::DiskFull);
        const QString message = QString::fromUtf8(e.what());
        CHECK(message.contains(t.path));
        CHECK(message.contains("full"));
    }
    // Small writes into existing pages still work, and nothing earlier was lost.
    CHECK(t.store->response(uuid)->answers.value("before") == QLatin1String("kept"));
    CHECK(!t.store->response(uuid)->answers.contains("photo_note"));
    t.store->setAnswer(uuid, "after", "fits");
    t.store->setMaxSizeBytes(0);
    t.store->setAnswer(uuid, "photo_note", big);
    t.reopen();
    const Response r = *t.store->response(uuid);
    CHECK(r.answers.value("before") == QLatin1String("kept"));
    CHECK(r.answers.value("after") == QLatin1String("fits"));
    CHECK(r.answers.value("photo_note") == big);
    RawDb raw(t.path);
    CHECK(raw.text("PRAGMA integrity_check") == QLatin1String("ok"));
}
