// SPDX-License-Identifier: Apache-2.0
// The batch log's stored form (sync/collector/batchlog.h): a batch goes into `batches.raw` as a
// checksummed zstd frame and comes back byte for byte; rows written before (plain protobuf)
// read as they are; a damaged, cut-short, oversized or unknown pack is refused with a reason;
// on both backends the merge stores the pack, a re-sent batch still replays its
// acknowledgement, and `kerbside migrate` carries the packs to PostgreSQL unchanged.
#include <catch2/catch.hpp>

#include "batchcodec.h"
#include "batchlog.h"
#include "collectorprocess.h"
#include "collectorstore.h"
#include "postgresconnection.h"
#include "postgrestestdb.h"
#include "sqliteconnection.h"
#include "syncsamples.h"
#include "voxpopform.h"

#include <QRandomGenerator>
#include <QTemporaryDir>

#include <zstd.h>

using namespace kerbside;
using namespace kerbside::test;

namespace {

// A batch of `n` vox pops as a tablet sends it: with each interview's paradata.
OutboxBatch realisticBatch(int n, const QString &device = QStringLiteral("dev-test"))
{
    OutboxBatch b = voxpopBatch(n, 3, QStringLiteral("leeds"), device);
    QRandomGenerator random(16);
    for (const Response &r : std::as_const(b.responses))
        b.paradata.append(tabletParadata(r, random));
    return b;
}

QByteArray encoded(int n, quint64 sequence = 1)
{
    return BatchCodec::encode(header(QStringLiteral("dev-test"), sequence), realisticBatch(n), voxpopTypes());
}

// Why `stored` is refused ("" when it unpacks).
QString refusal(const QByteArray &stored, qsizetype maxBytes = batchlog::kDefaultMaxBytes)
{
    QByteArray out("untouched");
    QString why;
    if (batchlog::unpack(stored, &out, &why, maxBytes))
        return {};
    CHECK(out == "untouched");
    CHECK_FALSE(why.isEmpty());
    return why;
}

QByteArray storedRaw(const TestCollectorDb &db, const QString &batchUuid)
{
    if (db.isPostgres()) {
        PgConnection pg(db.location());
        return pg.exec("SELECT raw FROM batches WHERE batch_uuid = $1", PgParams().add(batchUuid)).blob(0, 0);
    }
    SqliteConnection c(db.location());
    auto s = c.prepare("SELECT raw FROM batches WHERE batch_uuid = ?1");
    s.bind(1, batchUuid);
    REQUIRE(s.next());
    return s.blob(0);
}

} // namespace

TEST_CASE("a batch goes into the log as a zstd frame and comes back byte for byte", "[sync][collector]")
{
    const QByteArray raw = encoded(500);
    const QByteArray stored = batchlog::pack(raw);
    CHECK(batchlog::isPacked(stored));
    CHECK(stored.startsWith(QByteArray("\x00\x01", 2)));
    // A vox pop batch with its paradata: the frame is well under half the bytes (measured ~0.3).
    INFO("raw " << raw.size() << " B, stored " << stored.size() << " B");
    CHECK(stored.size() * 2 < raw.size());
    QByteArray back;
    QString why;
    REQUIRE(batchlog::unpack(stored, &back, &why));
    CHECK(back == raw);
    // The frame carries its size and a checksum (what unpack relies on to refuse damage).
    CHECK(ZSTD_getFrameContentSize(stored.constData() + 2, size_t(stored.size() - 2)) == quint64(raw.size()));
    CHECK((quint8(stored[2 + 4]) & 0x04) != 0); // Frame_Header_Descriptor: Content_Checksum_flag (RFC 8878)
}

TEST_CASE("what the log held before, and what does not shrink, is kept as it came", "[sync][collector]")
{
    // Rows written before the packed form: a protobuf Batch, read back as it is.
    const QByteArray plain = encoded(3);
    QByteArray back;
    QString why;
    REQUIRE(batchlog::unpack(plain, &back, &why));
    CHECK(back == plain);
    CHECK_FALSE(batchlog::isPacked(plain));
    CHECK(batchlog::pack(QByteArray()).isEmpty());
    REQUIRE(batchlog::unpack(QByteArray(""), &back, &why));
    CHECK(back.isEmpty());
    // Random bytes do not compress: stored as they are.
    QByteArray noise(4096, Qt::Uninitialized);
    QRandomGenerator random(7);
    random.fillRange(reinterpret_cast<quint32 *>(noise.data()), noise.size() / 4);
    noise[0] = '\x0a';
    CHECK(batchlog::pack(noise) == noise);
    // Bytes that begin with 0x00 (no accepted batch does) are always packed, so reading back
    // is never ambiguous, even when the pack is larger.
    const QByteArray zeroFirst = QByteArray(1, '\0') + noise;
    const QByteArray packed = batchlog::pack(zeroFirst);
    CHECK(batchlog::isPacked(packed));
    CHECK(packed.size() > zeroFirst.size());
    REQUIRE(batchlog::unpack(packed, &back, &why));
    CHECK(back == zeroFirst);
}

TEST_CASE("a damaged, cut-short, oversized or unknown batch log pack is refused with its reason",
          "[sync][collector][security]")
{
    const QByteArray raw = encoded(40);
    const QByteArray stored = batchlog::pack(raw);
    REQUIRE(refusal(stored).isEmpty());

    CHECK(refusal(QByteArray(1, '\0')).contains(QStringLiteral("cut short")));
    CHECK(refusal(QByteArray("\x00\x02", 2) + stored.mid(2)).contains(QStringLiteral("unknown batch log format 2")));
    CHECK(refusal(QByteArray("\x00\x01garbage", 9)).contains(QStringLiteral("not a zstd frame")));
    CHECK(refusal(stored.left(stored.size() / 2)).contains(QStringLiteral("cut short")));
    CHECK(refusal(stored + "xy").contains(QStringLiteral("2 bytes follow the zstd frame")));
    // Memory is bounded before inflating: the recorded size is checked against the limit.
    CHECK(refusal(stored, raw.size() - 1).contains(QStringLiteral("over the limit of %1").arg(raw.size() - 1)));
    CHECK(refusal(stored, raw.size()).isEmpty());
    // One flipped byte in the compressed body: the checksum (or the decoder) catches it.
    for (qsizetype at : {stored.size() / 3, stored.size() / 2, stored.size() - 6}) {
        QByteArray bad = stored;
        bad[at] = char(bad[at] ^ 0x5a);
        INFO("byte " << at);
        CHECK(refusal(bad).contains(QStringLiteral("damaged")));
    }
    // A frame that does not record its size (streamed without a pledged size) is refused: its
    // size could not be bounded before inflating.
    ZSTD_CCtx *cctx = ZSTD_createCCtx();
    QByteArray frame(qsizetype(ZSTD_compressBound(size_t(raw.size()))), Qt::Uninitialized);
    ZSTD_outBuffer out{frame.data(), size_t(frame.size()), 0};
    ZSTD_inBuffer in{raw.constData(), size_t(raw.size()), 0};
    REQUIRE_FALSE(ZSTD_isError(ZSTD_compressStream2(cctx, &out, &in, ZSTD_e_continue))); // size not known yet
    ZSTD_inBuffer none{nullptr, 0, 0};
    REQUIRE(ZSTD_compressStream2(cctx, &out, &none, ZSTD_e_end) == 0);
    ZSTD_freeCCtx(cctx);
    frame.truncate(qsizetype(out.pos));
    REQUIRE(ZSTD_getFrameContentSize(frame.constData(), size_t(frame.size())) == ZSTD_CONTENTSIZE_UNKNOWN);
    CHECK(refusal(QByteArray("\x00\x01", 2) + frame).contains(QStringLiteral("does not record its size")));
}

TEST_CASE("the merge logs each batch packed; a re-sent batch still replays its acknowledgement",
          "[sync][collector][postgres]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    QTemporaryDir dir;
    TestCollectorDb db(backend, dir.path());
    auto store = openCollectorStore(db.location());
    store->addCaseStudy(QStringLiteral("leeds"), QStringLiteral("Leeds"));
    publishVoxpop(*store, {QStringLiteral("leeds")});
    const BatchHeader h = header(QStringLiteral("dev-test"), 1);
    const QByteArray raw = BatchCodec::encode(h, realisticBatch(200), voxpopTypes());
    const MergeResult first = store->mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc());
    REQUIRE(first.count(MergeOutcome::Accepted) == 203); // with the 3 contacts

    const QByteArray stored = storedRaw(db, h.batchUuid);
    CHECK(batchlog::isPacked(stored));
    CHECK(stored.size() * 2 < raw.size());
    QByteArray back;
    QString why;
    REQUIRE(batchlog::unpack(stored, &back, &why));
    CHECK(back == raw);

    const MergeResult again = store->mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("usb"), QDateTime::currentDateTimeUtc());
    CHECK(again.replayed);
    CHECK(again.ack == first.ack);
    CHECK(storedRaw(db, h.batchUuid) == stored);
}

TEST_CASE("kerbside migrate carries packed and plain batch log rows to PostgreSQL unchanged", "[sync][postgres]")
{
    if (testPostgresUrl().isEmpty()) {
        WARN("KERBSIDE_TEST_PG is not set: PostgreSQL test skipped (.ci/test.sh starts a cluster)");
        return;
    }
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("c.sqlite"));
    const BatchHeader h1 = header(QStringLiteral("dev-test"), 1);
    const BatchHeader h2 = header(QStringLiteral("dev-test"), 2);
    const QByteArray raw1 = BatchCodec::encode(h1, realisticBatch(50), voxpopTypes());
    const OutboxBatch second = voxpopBatch(2); // new UUIDs
    const QByteArray raw2 = BatchCodec::encode(h2, second, voxpopTypes());
    {
        auto store = openCollectorStore(path);
        store->addCaseStudy(QStringLiteral("leeds"), QStringLiteral("Leeds"));
        publishVoxpop(*store, {QStringLiteral("leeds")});
        REQUIRE(store->mergeBatch(BatchCodec::decode(raw1), raw1, QStringLiteral("http"), QDateTime::currentDateTimeUtc())
                    .count(MergeOutcome::Accepted) == 53);
        REQUIRE(store->mergeBatch(BatchCodec::decode(raw2), raw2, QStringLiteral("http"), QDateTime::currentDateTimeUtc())
                    .count(MergeOutcome::Accepted) == 2);
    }
    // The second row as an older collector wrote it: the plain batch.
    {
        SqliteConnection c(path);
        c.prepare("UPDATE batches SET raw = ?1 WHERE batch_uuid = ?2").bind(1, raw2).bind(2, h2.batchUuid).run();
    }
    const QByteArray packed1 = [&] {
        SqliteConnection c(path);
        auto s = c.prepare("SELECT raw FROM batches WHERE batch_uuid = ?1");
        s.bind(1, h1.batchUuid);
        REQUIRE(s.next());
        return s.blob(0);
    }();
    REQUIRE(batchlog::isPacked(packed1));

    PostgresTestDb pg;
    const CommandResult r = runKerbside({QStringLiteral("migrate"), QStringLiteral("--from"), QStringLiteral("sqlite:") + path,
                                         QStringLiteral("--to"), pg.url()});
    INFO(r.out.toStdString() << r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    PgConnection c(pg.url());
    CHECK(c.exec("SELECT raw FROM batches WHERE batch_uuid = $1", PgParams().add(h1.batchUuid)).blob(0, 0) == packed1);
    CHECK(c.exec("SELECT raw FROM batches WHERE batch_uuid = $1", PgParams().add(h2.batchUuid)).blob(0, 0) == raw2);
}
