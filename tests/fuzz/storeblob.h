// SPDX-License-Identifier: Apache-2.0
// What the fuzz targets of the device store's packed blobs (fuzz_storeanswers,
// fuzz_storeparadata) share: an input starting with 'F' gets its CRC-32 appended, so the fuzzer
// also reaches what lies behind that check; the revision the row would have is the one the blob
// claims (to reach past that check too).
#pragma once

#include "store/crc32.h"

#include <QByteArray>

#include <cstddef>
#include <cstdint>

namespace kerbside::fuzz {

inline QByteArray storeBlob(const uint8_t *data, size_t size)
{
    QByteArray blob(reinterpret_cast<const char *>(data), qsizetype(size));
    if (blob.startsWith('F')) {
        blob.remove(0, 1);
        const quint32 crc = crc32(blob);
        for (int i = 0; i < 4; ++i)
            blob.append(char((crc >> (8 * i)) & 0xFF));
    }
    return blob;
}

inline int claimedRevision(const QByteArray &blob)
{
    return blob.size() >= 8 ? int(quint8(blob[4]) | (quint8(blob[5]) << 8) | (quint8(blob[6]) << 16)
                                  | (quint32(quint8(blob[7])) << 24))
                            : 1;
}

} // namespace kerbside::fuzz
