// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "crc32.h"
#include "textintern.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <cstring>

namespace kerbside::packedbytes {

// What the store's packed blobs (packedanswers.h, packedparadata.h) share: little-endian
// fields, and a frame of 4 magic bytes, the revision packed at (u32) and a count (u32) at the
// front and the CRC-32 of everything before it at the end.
constexpr qsizetype kHeader = 12; // magic, revision, count
constexpr qsizetype kTrailer = 4; // CRC-32

inline void putLe32(QByteArray &out, quint32 v)
{
    const char b[4] = {char(v & 0xFF), char((v >> 8) & 0xFF), char((v >> 16) & 0xFF), char(v >> 24)};
    out.append(b, 4);
}

inline void putLe64(QByteArray &out, quint64 v)
{
    putLe32(out, quint32(v & 0xFFFFFFFFu));
    putLe32(out, quint32(v >> 32));
}

inline quint32 le32(const char *p)
{
    const auto *u = reinterpret_cast<const uchar *>(p);
    return quint32(u[0]) | (quint32(u[1]) << 8) | (quint32(u[2]) << 16) | (quint32(u[3]) << 24);
}

inline quint64 le64(const char *p)
{
    return quint64(le32(p)) | (quint64(le32(p + 4)) << 32);
}

// The frame's front: magic, revision, count (patched by finish()).
inline QByteArray start(const char (&magic)[4], int revision, quint32 count, qsizetype reserve)
{
    QByteArray out;
    out.reserve(kHeader + kTrailer + reserve);
    out.append(magic, 4);
    putLe32(out, quint32(revision));
    putLe32(out, count);
    return out;
}

inline void finish(QByteArray &out)
{
    putLe32(out, crc32(out));
}

// Checks the frame of `blob` (size, magic, CRC, revision) and that the count it claims of
// `items` ("answers", "events") fits in its bytes at `leastItem` bytes each; the count in
// *count. False with `why` set, naming `what` ("packed answers", "packed paradata").
inline bool checkFrame(QByteArrayView blob, const char (&magic)[4], int revision, const char *what,
                       qsizetype leastItem, const char *items, quint32 *count, QString *why)
{
    const qsizetype size = blob.size();
    const char *p = blob.data();
    if (size < kHeader + kTrailer) {
        *why = QStringLiteral("%1 bytes, too short for the %2").arg(size).arg(QLatin1String(what));
        return false;
    }
    if (std::memcmp(p, magic, 4) != 0) {
        *why = QStringLiteral("not %1 of format %2 (unknown first bytes)").arg(QLatin1String(what)).arg(int(magic[2]));
        return false;
    }
    if (crc32(blob.first(size - kTrailer)) != le32(p + size - kTrailer)) {
        *why = QStringLiteral("its CRC-32 does not match (damaged on disk)");
        return false;
    }
    if (le32(p + 4) != quint32(revision)) {
        *why = QStringLiteral("packed at revision %1, the response is at revision %2").arg(le32(p + 4)).arg(revision);
        return false;
    }
    *count = le32(p + 8);
    if (*count > quint32((size - kTrailer - kHeader) / leastItem)) {
        *why = QStringLiteral("it claims %1 %2, more than its %3 bytes can hold").arg(*count).arg(QLatin1String(items)).arg(size);
        return false;
    }
    return true;
}

// Reads a length-prefixed UTF-8 field at *at (before `end`) into *out, through `intern` when
// given; false when it runs past.
inline bool field(const char *p, qsizetype end, qsizetype *at, QString *out, TextIntern *intern)
{
    if (end - *at < 4)
        return false;
    const quint32 length = le32(p + *at);
    *at += 4;
    if (length > quint32(end - *at))
        return false;
    *out = intern ? intern->get(p + *at, qsizetype(length)) : QString::fromUtf8(p + *at, qsizetype(length));
    *at += qsizetype(length);
    return true;
}

inline void putField(QByteArray &out, const QString &s)
{
    const QByteArray bytes = s.toUtf8();
    putLe32(out, quint32(bytes.size()));
    out.append(bytes);
}

} // namespace kerbside::packedbytes
