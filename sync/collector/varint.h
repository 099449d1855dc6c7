// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QString>

#include <algorithm>
#include <cstring>
#include <type_traits>

namespace kerbside::varint {

/** Writes a pack (unsigned LEB128 varints, as answerpack.h and paradatapack.h store them, and
 *  UTF-8 texts) through a raw pointer into one buffer, grown only when a write would pass its
 *  end: QByteArray::append(char) per byte (and a QByteArray per string's UTF-8) was most of a
 *  pack's cost. The texts' bytes are exactly QString::toUtf8()'s. */
class Writer
{
public:
    explicit Writer(qsizetype reserve) { grow(std::max<qsizetype>(reserve, 16)); }

    void byte(char c)
    {
        room(1);
        *m_p++ = c;
    }
    void put(quint64 v)
    {
        room(10);
        while (v >= 0x80) {
            *m_p++ = char(v | 0x80);
            v >>= 7;
        }
        *m_p++ = char(v);
    }
    void bytes(const char *data, qsizetype n)
    {
        room(n);
        if (n > 0)
            std::memcpy(m_p, data, size_t(n));
        m_p += n;
    }
    /** The UTF-8 of `text` after a varint of (its length << shift) | tag. ASCII (nearly every
     *  name and value) is copied straight in; anything else goes through toUtf8(). */
    void text(const QString &text, int shift = 0, quint64 tag = 0)
    {
        const qsizetype n = text.size();
        const ushort *u = text.utf16();
        qsizetype ascii = 0;
        while (ascii < n && u[ascii] < 0x80)
            ++ascii;
        if (ascii == n) {
            put((quint64(n) << shift) | tag);
            room(n);
            for (qsizetype i = 0; i < n; ++i)
                m_p[i] = char(u[i]);
            m_p += n;
            return;
        }
        const QByteArray utf8 = text.toUtf8();
        put((quint64(utf8.size()) << shift) | tag);
        bytes(utf8.constData(), utf8.size());
    }
    QByteArray take()
    {
        m_out.resize(m_p - m_begin);
        return std::move(m_out);
    }

private:
    void room(qsizetype n)
    {
        if (m_end - m_p < n)
            grow(n);
    }
    void grow(qsizetype n)
    {
        const qsizetype used = m_p - m_begin;
        m_out.resize(std::max(m_out.size() * 2, used + n));
        m_begin = m_out.data();
        m_p = m_begin + used;
        m_end = m_begin + m_out.size();
    }

    QByteArray m_out;
    char *m_begin = nullptr, *m_p = nullptr, *m_end = nullptr;
};

/** Reads one into `v`, moving `p` past it; false when it runs past `end` or holds more bits
 *  than T (quint32 or quint64). */
template <typename T>
bool get(const uchar *&p, const uchar *end, T *v)
{
    static_assert(std::is_same_v<T, quint32> || std::is_same_v<T, quint64>);
    constexpr int kBits = int(sizeof(T)) * 8;
    T result = 0;
    for (int shift = 0; shift < kBits && p < end; shift += 7) {
        const uchar b = *p++;
        if (shift + 7 > kBits && ((b & 0x7f) >> (kBits - shift)))
            return false; // more than kBits bits
        result |= T(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *v = result;
            return true;
        }
    }
    return false;
}

} // namespace kerbside::varint
