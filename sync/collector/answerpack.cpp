// SPDX-License-Identifier: Apache-2.0
#include "answerpack.h"

#include "collectortypes.h"

namespace kerbside::answerpack {

namespace {

constexpr char kFormat = 0x01;

void putVarint(QByteArray *out, quint32 v)
{
    while (v >= 0x80) {
        out->append(char(v | 0x80));
        v >>= 7;
    }
    out->append(char(v));
}

bool getVarint(const uchar *&p, const uchar *end, quint32 *v)
{
    quint32 result = 0;
    for (int shift = 0; shift < 35 && p < end; shift += 7) {
        const uchar b = *p++;
        if (shift == 28 && (b & 0x70))
            return false; // more than 32 bits

        result |= quint32(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *v = result;
            return true;
        }
    }
    return false;
}

} // namespace

QByteArray pack(const QList<TypedAnswer> &answers)
{
    QByteArray out;
    qsizetype estimate = 1;
    for (const TypedAnswer &a : answers)
        estimate += 3 + a.question.size() + a.value.size() * 3 / 2 + 8;
    out.reserve(estimate);
    out.append(kFormat);
    for (const TypedAnswer &a : answers) {
        const QByteArray q = a.question.toUtf8();
        putVarint(&out, quint32(q.size()));
        out.append(q);
        out.append(char(int(a.type)));
        const QByteArray v = a.value.toUtf8();
        putVarint(&out, quint32(v.size()));
        out.append(v);
    }
    return out;
}

bool unpack(const char *data, qsizetype size, QList<TypedAnswer> *out)
{
    return unpack(data, size, out, nullptr);
}

bool unpack(const char *data, qsizetype size, QList<TypedAnswer> *out, StringReuse *names)
{
    if (size == 0)
        return false; // even no answers are packed as the format byte
    const auto *p = reinterpret_cast<const uchar *>(data);
    const uchar *end = p + size;
    if (*p++ != uchar(kFormat))
        return false;
    QList<TypedAnswer> read;
    read.reserve(32);
    while (p < end) {
        quint32 n = 0;
        if (!getVarint(p, end, &n) || n > quint32(end - p))
            return false;
        TypedAnswer a;
        const auto *name = reinterpret_cast<const char *>(p);
        a.question = names ? names->get(int(read.size()), name, qsizetype(n)) : QString::fromUtf8(name, qsizetype(n));
        p += n;
        if (p >= end || !answerTypeFromInt(int(*p++), &a.type))
            return false;
        if (!getVarint(p, end, &n) || n > quint32(end - p))
            return false;
        a.value = QString::fromUtf8(reinterpret_cast<const char *>(p), qsizetype(n));
        p += n;
        read.append(std::move(a));
    }
    out->append(std::move(read));
    return true;
}

bool unpack(const QByteArray &packed, QList<TypedAnswer> *out)
{
    return unpack(packed.constData(), packed.size(), out, nullptr);
}

void unpackStored(QByteArrayView packed, QList<TypedAnswer> *out, StringReuse *names, const QString &where,
                  qint64 versionId, const QString &uuid)
{
    if (unpack(packed.data(), packed.size(), out, names))
        return;
    throw CollectorError(CollectorError::Code::Invalid,
                         uuid.isEmpty()
                             ? QStringLiteral("%1: the answers of response version %2 are damaged").arg(where).arg(versionId)
                             : QStringLiteral("%1: the answers of response %2 (version %3) are damaged")
                                   .arg(where, uuid).arg(versionId));
}

TypedAnswer fromVersion1Row(const QString &where, qint64 versionId, const QString &question, qint64 type,
                            const QString &value)
{
    TypedAnswer a{question, AnswerType::Text, value};
    if (!answerTypeFromInt(int(type), &a.type))
        throw CollectorError(CollectorError::Code::Invalid,
                             QStringLiteral("%1: answer %2 of response version %3 has unknown type %4")
                                 .arg(where, question).arg(versionId).arg(type));
    return a;
}

} // namespace kerbside::answerpack
