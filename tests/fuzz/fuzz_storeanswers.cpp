// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the device store's packed answers (responses.answers_packed, read by the
// outbox from a store file, which is hostile): any bytes unpack or are refused with a reason,
// never a crash, over-read or leak; what unpacks packs back to the same answers. An input
// starting with 'F' gets its CRC-32 appended, so the fuzzer also reaches what lies behind it.
#include "store/packedanswers.h"
#include "storeblob.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace kerbside;
    const QByteArray blob = fuzz::storeBlob(data, size);
    const int revision = fuzz::claimedRevision(blob);
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
