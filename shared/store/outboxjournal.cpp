// SPDX-License-Identifier: Apache-2.0
#include "outboxjournal.h"

#include "jsonnumber.h"

#include "crc32.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace kerbside {

namespace {

constexpr char kMagic[] = "KBJRNL1\n";
constexpr qsizetype kMagicSize = 8;
constexpr char kRecord[] = "KBR1";
constexpr qsizetype kRecordHeader = 12;         // marker, length, CRC
constexpr quint32 kMaxPayload = 64 * 1024 * 1024; // bytes: one response, however many answers

void putLe32(QByteArray &out, quint32 v)
{
    for (int i = 0; i < 4; ++i)
        out += char((v >> (8 * i)) & 0xFF);
}

quint32 le32(const QByteArray &b, qsizetype at)
{
    quint32 v = 0;
    for (int i = 0; i < 4; ++i)
        v |= quint32(quint8(b[at + i])) << (8 * i);
    return v;
}

[[noreturn]] void fail(const QString &path, const QString &what, int error)
{
    throw StoreError(error == ENOSPC ? StoreError::Code::DiskFull : StoreError::Code::Io,
                     QStringLiteral("Outbox journal %1: %2 failed (%3)%4")
                         .arg(path, what, QString::fromLocal8Bit(strerror(error)),
                              error == ENOSPC ? QStringLiteral("; the disk is full, the response "
                                                               "was not finalised")
                                              : QString()));
}

void syncDirectory(const QString &path)
{
    const int fd = ::open(QFile::encodeName(QFileInfo(path).absolutePath()).constData(), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

QJsonValue ms(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(double(t.toMSecsSinceEpoch())) : QJsonValue();
}

QDateTime fromMs(const QJsonValue &v)
{
    return v.isDouble() ? QDateTime::fromMSecsSinceEpoch(jsonWholeNumber(v), Qt::UTC) : QDateTime();
}

QJsonValue number(double d)
{
    return std::isfinite(d) ? QJsonValue(d) : QJsonValue();
}

double toNumber(const QJsonValue &v)
{
    return v.isDouble() ? v.toDouble() : qQNaN();
}

} // namespace

QString OutboxJournal::pathFor(const QString &storePath)
{
    return storePath + QStringLiteral(".journal");
}

QByteArray OutboxJournal::encode(const Entry &entry)
{
    const ResponseMeta &m = entry.response.meta;
    QJsonObject o;
    o.insert(QStringLiteral("uuid"), m.uuid);
    o.insert(QStringLiteral("form_id"), m.formId);
    o.insert(QStringLiteral("form_version"), m.formVersion);
    o.insert(QStringLiteral("case_study"), m.caseStudy);
    o.insert(QStringLiteral("enumerator"), m.enumerator);
    o.insert(QStringLiteral("device_id"), m.deviceId);
    o.insert(QStringLiteral("status"), responseStatusName(m.status));
    o.insert(QStringLiteral("revision"), m.revision);
    o.insert(QStringLiteral("started_ms"), ms(m.started));
    if (m.startedUtcOffset)
        o.insert(QStringLiteral("started_offset_s"), *m.startedUtcOffset);
    o.insert(QStringLiteral("ended_ms"), ms(m.ended));
    o.insert(QStringLiteral("updated_ms"), ms(m.updated));
    o.insert(QStringLiteral("language"), m.language);
    QJsonObject where;
    where.insert(QStringLiteral("latitude"), number(m.location.latitude));
    where.insert(QStringLiteral("longitude"), number(m.location.longitude));
    where.insert(QStringLiteral("altitude"), number(m.location.altitude));
    where.insert(QStringLiteral("accuracy"), number(m.location.accuracy));
    where.insert(QStringLiteral("fix_ms"), ms(m.location.time));
    o.insert(QStringLiteral("location"), where);
    o.insert(QStringLiteral("area"), QJsonObject{{QStringLiteral("inside"), insideAreaName(m.area.inside)},
                                                 {QStringLiteral("distance_m"), number(m.area.distanceMetres)},
                                                 {QStringLiteral("version"), m.area.areaVersion}});
    QJsonObject answers;
    for (auto it = entry.response.answers.cbegin(); it != entry.response.answers.cend(); ++it)
        answers.insert(it.key(), it.value());
    o.insert(QStringLiteral("answers"), answers);
    QJsonArray paradata;
    for (const ParadataEvent &e : entry.paradata) {
        paradata.append(QJsonArray {ms(e.time), paradataKindName(e.kind), e.question, e.detail});
    }
    o.insert(QStringLiteral("paradata"), paradata);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

bool OutboxJournal::decode(const QByteArray &payload, Entry *entry)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return false;
    const QJsonObject o = doc.object();
    Entry e;
    ResponseMeta &m = e.response.meta;
    m.uuid = o.value(QStringLiteral("uuid")).toString();
    m.formId = o.value(QStringLiteral("form_id")).toString();
    m.formVersion = o.value(QStringLiteral("form_version")).toString();
    m.caseStudy = o.value(QStringLiteral("case_study")).toString();
    m.enumerator = o.value(QStringLiteral("enumerator")).toString();
    m.deviceId = o.value(QStringLiteral("device_id")).toString();
    if (m.uuid.isEmpty() || !responseStatusFromName(o.value(QStringLiteral("status")).toString(), &m.status))
        return false;
    m.revision = o.value(QStringLiteral("revision")).toInt(0);
    if (m.revision < 1)
        return false;
    m.started = fromMs(o.value(QStringLiteral("started_ms")));
    if (const QJsonValue offset = o.value(QStringLiteral("started_offset_s")); offset.isDouble())
        m.startedUtcOffset = offset.toInt();
    m.ended = fromMs(o.value(QStringLiteral("ended_ms")));
    m.updated = fromMs(o.value(QStringLiteral("updated_ms")));
    m.language = o.value(QStringLiteral("language")).toString();
    const QJsonObject where = o.value(QStringLiteral("location")).toObject();
    m.location.latitude = toNumber(where.value(QStringLiteral("latitude")));
    m.location.longitude = toNumber(where.value(QStringLiteral("longitude")));
    m.location.altitude = toNumber(where.value(QStringLiteral("altitude")));
    m.location.accuracy = toNumber(where.value(QStringLiteral("accuracy")));
    m.location.time = fromMs(where.value(QStringLiteral("fix_ms")));
    const QJsonObject area = o.value(QStringLiteral("area")).toObject(); // absent before i12
    insideAreaFromName(area.value(QStringLiteral("inside")).toString(), &m.area.inside);
    m.area.distanceMetres = toNumber(area.value(QStringLiteral("distance_m")));
    m.area.areaVersion = std::max(0, area.value(QStringLiteral("version")).toInt());
    const QJsonObject answers = o.value(QStringLiteral("answers")).toObject();
    for (auto it = answers.constBegin(); it != answers.constEnd(); ++it)
        e.response.answers.insert(it.key(), it.value().toString());
    for (const QJsonValue &v : o.value(QStringLiteral("paradata")).toArray()) {
        const QJsonArray a = v.toArray();
        ParadataEvent p;
        p.responseUuid = m.uuid;
        p.time = fromMs(a.at(0));
        if (!paradataKindFromName(a.at(1).toString(), &p.kind))
            continue;
        p.question = a.at(2).toString();
        p.detail = a.at(3).toString();
        e.paradata.append(p);
    }
    *entry = std::move(e);
    return true;
}

void OutboxJournal::append(const QString &path, const Response &response, const QList<ParadataEvent> &paradata)
{
    const QByteArray payload = encode(Entry {response, paradata});
    QByteArray record = QByteArray(kRecord, 4);
    putLe32(record, quint32(payload.size()));
    putLe32(record, crc32(payload));
    record += payload;

    const bool created = !QFile::exists(path);
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        fail(path, QStringLiteral("opening"), errno);
    QByteArray bytes = record;
    if (created || QFileInfo(path).size() == 0)
        bytes.prepend(QByteArray(kMagic, kMagicSize));
    const off_t before = ::lseek(fd, 0, SEEK_END);
    qsizetype written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + written, size_t(bytes.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int error = n < 0 ? errno : ENOSPC;
            // Leave no torn record behind for the next append to follow.
            if (before >= 0 && ::ftruncate(fd, before) != 0) { /* the reader drops a torn tail */ }
            ::close(fd);
            fail(path, QStringLiteral("writing a record"), error);
        }
        written += n;
    }
    if (::fsync(fd) != 0) {
        const int error = errno;
        ::close(fd);
        fail(path, QStringLiteral("fsync"), error);
    }
    ::close(fd);
    if (created)
        syncDirectory(path);
}

OutboxJournal::ReadResult OutboxJournal::read(const QString &path)
{
    ReadResult result;
    QFile file(path);
    if (!file.exists())
        return result; // nothing journalled yet
    if (!file.open(QIODevice::ReadOnly)) {
        result.error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return result;
    }
    const QByteArray bytes = file.readAll();
    if (!bytes.startsWith(QByteArray(kMagic, kMagicSize)) && !bytes.isEmpty()) {
        result.error = QStringLiteral("%1 is not a Kerbside outbox journal").arg(path);
        return result;
    }
    const QByteArray marker(kRecord, 4);
    qsizetype at = kMagicSize;
    while (at < bytes.size()) {
        if (bytes.mid(at, 4) != marker || at + kRecordHeader > bytes.size()) {
            ++result.damagedRecords;
            at = bytes.indexOf(marker, at + 1);
            if (at < 0)
                break;
            continue;
        }
        const quint32 length = le32(bytes, at + 4);
        const quint32 crc = le32(bytes, at + 8);
        if (length > kMaxPayload || at + kRecordHeader + qsizetype(length) > bytes.size()) {
            ++result.damagedRecords;
            const qsizetype next = bytes.indexOf(marker, at + 1);
            if (next < 0)
                break;
            at = next;
            continue;
        }
        const QByteArray payload = bytes.mid(at + kRecordHeader, length);
        Entry entry;
        if (crc32(payload) == crc && decode(payload, &entry)) {
            result.entries.append(std::move(entry));
            at += kRecordHeader + length;
        } else {
            ++result.damagedRecords;
            const qsizetype next = bytes.indexOf(marker, at + 1);
            if (next < 0)
                break;
            at = next;
        }
    }
    return result;
}

void OutboxJournal::compact(const QString &path, const std::function<bool(const Entry &)> &keep)
{
    const ReadResult current = read(path);
    if (!current.error.isEmpty() || !QFile::exists(path))
        return; // never replace what cannot be read
    QByteArray out(kMagic, kMagicSize);
    int kept = 0;
    for (const Entry &e : current.entries) {
        if (!keep(e))
            continue;
        const QByteArray payload = encode(e);
        out += QByteArray(kRecord, 4);
        putLe32(out, quint32(payload.size()));
        putLe32(out, crc32(payload));
        out += payload;
        ++kept;
    }
    if (kept == current.entries.size() && current.damagedRecords == 0)
        return; // nothing to drop
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(out) != out.size() || !file.commit())
        fail(path, QStringLiteral("compacting"), EIO);
    syncDirectory(path);
}

} // namespace kerbside
