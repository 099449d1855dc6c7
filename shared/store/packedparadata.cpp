// SPDX-License-Identifier: Apache-2.0
#include "packedparadata.h"

#include "packedbytes.h"

namespace kerbside::packedparadata {

namespace {

constexpr char kMagic[4] = {'K', 'P', '\x01', '\0'};
constexpr qsizetype kLeastEvent = 8 + 1 + 4 + 4; // time, kind, two empty texts
constexpr quint8 kLastKind = quint8(ParadataEvent::Kind::Finalised);

} // namespace

using namespace packedbytes;

QByteArray pack(const QList<ParadataEvent> &events, int revision)
{
    QByteArray out = start(kMagic, revision, quint32(events.size()), events.size() * 32);
    for (const ParadataEvent &e : events) {
        putLe64(out, quint64(e.time.toMSecsSinceEpoch()));
        out.append(char(quint8(e.kind)));
        putField(out, e.question);
        putField(out, e.detail);
    }
    finish(out);
    return out;
}

bool unpack(QByteArrayView blob, int revision, const QString &uuid, QList<ParadataEvent> *events,
            QString *why, TextIntern *intern)
{
    events->clear();
    const auto refuse = [&](const QString &reason) {
        events->clear();
        *why = reason;
        return false;
    };
    quint32 count = 0;
    if (!checkFrame(blob, kMagic, revision, "packed paradata", kLeastEvent, "events", &count, why))
        return false;
    const char *p = blob.data();
    const qsizetype end = blob.size() - kTrailer;
    events->reserve(qsizetype(count));
    qsizetype at = kHeader;
    for (quint32 i = 0; i < count; ++i) {
        if (end - at < 9)
            return refuse(QStringLiteral("event %1 of %2 runs past the end").arg(i + 1).arg(count));
        ParadataEvent e;
        e.responseUuid = uuid;
        e.time = QDateTime::fromMSecsSinceEpoch(qint64(le64(p + at)), Qt::UTC);
        const quint8 kind = quint8(p[at + 8]);
        at += 9;
        if (kind > kLastKind)
            return refuse(QStringLiteral("event %1 has an unknown kind (%2)").arg(i + 1).arg(kind));
        e.kind = ParadataEvent::Kind(kind);
        if (!field(p, end, &at, &e.question, intern) || !field(p, end, &at, &e.detail, intern))
            return refuse(QStringLiteral("event %1 of %2 runs past the end").arg(i + 1).arg(count));
        events->append(std::move(e));
    }
    if (at != end)
        return refuse(QStringLiteral("%1 bytes follow the last event").arg(end - at));
    return true;
}

} // namespace kerbside::packedparadata
