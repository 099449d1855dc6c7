// SPDX-License-Identifier: Apache-2.0
#include "timeuuid.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QUuid>

#include <mutex>

namespace kerbside {

QString newTimeOrderedUuid()
{
    static std::mutex mutex;
    static qint64 lastMs = 0;
    static quint32 counter = 0;

    qint64 ms = QDateTime::currentMSecsSinceEpoch();
    quint32 seq = 0;
    {
        std::lock_guard lock(mutex);
        if (ms <= lastMs) {
            // Same ms (or the clock stepped back): count on from the last UUID so order holds.
            ms = lastMs;
            if (++counter > 0xfff) {
                ++ms; // 4,096 in one ms: borrow the next ms rather than repeat
                counter = 0;
            }
        } else {
            counter = 0;
        }
        lastMs = ms;
        seq = counter;
    }
    return timeOrderedUuid(ms, quint16(seq), QRandomGenerator::system()->generate64());
}

QString timeOrderedUuid(qint64 ms, quint16 a, quint64 b)
{
    uchar bytes[16];
    for (int i = 0; i < 6; ++i)
        bytes[i] = uchar(quint64(ms) >> (40 - 8 * i));
    bytes[6] = uchar(0x70 | ((a >> 8) & 0x0f)); // version 7
    bytes[7] = uchar(a & 0xff);
    bytes[8] = uchar(0x80 | ((b >> 56) & 0x3f)); // variant 10
    for (int i = 9; i < 16; ++i)
        bytes[i] = uchar(b >> (8 * (15 - i)));
    return QUuid::fromRfc4122(QByteArrayView(reinterpret_cast<const char *>(bytes), 16)).toString(QUuid::WithoutBraces);
}

qint64 timeOrderedUuidMs(const QString &uuid)
{
    const QUuid u = QUuid::fromString(uuid);
    const QByteArray b = u.toRfc4122();
    // Qt 6.4's QUuid::version() knows versions 1-5 only: read the nibble itself.
    if (u.isNull() || (uchar(b[6]) >> 4) != 7 || u.variant() != QUuid::DCE)
        return -1;
    qint64 ms = 0;
    for (int i = 0; i < 6; ++i)
        ms = (ms << 8) | uchar(b[i]);
    return ms;
}

} // namespace kerbside
