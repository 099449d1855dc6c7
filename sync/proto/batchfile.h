// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "syncformat.h"

#include <QByteArray>
#include <QString>

namespace kerbside {

/** The USB batch file: one serialized Batch in a kerbside.v1.BatchFile envelope with a
 *  SHA-256 checksum, so a file damaged on the stick is refused rather than half-merged. */
class BatchFile
{
public:
    // The file's bytes for a serialized Batch (as BatchCodec::encode returns it).
    static QByteArray wrap(const QByteArray &batch, const QString &deviceId = {});
    // Returns the serialized Batch. Throws ProtocolError: NotABatchFile (no magic),
    // UnsupportedVersion, Checksum, Malformed.
    static QByteArray unwrap(const QByteArray &file);

    // Writes atomically (QSaveFile); false with *error set on failure.
    static bool write(const QString &path, const QByteArray &batch, const QString &deviceId,
                      QString *error);
};

} // namespace kerbside
