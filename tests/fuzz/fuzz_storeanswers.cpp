// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the device store's packed answers (responses.answers_packed, read by the
// outbox from a store file, which is hostile): any bytes unpack or are refused with a reason,
// never a crash, over-read or leak; what unpacks packs back to the same answers. An input
// starting with 'F' gets its CRC-32 appended, so the fuzzer also reaches what lies behind it.
#include "store/crc32.h"
#include "store/packedanswers.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace kerbside;
    QByteArray blob(reinterpret_cast<const char *>(data), qsizetype(size));
    if (blob.startsWith('F')) {
        blob.remove(0, 1);
        const quint32 crc = crc32(blob);
        for (int i = 0; i < 4; ++i)
            blob.append(char((crc >> (8 * i)) & 0xFF));
    }
    // The revision the row would have: the one the blob claims (to reach past that check).
    const int revision = blob.size() >= 8 ? int(quint8(blob[4]) | (quint8(blob[5]) << 8)
                                                | (quint8(blob[6]) << 16) | (quint32(quint8(blob[7])) << 24))
                                          : 1;
    QMap<QString, QString> answers;
    QString why;
    TextIntern intern;
    const bool ok = packedanswers::unpack(blob, revision, &answers, &why, &intern);
    if (ok != why.isEmpty())
        std::abort(); // a refusal always says why; an accepted blob leaves no reason
    if (!ok) {
        if (!answers.isEmpty())
            std::abort(); // refused: nothing half-read is handed out
        return 0;
    }
    QMap<QString, QString> again;
    QString whyAgain;
    if (!packedanswers::unpack(packedanswers::pack(answers, revision), revision, &again, &whyAgain) || again != answers)
        std::abort();
    return 0;
}
