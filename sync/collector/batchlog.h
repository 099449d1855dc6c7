// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace kerbside {

/** The batch log's stored form (`batches.raw`): every accepted batch, byte for byte as the
 *  tablet sent it, kept for audit and replay; nothing in the merge reads it back.
 *
 *  Why compressed: with a real interview's paradata the batch log was the largest thing the
 *  collector stored (~660 B of ~1,560 per response on SQLite). A zstd frame at level 1 takes it
 *  to about a third for ~1 ms per batch of 500, done by the uploading thread before it joins a
 *  group commit, so no other upload waits for it.
 *
 *  Format: a batch the log holds as it came (every row written before this format, and a batch
 *  that does not get smaller) is a protobuf `Batch`, which can never begin with a 0x00 byte
 *  (field number 0 is invalid). A packed one is 0x00, a format byte 0x01, then one zstd frame
 *  that records its content size and a checksum of it. So old and new rows share the column
 *  with no schema step, and `kerbside migrate` copies either verbatim (its checksum compares
 *  stored bytes). */
namespace batchlog {

/** The largest batch unpack() inflates unless told otherwise: 16× the default upload limit. */
inline constexpr qsizetype kDefaultMaxBytes = qsizetype(256) << 20;

/** What to store for `batch`: the packed form when smaller (or when `batch` begins with 0x00,
 *  which no accepted batch does, so that reading back is never ambiguous), otherwise `batch`.
 *  Throws CollectorError (Io) only when zstd fails on such bytes, which it does only out of memory. */
QByteArray pack(const QByteArray &batch);

/** The batch `stored` holds. Refuses (false, `out` unchanged, `why` says what is wrong) a pack
 *  of an unknown format, a frame that does not record its size, one larger than `maxBytes`
 *  (memory is bounded before anything is inflated), damaged, cut short or with bytes after it. */
bool unpack(QByteArrayView stored, QByteArray *out, QString *why, qsizetype maxBytes = kDefaultMaxBytes);

/** True when `stored` is in the packed form (whatever its health). */
bool isPacked(QByteArrayView stored);

} // namespace batchlog
} // namespace kerbside
