// SPDX-License-Identifier: Apache-2.0
#include "batchfile.h"

#include "kerbside/v1/sync.pb.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QSaveFile>

#include <openssl/sha.h>

namespace kerbside {

QByteArray BatchFile::wrap(const QByteArray &batch, const QString &deviceId)
{
    v1::BatchFile f;
    f.set_magic(syncformat::kBatchFileMagic);
    f.set_format(syncformat::kFormatVersion);
    f.set_batch(batch.constData(), size_t(batch.size()));
    unsigned char sum[SHA256_DIGEST_LENGTH]; // OpenSSL's: several times QCryptographicHash's speed
    SHA256(reinterpret_cast<const unsigned char *>(batch.constData()), size_t(batch.size()), sum);
    f.set_sha256(sum, sizeof sum);
    f.set_written_ms(QDateTime::currentMSecsSinceEpoch());
    f.set_device_id(deviceId.toStdString());
    std::string out;
    f.SerializeToString(&out);
    return QByteArray(out.data(), qsizetype(out.size()));
}

QByteArray BatchFile::unwrap(const QByteArray &file)
{
    // The magic is field 1 (tag 0x0A, length 14), so it is the first 16 bytes of every file.
    const QByteArray magic = QByteArray("\x0a\x0e") + syncformat::kBatchFileMagic;
    if (!file.startsWith(magic))
        throw ProtocolError(ProtocolError::Code::NotABatchFile,
                            QStringLiteral("not a Kerbside batch file (it does not start with \"%1\")")
                                .arg(QLatin1String(syncformat::kBatchFileMagic)));
    v1::BatchFile f;
    if (!f.ParseFromArray(file.constData(), int(file.size())))
        throw ProtocolError(ProtocolError::Code::Malformed,
                            QStringLiteral("batch file is damaged or truncated (%1 bytes)").arg(file.size()));
    if (f.format() != syncformat::kFormatVersion)
        throw ProtocolError(ProtocolError::Code::UnsupportedVersion,
                            QStringLiteral("batch file format version %1, this program reads version %2")
                                .arg(f.format()).arg(syncformat::kFormatVersion));
    const QByteArray batch(f.batch().data(), qsizetype(f.batch().size()));
    const QByteArray expected(f.sha256().data(), qsizetype(f.sha256().size()));
    if (QCryptographicHash::hash(batch, QCryptographicHash::Sha256) != expected)
        throw ProtocolError(ProtocolError::Code::Checksum,
                            QStringLiteral("batch file checksum does not match its contents (damaged copy?)"));
    return batch;
}

bool BatchFile::write(const QString &path, const QByteArray &batch, const QString &deviceId, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(wrap(batch, deviceId)) < 0 || !file.commit()) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace kerbside
