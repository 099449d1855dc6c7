// SPDX-License-Identifier: Apache-2.0
#include "answerpack.h"

#include "collectortypes.h"
#include "varint.h"

namespace kerbside::answerpack {

namespace {

constexpr char kFormat = 0x01;
constexpr char kDictionaryFormat = 0x02;
// The low two bits of a format 2 value's varint.
constexpr quint32 kLiteral = 0, kChoice = 1, kChoices = 2;
// Most choices one packed select_multiple names (a value is held to far less by the decoder).
constexpr quint32 kMaxChoices = 4096;

bool getVarint(const uchar *&p, const uchar *end, quint32 *v)
{
    return varint::get(p, end, v);
}

// A select_multiple's value as choice indexes, when it is two or more of the question's
// choices joined by single spaces (so joining them again gives the value exactly).
bool choiceIndexes(const AnswerDictionary &d, int q, const QString &value, QList<quint32> *out)
{
    if (d.choices(q).isEmpty() || !value.contains(QLatin1Char(' ')))
        return false;
    qsizetype from = 0;
    for (;;) {
        const qsizetype space = value.indexOf(QLatin1Char(' '), from);
        const QStringView token = QStringView(value).mid(from, space < 0 ? -1 : space - from);
        const int c = token.isEmpty() ? -1 : d.choiceIndex(q, token);
        if (c < 0)
            return false;
        out->append(quint32(c));
        if (space < 0)
            return out->size() >= 2 && out->size() <= qsizetype(kMaxChoices);
        from = space + 1;
    }
}

bool unpackDictionary(const uchar *p, const uchar *end, QList<TypedAnswer> *out, const AnswerDictionary &d)
{
    quint32 n = 0;
    if (!getVarint(p, end, &n) || n != quint32(d.size()))
        return false; // packed against another dictionary
    QList<TypedAnswer> read;
    read.reserve(32);
    while (p < end) {
        TypedAnswer a;
        if (!getVarint(p, end, &n))
            return false;
        int q = int(n) - 1; // the dictionary's question; -1 for a name spelt out
        if (n == 0) {
            if (!getVarint(p, end, &n) || n > quint32(end - p))
                return false;
            a.question = QString::fromUtf8(reinterpret_cast<const char *>(p), qsizetype(n));
            p += n;
            q = d.indexOf(a.question);
        } else if (n > quint32(d.size())) {
            return false;
        } else {
            a.question = d.name(q);
        }
        if (p >= end || !answerTypeFromInt(int(*p++), &a.type))
            return false;
        if (!getVarint(p, end, &n))
            return false;
        const quint32 count = n >> 2;
        switch (n & 3) {
        case kLiteral:
            if (count > quint32(end - p))
                return false;
            a.value = QString::fromUtf8(reinterpret_cast<const char *>(p), qsizetype(count));
            p += count;
            break;
        case kChoice:
            if (q < 0 || count >= quint32(d.choices(q).size()))
                return false;
            a.value = d.choices(q)[qsizetype(count)];
            break;
        case kChoices: {
            // Each index takes a byte at least: a count past the bytes left is damage.
            if (q < 0 || count < 2 || count > kMaxChoices || count > quint32(end - p))
                return false;
            const QStringList &choices = d.choices(q);
            for (quint32 i = 0; i < count; ++i) {
                quint32 c = 0;
                if (!getVarint(p, end, &c) || c >= quint32(choices.size()))
                    return false;
                if (i > 0)
                    a.value += QLatin1Char(' ');
                a.value += choices[qsizetype(c)];
            }
            break;
        }
        default:
            return false;
        }
        read.append(std::move(a));
    }
    out->append(std::move(read));
    return true;
}

} // namespace

QByteArray pack(const QList<TypedAnswer> &answers, const AnswerDictionary *d)
{
    if (!d)
        return pack(answers);
    varint::Writer out(8 + answers.size() * 4);
    out.byte(kDictionaryFormat);
    out.put(quint32(d->size()));
    QList<quint32> choices;
    int next = 0; // answers come sorted by name, as the dictionary: found by walking it, not hashing
    for (const TypedAnswer &a : answers) {
        while (next < d->size() && d->name(next) < a.question)
            ++next;
        const int q = next < d->size() && d->name(next) == a.question ? next : d->indexOf(a.question);
        if (q < 0) {
            out.put(0);
            out.text(a.question, 0, 0);
        } else {
            out.put(quint32(q + 1));
        }
        out.byte(char(int(a.type)));
        const int c = q < 0 || d->choices(q).isEmpty() ? -1 : d->choiceIndex(q, a.value);
        choices.clear();
        if (c >= 0) {
            out.put((quint32(c) << 2) | kChoice);
        } else if (q >= 0 && choiceIndexes(*d, q, a.value, &choices)) {
            out.put((quint32(choices.size()) << 2) | kChoices);
            for (quint32 i : std::as_const(choices))
                out.put(i);
        } else {
            out.text(a.value, 2, kLiteral);
        }
    }
    return out.take();
}

QByteArray pack(const QList<TypedAnswer> &answers)
{
    qsizetype estimate = 1;
    for (const TypedAnswer &a : answers)
        estimate += 3 + a.question.size() + a.value.size() * 3 / 2 + 8;
    varint::Writer out(estimate);
    out.byte(kFormat);
    for (const TypedAnswer &a : answers) {
        out.text(a.question);
        out.byte(char(int(a.type)));
        out.text(a.value);
    }
    return out.take();
}

bool unpack(const char *data, qsizetype size, QList<TypedAnswer> *out)
{
    return unpack(data, size, out, nullptr);
}

bool unpack(const char *data, qsizetype size, QList<TypedAnswer> *out, StringReuse *names)
{
    return unpack(data, size, out, names, nullptr);
}

bool unpack(const char *data, qsizetype size, QList<TypedAnswer> *out, StringReuse *names,
            const AnswerDictionary *dictionary)
{
    if (size == 0)
        return false; // even no answers are packed as the format byte
    const auto *p = reinterpret_cast<const uchar *>(data);
    const uchar *end = p + size;
    if (*p == uchar(kDictionaryFormat))
        return dictionary && unpackDictionary(p + 1, end, out, *dictionary);
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
                  qint64 versionId, const QString &uuid, const AnswerDictionary *dictionary)
{
    if (unpack(packed.data(), packed.size(), out, names, dictionary))
        return;
    const QString why = !packed.isEmpty() && packed[0] == kDictionaryFormat && !dictionary
        ? QStringLiteral("are packed against a form version this database does not hold (or cannot read)")
        : QStringLiteral("are damaged");
    throw CollectorError(CollectorError::Code::Invalid,
                         uuid.isEmpty()
                             ? QStringLiteral("%1: the answers of response version %2 %3").arg(where).arg(versionId).arg(why)
                             : QStringLiteral("%1: the answers of response %2 (version %3) %4")
                                   .arg(where, uuid).arg(versionId).arg(why));
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
