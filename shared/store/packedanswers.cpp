// SPDX-License-Identifier: Apache-2.0
#include "packedanswers.h"

#include "packedbytes.h"

namespace kerbside::packedanswers {

namespace {

constexpr char kMagic[4] = {'K', 'A', '\x01', '\0'};

} // namespace

using namespace packedbytes;

QByteArray pack(const QMap<QString, QString> &answers, int revision)
{
    QByteArray out = start(kMagic, revision, quint32(answers.size()), answers.size() * 24);
    for (auto it = answers.cbegin(); it != answers.cend(); ++it) {
        putField(out, it.key());
        putField(out, it.value());
    }
    finish(out);
    return out;
}

bool unpack(QByteArrayView blob, int revision, QMap<QString, QString> *answers, QString *why,
            TextIntern *intern)
{
    answers->clear();
    const auto refuse = [&](const QString &reason) {
        answers->clear();
        *why = reason;
        return false;
    };
    quint32 count = 0;
    // An answer is at least two empty length-prefixed texts.
    if (!checkFrame(blob, kMagic, revision, "packed answers", 8, "answers", &count, why))
        return false;
    const char *p = blob.data();
    const qsizetype end = blob.size() - kTrailer;
    qsizetype at = kHeader;
    QString question, value;
    for (quint32 i = 0; i < count; ++i) {
        if (!field(p, end, &at, &question, intern) || !field(p, end, &at, &value, intern))
            return refuse(QStringLiteral("answer %1 of %2 runs past the end").arg(i + 1).arg(count));
        if (question.isEmpty())
            return refuse(QStringLiteral("answer %1 has no question name").arg(i + 1));
        // Packed in key order: with the end as hint, no search of the tree.
        answers->insert(answers->cend(), question, value);
    }
    if (at != end)
        return refuse(QStringLiteral("%1 bytes follow the last answer").arg(end - at));
    if (qsizetype(answers->size()) != qsizetype(count))
        return refuse(QStringLiteral("a question appears twice"));
    return true;
}

} // namespace kerbside::packedanswers
