// SPDX-License-Identifier: Apache-2.0
// Content hashes are stored by collectors and compared across devices: the OpenSSL version in
// BatchCodec must give byte-identical hashes to the original QString/QCryptographicHash one,
// which is kept here as the reference.
#include <catch2/catch.hpp>

#include "batchcodec.h"
#include "syncsamples.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

using namespace kerbside;
using namespace kerbside::test;

namespace {

// The original implementation, verbatim.
class ReferenceCanon
{
public:
    ReferenceCanon &add(const QString &s)
    {
        m_bytes += s.toUtf8();
        m_bytes += '\x1f';
        return *this;
    }
    ReferenceCanon &add(qint64 n) { return add(QString::number(n)); }
    ReferenceCanon &add(double d) { return add(qIsNaN(d) ? QString() : BatchCodec::formatDouble(d)); }
    ReferenceCanon &add(const QDateTime &t) { return add(t.isValid() ? QString::number(t.toMSecsSinceEpoch()) : QString()); }
    ReferenceCanon &add(const Location &l)
    {
        return add(l.latitude).add(l.longitude).add(l.altitude).add(l.accuracy).add(l.time);
    }
    ReferenceCanon &end()
    {
        m_bytes += '\x1e';
        return *this;
    }
    QByteArray hash() const { return QCryptographicHash::hash(m_bytes, QCryptographicHash::Sha256); }

private:
    QByteArray m_bytes;
};

QByteArray referenceResponseHash(const ResponseMeta &meta, const QList<TypedAnswer> &answers)
{
    ReferenceCanon c;
    c.add(meta.uuid).add(meta.formId).add(meta.formVersion).add(meta.caseStudy)
        .add(meta.enumerator).add(meta.deviceId).add(responseStatusName(meta.status))
        .add(qint64(meta.revision)).add(meta.started).add(meta.ended).add(meta.updated)
        .add(meta.location).add(meta.language).end();
    QList<const TypedAnswer *> sorted;
    for (const TypedAnswer &a : answers)
        sorted.append(&a);
    std::sort(sorted.begin(), sorted.end(),
              [](const TypedAnswer *a, const TypedAnswer *b) { return a->question < b->question; });
    for (const TypedAnswer *a : sorted)
        c.add(a->question).add(a->value).end();
    return c.hash();
}

QByteArray referenceContactHash(const ContactEntry &e)
{
    ReferenceCanon c;
    c.add(e.uuid).add(e.caseStudy).add(e.enumerator).add(e.deviceId).add(e.time).add(e.location)
        .add(dispositionName(e.disposition)).add(e.ageBand).add(e.gender).add(e.note).end();
    return c.hash();
}

// Text that exercises every UTF-8 length, unpaired surrogates (Qt writes '?'), U+0000,
// noncharacters and the separators themselves.
QString variedText(QRandomGenerator &random)
{
    static const QList<QString> pieces{
        QString(), QStringLiteral("a"), QStringLiteral("Leeds"), QStringLiteral("café"),
        QStringLiteral("Zürich straße"), QStringLiteral("日本語のテキスト"), QStringLiteral("Ελληνικά"),
        QStringLiteral("😀👍🏽"), QStringLiteral("e\u0301"), QStringLiteral("\u07ff\u0800\uffff\ufffe\ufffd"),
        QString(QChar(0xd83d)), QString(QChar(0xde00)), QString(QChar(0xd83d)) + QLatin1Char('x'),
        QString(QChar(0)), QStringLiteral("\x1f\x1e"), QStringLiteral("  spaces  "), QStringLiteral("line\nbreak"),
        QStringLiteral("-12"), QStringLiteral("0.1"),
    };
    QString s;
    const int n = int(random.bounded(4));
    for (int i = 0; i < n; ++i)
        s += pieces[qsizetype(random.bounded(int(pieces.size())))];
    return s;
}

double variedDouble(QRandomGenerator &random)
{
    static const QList<double> special{qQNaN(), 0.0, -0.0, 1e-300, 1e300, 51.529688, -2.6092701, 4.3, 1e21, 123456789.0};
    return random.bounded(3) == 0 ? special[qsizetype(random.bounded(int(special.size())))]
                                  : (random.generateDouble() - 0.5) * 360;
}

QDateTime variedTime(QRandomGenerator &random)
{
    switch (random.bounded(4)) {
    case 0: return {};
    case 1: return QDateTime::fromMSecsSinceEpoch(-qint64(random.bounded(1'000'000'000)) * 1000, Qt::UTC);
    default: return QDateTime::fromMSecsSinceEpoch(1793324562498LL + qint64(random.bounded(1'000'000'000)), Qt::UTC);
    }
}

Location variedLocation(QRandomGenerator &random)
{
    Location l;
    if (random.bounded(3) == 0)
        return l; // absent: all NaN, invalid time
    l.latitude = variedDouble(random);
    l.longitude = variedDouble(random);
    l.altitude = variedDouble(random);
    l.accuracy = variedDouble(random);
    l.time = variedTime(random);
    return l;
}

} // namespace

TEST_CASE("response hashes are identical to the reference for varied responses", "[sync][protocol][hash]")
{
    QRandomGenerator random(20261124);
    const QList<AnswerType> types{AnswerType::Text, AnswerType::Choice, AnswerType::Choices, AnswerType::Integer,
                                  AnswerType::Decimal, AnswerType::Date, AnswerType::Time, AnswerType::DateTime,
                                  AnswerType::Geopoint};
    for (int i = 0; i < 2000; ++i) {
        ResponseMeta m;
        m.uuid = i % 7 ? BatchCodec::newUuid() : variedText(random);
        m.formId = variedText(random);
        m.formVersion = variedText(random);
        m.caseStudy = variedText(random);
        m.enumerator = variedText(random);
        m.deviceId = variedText(random);
        m.status = ResponseStatus(random.bounded(4));
        m.revision = i % 11 ? int(random.bounded(1, 50)) : (i % 2 ? 0 : std::numeric_limits<int>::min());
        m.started = variedTime(random);
        m.ended = variedTime(random);
        m.updated = variedTime(random);
        m.location = variedLocation(random);
        m.language = variedText(random);
        QList<TypedAnswer> answers;
        const int n = int(random.bounded(30));
        for (int a = 0; a < n; ++a)
            answers.append({QStringLiteral("q%1").arg(random.bounded(40)) + variedText(random),
                            types[qsizetype(random.bounded(int(types.size())))], variedText(random)});
        if (i % 2) // decode() hands them over sorted; the device may not
            std::sort(answers.begin(), answers.end(),
                      [](const TypedAnswer &x, const TypedAnswer &y) { return x.question < y.question; });
        const QByteArray expected = referenceResponseHash(m, answers);
        REQUIRE(expected.size() == 32);
        REQUIRE(BatchCodec::responseHash(m, answers) == expected);
    }
}

TEST_CASE("hashes of decoded vox-pop batches equal the reference", "[sync][protocol][hash]")
{
    OutboxBatch outbox = voxpopBatch(40, 10);
    outbox.responses[1].answers[QStringLiteral("comment_best")] = QStringLiteral("Très bien 😀 — 日本");
    outbox.responses[2].answers[QStringLiteral("comment_improve")] = QString();
    outbox.responses[3].meta.location = Location();
    outbox.responses[4].answers[QStringLiteral("visit_date")] = QStringLiteral("2026-11-24");
    outbox.responses[4].answers[QStringLiteral("visit_time")] = QStringLiteral("09:30:00.250");
    outbox.responses[4].answers[QStringLiteral("visit_at")] = QStringLiteral("2026-11-24T09:30:00+01:00");
    outbox.responses[4].answers[QStringLiteral("spend")] = QStringLiteral("12.5");
    outbox.contacts[1].note = QStringLiteral("ne parle pas anglais — 中文");
    outbox.contacts[2].location.latitude = 53.8;
    outbox.contacts[2].location.longitude = -1.55;
    for (qsizetype i = 0; i < outbox.contacts.size(); ++i)
        outbox.contacts[i].disposition = Disposition(i % 6);
    const IncomingBatch in = BatchCodec::decode(BatchCodec::encode(header(QStringLiteral("dev-test"), 1), outbox, voxpopTypes()));
    REQUIRE(in.responses.size() == 40);
    for (const IncomingResponse &r : in.responses)
        REQUIRE(r.contentHash == referenceResponseHash(r.meta, r.answers));
    REQUIRE(in.contacts.size() == 10);
    for (const IncomingContact &c : in.contacts)
        REQUIRE(c.contentHash == referenceContactHash(c.entry));
}

TEST_CASE("a recorded start offset changes the hash; without one the hash is the one stored before it existed", "[sync][protocol][hash]")
{
    const Response r = voxpopBatch(1).responses.first();
    QList<TypedAnswer> answers;
    for (auto it = r.answers.constBegin(); it != r.answers.constEnd(); ++it)
        answers.append({it.key(), AnswerType::Text, it.value()});
    ResponseMeta meta = r.meta;
    meta.startedUtcOffset.reset();
    const QByteArray without = BatchCodec::responseHash(meta, answers);
    CHECK(without == referenceResponseHash(meta, answers));
    meta.startedUtcOffset = 0;
    const QByteArray utc = BatchCodec::responseHash(meta, answers);
    meta.startedUtcOffset = 3600;
    const QByteArray cet = BatchCodec::responseHash(meta, answers);
    CHECK(utc != without); // recorded as UTC is not the same as not recorded
    CHECK(cet != utc);
}

TEST_CASE("contact hashes are identical to the reference for varied contacts", "[sync][protocol][hash]")
{
    QRandomGenerator random(7);
    for (int i = 0; i < 1000; ++i) {
        ContactEntry e;
        e.uuid = variedText(random);
        e.caseStudy = variedText(random);
        e.enumerator = variedText(random);
        e.deviceId = variedText(random);
        e.time = variedTime(random);
        e.location = variedLocation(random);
        e.disposition = Disposition(random.bounded(6));
        e.ageBand = variedText(random);
        e.gender = variedText(random);
        e.note = variedText(random);
        REQUIRE(BatchCodec::contactHash(e) == referenceContactHash(e));
    }
}
