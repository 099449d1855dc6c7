// SPDX-License-Identifier: Apache-2.0
#include "packedanswers.h"

#include "crc32.h"

#include <cstring>

namespace kerbside::packedanswers {

namespace {

constexpr char kMagic[4] = {'K', 'A', '\x01', '\0'};
constexpr qsizetype kHeader = 12; // magic, revision, count
constexpr qsizetype kTrailer = 4; // CRC-32

void putLe32(QByteArray &out, quint32 v)
{
    const char b[4] = {char(v & 0xFF), char((v >> 8) & 0xFF), char((v >> 16) & 0xFF), char(v >> 24)};
    out.append(b, 4);
}

quint32 le32(const char *p)
{
    const auto *u = reinterpret_cast<const uchar *>(p);
    return quint32(u[0]) | (quint32(u[1]) << 8) | (quint32(u[2]) << 16) | (quint32(u[3]) << 24);
}

QString text(const char *data, qsizetype size, TextIntern *intern)
{
    return intern ? intern->get(data, size) : QString::fromUtf8(data, size);
}

} // namespace

QByteArray pack(const QMap<QString, QString> &answers, int revision)
{
    QByteArray out;
    out.reserve(kHeader + kTrailer + answers.size() * 24);
    out.append(kMagic, 4);
    putLe32(out, quint32(revision));
    putLe32(out, quint32(answers.size()));
    for (auto it = answers.cbegin(); it != answers.cend(); ++it) {
        for (const QString *s : {&it.key(), &it.value()}) {
            const QByteArray bytes = s->toUtf8();
            putLe32(out, quint32(bytes.size()));
            out.append(bytes);
        }
    }
    putLe32(out, crc32(out));
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
    const qsizetype size = blob.size();
    const char *p = blob.data();
    if (size < kHeader + kTrailer)
        return refuse(QStringLiteral("%1 bytes, too short for the packed answers").arg(size));
    if (std::memcmp(p, kMagic, 4) != 0)
        return refuse(QStringLiteral("not packed answers of format 1 (unknown first bytes)"));
    if (crc32(blob.first(size - kTrailer)) != le32(p + size - kTrailer))
        return refuse(QStringLiteral("its CRC-32 does not match (damaged on disk)"));
    if (le32(p + 4) != quint32(revision))
        return refuse(QStringLiteral("packed at revision %1, the response is at revision %2")
                          .arg(le32(p + 4)).arg(revision));
    const quint32 count = le32(p + 8);
    const qsizetype end = size - kTrailer;
    if (count > quint32((end - kHeader) / 8))
        return refuse(QStringLiteral("it claims %1 answers, more than its %2 bytes can hold").arg(count).arg(size));
    qsizetype at = kHeader;
    const auto field = [&](QString *out) {
        if (end - at < 4)
            return false;
        const quint32 length = le32(p + at);
        at += 4;
        if (length > quint32(end - at))
            return false;
        *out = text(p + at, qsizetype(length), intern);
        at += qsizetype(length);
        return true;
    };
    QString question, value;
    for (quint32 i = 0; i < count; ++i) {
        if (!field(&question) || !field(&value))
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
