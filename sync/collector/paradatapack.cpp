// SPDX-License-Identifier: Apache-2.0
#include "paradatapack.h"

#include "collectortypes.h" // CollectorError
#include "varint.h"

#include <algorithm>

namespace kerbside::paradatapack {

namespace {

constexpr char kFormat = 0x01;
constexpr uchar kKindBits = 0x07, kNoTime = 0x08, kHasDetail = 0x10;
constexpr int kLastKind = int(ParadataEvent::Kind::Finalised);
// No question; a name spelt out; the dictionary's questions from here on.
constexpr quint64 kNoQuestion = 0, kSpelt = 1, kFirstIndex = 2;
constexpr qint64 kLatestMs = 253402300799999; // 9999-12-31T23:59:59.999Z

bool getVarint(const uchar *&p, const uchar *end, quint64 *v)
{
    return varint::get(p, end, v);
}

bool getText(const uchar *&p, const uchar *end, QString *text)
{
    quint64 n = 0;
    if (!getVarint(p, end, &n) || n > quint64(end - p))
        return false;
    *text = QString::fromUtf8(reinterpret_cast<const char *>(p), qsizetype(n));
    p += n;
    return true;
}

qint64 baseOf(const QDateTime &started)
{
    return started.isValid() ? started.toMSecsSinceEpoch() : 0;
}

} // namespace

QByteArray pack(const QList<ParadataEvent> &events, const AnswerDictionary *d, const QDateTime &started)
{
    if (events.isEmpty())
        return {};
    varint::Writer out(8 + events.size() * 6);
    out.byte(kFormat);
    out.put(quint64(d ? d->size() : 0));
    qint64 previous = baseOf(started);
    QString lastName;
    int lastIndex = -1; // of lastName; "" has none
    for (const ParadataEvent &e : events) {
        uchar head = uchar(int(e.kind)) & kKindBits;
        if (!e.time.isValid())
            head |= kNoTime;
        if (!e.detail.isEmpty())
            head |= kHasDetail;
        out.byte(char(head));
        if (e.time.isValid()) {
            const qint64 t = e.time.toMSecsSinceEpoch();
            const quint64 delta = quint64(t) - quint64(previous); // wraps; the reader adds it back
            out.put((delta << 1) ^ quint64(qint64(delta) >> 63)); // zigzag
            previous = t;
        }
        // A question's events come in runs (shown, answered, left): its index is looked up once
        // per run, not hashed per event.
        if (!(e.question.constData() == lastName.constData() && e.question.size() == lastName.size())
            && e.question != lastName) {
            lastName = e.question;
            lastIndex = e.question.isEmpty() || !d ? -1 : d->indexOf(e.question);
        }
        const int q = lastIndex;
        if (e.question.isEmpty()) {
            out.put(kNoQuestion);
        } else if (q < 0) {
            out.put(kSpelt);
            out.text(e.question);
        } else {
            out.put(kFirstIndex + quint64(q));
        }
        if (!e.detail.isEmpty())
            out.text(e.detail);
    }
    return out.take();
}

bool unpack(const char *data, qsizetype size, QList<ParadataEvent> *out, const AnswerDictionary *d,
            const QDateTime &started)
{
    if (size == 0)
        return true; // no events
    const auto *p = reinterpret_cast<const uchar *>(data);
    const uchar *end = p + size;
    if (*p++ != uchar(kFormat))
        return false;
    quint64 n = 0;
    if (!getVarint(p, end, &n))
        return false;
    const quint64 known = n; // questions the packer's dictionary had
    if (known != 0 && (!d || known != quint64(d->size())))
        return false; // packed against another dictionary (or one this reader lacks)
    QList<ParadataEvent> read;
    read.reserve(std::min<qsizetype>(size / 2, 4096));
    quint64 previous = quint64(baseOf(started));
    while (p < end) {
        const uchar head = *p++;
        ParadataEvent e;
        if ((head & ~(kKindBits | kNoTime | kHasDetail)) || (head & kKindBits) > kLastKind)
            return false;
        e.kind = ParadataEvent::Kind(head & kKindBits);
        if (!(head & kNoTime)) {
            if (!getVarint(p, end, &n))
                return false;
            const quint64 delta = (n >> 1) ^ (0 - (n & 1));
            const qint64 t = qint64(previous + delta);
            if (t < 0 || t > kLatestMs)
                return false;
            e.time = QDateTime::fromMSecsSinceEpoch(t, Qt::UTC);
            previous = quint64(t);
        }
        if (!getVarint(p, end, &n))
            return false;
        if (n == kSpelt) {
            if (!getText(p, end, &e.question))
                return false;
        } else if (n >= kFirstIndex) {
            if (n - kFirstIndex >= known)
                return false;
            e.question = d->name(int(n - kFirstIndex));
        }
        if ((head & kHasDetail) && !getText(p, end, &e.detail))
            return false;
        read.append(std::move(e));
    }
    out->append(std::move(read));
    return true;
}

void unpackStored(QByteArrayView packed, QList<ParadataEvent> *out, const QString &where, qint64 versionId,
                  const AnswerDictionary *dictionary, const QDateTime &started)
{
    if (unpack(packed.data(), packed.size(), out, dictionary, started))
        return;
    QString why = QStringLiteral("are damaged");
    if (packed[0] != kFormat) {
        why = QStringLiteral("have an unknown format (byte %1)").arg(uchar(packed[0]));
    } else if (!dictionary && packed.size() > 1 && packed[1] != 0) {
        why = QStringLiteral("are packed against a form version this database does not hold (or cannot read)");
    }
    throw CollectorError(CollectorError::Code::Invalid,
                         QStringLiteral("%1: the paradata of response version %2 %3").arg(where).arg(versionId).arg(why));
}

ParadataEvent fromVersion10Row(const QString &where, qint64 versionId, qint64 seq, const QVariant &timeMs,
                               const QString &kind, const QString &question, const QString &detail)
{
    ParadataEvent e;
    if (!paradataKindFromName(kind, &e.kind))
        throw CollectorError(CollectorError::Code::Invalid,
                             QStringLiteral("%1: paradata %2 of response version %3 has unknown kind '%4'")
                                 .arg(where).arg(seq).arg(versionId).arg(kind));
    if (!timeMs.isNull()) {
        // The reader refuses a time outside this range as damage: refuse it here, not later.
        const qint64 t = timeMs.toLongLong();
        if (t < 0 || t > kLatestMs)
            throw CollectorError(CollectorError::Code::Invalid,
                                 QStringLiteral("%1: paradata %2 of response version %3 has time_ms %4, outside 1970 to 9999")
                                     .arg(where).arg(seq).arg(versionId).arg(t));
        e.time = QDateTime::fromMSecsSinceEpoch(t, Qt::UTC);
    }
    e.question = question;
    e.detail = detail;
    return e;
}

int changes(const QList<ParadataEvent> &events)
{
    return int(std::count_if(events.cbegin(), events.cend(),
                             [](const ParadataEvent &e) { return e.kind == ParadataEvent::Kind::Changed; }));
}

bool languageSwitched(const QList<ParadataEvent> &events)
{
    return std::any_of(events.cbegin(), events.cend(),
                       [](const ParadataEvent &e) { return e.kind == ParadataEvent::Kind::LanguageSwitched; });
}

} // namespace kerbside::paradatapack
