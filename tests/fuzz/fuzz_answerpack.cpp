// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the collector's stored answer pack (a column of response_versions read
// back by export, migrate and the dashboard): any bytes unpack or are refused, never a crash,
// over-read or leak; what unpacks packs back to the same answers. Both formats: 1 (names and
// values spelt out) and 2 (against a form version's dictionary, here a small fixed form).
#include "answerdictionary.h"
#include "answerpack.h"
#include "collectortypes.h"

#include "seedform.h"

#include <cstddef>
#include <cstdint>

namespace {

bool sameAnswers(const QList<kerbside::TypedAnswer> &a, const QList<kerbside::TypedAnswer> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (a[i].question != b[i].question || a[i].type != b[i].type || a[i].value != b[i].value)
            return false;
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *bytes = reinterpret_cast<const char *>(data);
    const kerbside::AnswerDictionary &d = seedDictionary();
    QList<kerbside::TypedAnswer> answers;
    if (kerbside::answerpack::unpack(bytes, qsizetype(size), &answers, nullptr, &d)) {
        // Repacked in either format, the answers come back the same.
        for (const kerbside::AnswerDictionary *with : {static_cast<const kerbside::AnswerDictionary *>(nullptr), &d}) {
            const QByteArray again = kerbside::answerpack::pack(answers, with);
            QList<kerbside::TypedAnswer> twice;
            if (!kerbside::answerpack::unpack(again.constData(), again.size(), &twice, nullptr, with)
                || !sameAnswers(answers, twice))
                __builtin_trap();
        }
    } else if (!answers.isEmpty()) {
        __builtin_trap(); // refused packs leave the output unchanged
    }
    kerbside::StringReuse names;
    QList<kerbside::TypedAnswer> stored;
    try {
        kerbside::answerpack::unpackStored(QByteArrayView(bytes, qsizetype(size)), &stored, &names,
                                           QStringLiteral("fuzz.db"), 1, {}, size % 2 ? &d : nullptr);
    } catch (const kerbside::CollectorError &) {
    }
    return 0;
}
