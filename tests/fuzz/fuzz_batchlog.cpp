// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the batch log's stored form (sync/collector/batchlog.h, `batches.raw`,
// read back when a logged batch is replayed or audited): any bytes unpack or are refused, never
// a crash, over-read, leak or an allocation past the limit; a refusal leaves the output as it
// was; what unpacks packs back and unpacks again to the same bytes.
#include "batchlog.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView stored(reinterpret_cast<const char *>(data), qsizetype(size));
    constexpr qsizetype kLimit = 1 << 20; // what a frame may claim to inflate to, here
    QByteArray out("unchanged");
    QString why;
    if (!kerbside::batchlog::unpack(stored, &out, &why, kLimit)) {
        if (out != "unchanged" || why.isEmpty())
            __builtin_trap();
        return 0;
    }
    if (out.size() > kLimit && kerbside::batchlog::isPacked(stored))
        __builtin_trap();
    if (!kerbside::batchlog::isPacked(stored) && out != stored)
        __builtin_trap(); // plain rows come back as they are
    const QByteArray again = kerbside::batchlog::pack(out);
    QByteArray twice;
    if (!kerbside::batchlog::unpack(again, &twice, &why, out.size() + 1) || twice != out)
        __builtin_trap();
    return 0;
}
