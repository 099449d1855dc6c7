// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArrayView>

#include <array>

namespace kerbside {

// CRC-32 with zlib's polynomial (the journal's records, the packed answers of the store),
// four bytes a step (slicing-by-4): the outbox checks one per response of every batch.
inline quint32 crc32(QByteArrayView data)
{
    using Tables = std::array<std::array<quint32, 256>, 4>;
    static const Tables t = [] {
        Tables s {};
        for (quint32 i = 0; i < 256; ++i) {
            quint32 c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            s[0][i] = c;
        }
        for (quint32 i = 0; i < 256; ++i)
            for (int k = 1; k < 4; ++k)
                s[k][i] = (s[k - 1][i] >> 8) ^ s[0][s[k - 1][i] & 0xFF];
        return s;
    }();
    const auto *p = reinterpret_cast<const uchar *>(data.data());
    qsizetype n = data.size();
    quint32 c = 0xFFFFFFFFu;
    for (; n >= 4; n -= 4, p += 4) {
        c ^= quint32(p[0]) | (quint32(p[1]) << 8) | (quint32(p[2]) << 16) | (quint32(p[3]) << 24);
        c = t[3][c & 0xFF] ^ t[2][(c >> 8) & 0xFF] ^ t[1][(c >> 16) & 0xFF] ^ t[0][c >> 24];
    }
    for (; n > 0; --n, ++p)
        c = t[0][(c ^ *p) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

} // namespace kerbside
