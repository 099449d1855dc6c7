// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the collector's batch decoder and the USB batch-file envelope: any
// input must give a decoded batch or a ProtocolError, never a crash, hang or other exception.
// tests/fuzz/README.md says how to build and run it.
#include "batchcodec.h"
#include "batchfile.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    try {
        const kerbside::IncomingBatch batch = kerbside::BatchCodec::decode(bytes);
        // Whatever decoded must hash and re-read consistently.
        for (const kerbside::IncomingResponse &r : batch.responses) {
            if (kerbside::BatchCodec::responseHash(r.meta, r.answers) != r.contentHash)
                __builtin_trap();
        }
    } catch (const kerbside::ProtocolError &) {
    }
    try {
        kerbside::BatchCodec::decode(kerbside::BatchFile::unwrap(bytes));
    } catch (const kerbside::ProtocolError &) {
    }
    return 0;
}
