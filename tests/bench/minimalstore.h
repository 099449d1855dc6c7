// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace kerbside::bench {

/** The honest limits bench_sync measures the collector against, in the same run: the least
 *  work that could durably keep the same batch bytes with exactly-once per response.
 *
 *  - minimalSqliteRate: SQLite (WAL, synchronous=FULL, as the collector), a row per batch
 *    (16-byte UUID, the bytes) plus a row per response keyed by its 16-byte UUID, the UUIDs read
 *    with a plain protobuf parse; `groupSize` batches per transaction (1 for one device; the
 *    collector's group commit can at best put every waiting device's batch in one commit).
 *  - appendRate: the batch bytes appended to one file, fdatasync'd every `groupSize` batches.
 *
 *  Each passes over `bodies` again (a fresh file each pass) until `seconds` have gone by and
 *  returns responses per second. */
double minimalSqliteRate(const QString &dir, const QList<QByteArray> &bodies, int groupSize, double seconds);
double appendRate(const QString &dir, const QList<QByteArray> &bodies, int groupSize, double seconds);

/** Responses in a serialized kerbside.v1.Batch (0 when it does not parse). */
int responsesIn(const QByteArray &body);

} // namespace kerbside::bench
