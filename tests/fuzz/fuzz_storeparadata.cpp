// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the device store's packed paradata (responses.paradata_packed, schema 7,
// read by the outbox from a store file, which is hostile): any bytes unpack or are refused with
// a reason, never a crash, over-read or leak; what unpacks packs back to the same events. An
// input starting with 'F' gets its CRC-32 appended, so the fuzzer also reaches what lies behind.
#include "store/packedparadata.h"
#include "storeblob.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

bool same(const QList<kerbside::ParadataEvent> &x, const QList<kerbside::ParadataEvent> &y)
{
    if (x.size() != y.size())
        return false;
    for (qsizetype i = 0; i < x.size(); ++i) {
        if (x[i].responseUuid != y[i].responseUuid || x[i].time.toMSecsSinceEpoch() != y[i].time.toMSecsSinceEpoch()
            || x[i].kind != y[i].kind || x[i].question != y[i].question || x[i].detail != y[i].detail)
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace kerbside;
    const QByteArray blob = fuzz::storeBlob(data, size);
    const int revision = fuzz::claimedRevision(blob);
    const QString uuid = QStringLiteral("018f3a2e-7c41-7000-8000-000000000001");
    QList<ParadataEvent> events;
    QString why;
    TextIntern intern;
    const bool ok = packedparadata::unpack(blob, revision, uuid, &events, &why, &intern);
    if (ok != why.isEmpty())
        std::abort(); // a refusal always says why; an accepted blob leaves no reason
    if (!ok) {
        if (!events.isEmpty())
            std::abort(); // refused: nothing half-read is handed out
        return 0;
    }
    for (const ParadataEvent &e : std::as_const(events))
        if (e.responseUuid != uuid)
            std::abort();
    QList<ParadataEvent> again;
    QString whyAgain;
    if (!packedparadata::unpack(packedparadata::pack(events, revision), revision, uuid, &again, &whyAgain)
        || !same(again, events))
        std::abort();
    return 0;
}
