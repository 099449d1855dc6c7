// SPDX-License-Identifier: Apache-2.0
#include "credentials.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace kerbside {

namespace {
// 23 characters that cannot be mistaken for one another when read aloud or hand-written.
constexpr char kAlphabet[] = "34679ACDEFGHJKMNPQRTWXY";
constexpr int kCodeLength = 10;

QString alphabet()
{
    return QString::fromLatin1(kAlphabet);
}
} // namespace

QString Credentials::newEnrolmentCode()
{
    const QString chars = alphabet();
    QString code;
    for (int i = 0; i < kCodeLength; ++i)
        code += chars.at(int(QRandomGenerator::system()->bounded(quint32(chars.size()))));
    return code;
}

QString Credentials::normaliseCode(const QString &typed)
{
    const QString chars = alphabet();
    QString out;
    for (QChar c : typed) {
        if (c == QLatin1Char('-') || c.isSpace())
            continue;
        c = c.toUpper();
        if (!chars.contains(c))
            return {};
        out += c;
    }
    return out.size() == kCodeLength ? out : QString();
}

QString Credentials::formatCode(const QString &normalised)
{
    return normalised.left(5) + QLatin1Char('-') + normalised.mid(5);
}

QString Credentials::newToken()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(bytes.data()),
                                         reinterpret_cast<quint32 *>(bytes.data() + bytes.size()));
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString Credentials::newDeviceId()
{
    QByteArray bytes(8, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32 *>(bytes.data()),
                                         reinterpret_cast<quint32 *>(bytes.data() + bytes.size()));
    return QStringLiteral("dev-") + QString::fromLatin1(bytes.toHex().left(12));
}

QByteArray Credentials::hash(const QString &secret)
{
    return QCryptographicHash::hash(secret.toUtf8(), QCryptographicHash::Sha256);
}

bool Credentials::constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

} // namespace kerbside
