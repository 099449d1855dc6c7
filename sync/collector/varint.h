// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>

#include <type_traits>

namespace kerbside::varint {

/** Unsigned LEB128, as the stored packs write them (answerpack.h, paradatapack.h). */
inline void put(QByteArray *out, quint64 v)
{
    while (v >= 0x80) {
        out->append(char(v | 0x80));
        v >>= 7;
    }
    out->append(char(v));
}

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
