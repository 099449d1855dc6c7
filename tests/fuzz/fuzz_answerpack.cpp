// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the collector's stored answer pack (a column of response_versions read
// back by export, migrate and the dashboard): any bytes unpack or are refused, never a crash,
// over-read or leak; what unpacks packs back to the same bytes.
#include "answerpack.h"
#include "collectortypes.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *bytes = reinterpret_cast<const char *>(data);
    QList<kerbside::TypedAnswer> answers;
    if (kerbside::answerpack::unpack(bytes, qsizetype(size), &answers)) {
        const QByteArray again = kerbside::answerpack::pack(answers);
        QList<kerbside::TypedAnswer> twice;
        if (!kerbside::answerpack::unpack(again, &twice) || twice.size() != answers.size())
            __builtin_trap();
    } else if (!answers.isEmpty()) {
        __builtin_trap(); // refused packs leave the output unchanged
    }
    kerbside::StringReuse names;
    QList<kerbside::TypedAnswer> stored;
    try {
        kerbside::answerpack::unpackStored(QByteArrayView(bytes, qsizetype(size)), &stored, &names,
                                           QStringLiteral("fuzz.db"), 1);
    } catch (const kerbside::CollectorError &) {
    }
    return 0;
}
