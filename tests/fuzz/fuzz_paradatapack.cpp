// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the collector's stored paradata pack (a column of response_versions
// read back by the dashboard's timeline and the case counters): any bytes unpack or are
// refused, never a crash, over-read or leak; what unpacks packs back to the same events, with
// and without a form version's dictionary (seedform.h) and either start.
#include "answerdictionary.h"
#include "collectortypes.h"
#include "paradatapack.h"

#include "seedform.h"

#include <cstddef>
#include <cstdint>

namespace {

bool sameEvents(const QList<kerbside::ParadataEvent> &a, const QList<kerbside::ParadataEvent> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (a[i].time != b[i].time || a[i].time.isValid() != b[i].time.isValid() || a[i].kind != b[i].kind
            || a[i].question != b[i].question || a[i].detail != b[i].detail)
            return false;
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *bytes = reinterpret_cast<const char *>(data);
    const kerbside::AnswerDictionary &d = seedDictionary();
    const QDateTime started = size % 3 ? QDateTime::fromMSecsSinceEpoch(1793324562498LL, Qt::UTC) : QDateTime();
    QList<kerbside::ParadataEvent> events;
    if (kerbside::paradatapack::unpack(bytes, qsizetype(size), &events, &d, started)) {
        for (const kerbside::AnswerDictionary *with : {static_cast<const kerbside::AnswerDictionary *>(nullptr), &d}) {
            for (const QDateTime &from : {started, QDateTime()}) {
                const QByteArray again = kerbside::paradatapack::pack(events, with, from);
                QList<kerbside::ParadataEvent> twice;
                if (!kerbside::paradatapack::unpack(again.constData(), again.size(), &twice, with, from)
                    || !sameEvents(events, twice))
                    __builtin_trap();
            }
        }
    } else if (!events.isEmpty()) {
        __builtin_trap(); // refused packs leave the output unchanged
    }
    QList<kerbside::ParadataEvent> stored;
    try {
        kerbside::paradatapack::unpackStored(QByteArrayView(bytes, qsizetype(size)), &stored, QStringLiteral("fuzz.db"), 1,
                                             size % 2 ? &d : nullptr, started);
    } catch (const kerbside::CollectorError &) {
    }
    return 0;
}
