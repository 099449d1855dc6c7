// SPDX-License-Identifier: Apache-2.0
#include "passwords.h"

#include <QByteArray>
#include <QCryptographicHash>

#include <sodium.h>

namespace kerbside::dashboard::passwords {

namespace {

bool ready()
{
    static const bool ok = sodium_init() >= 0;
    return ok;
}

// A hash of a random password, checked against when the user does not exist, so a wrong
// name costs the same time as a wrong password.
const QString &decoyHash()
{
    static const QString h = hash(newSecret());
    return h;
}

} // namespace

QString hash(const QString &password)
{
    if (!ready())
        return {};
    const QByteArray utf8 = password.toUtf8();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, utf8.constData(), quint64(utf8.size()), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return {};
    return QString::fromLatin1(out);
}

bool verify(const QString &password, const QString &storedHash)
{
    if (!ready())
        return false;
    const QByteArray utf8 = password.toUtf8();
    const QByteArray stored = (storedHash.isEmpty() ? decoyHash() : storedHash).toLatin1();
    const bool ok = crypto_pwhash_str_verify(stored.constData(), utf8.constData(), quint64(utf8.size())) == 0;
    return ok && !storedHash.isEmpty();
}

QString generate()
{
    static const char kAlphabet[] = "ACDEFGHJKMNPQRTWXY34679acdefghjkmnpqrtwxy";
    ready();
    QString out;
    for (int i = 0; i < 14; ++i)
        out.append(QLatin1Char(kAlphabet[randombytes_uniform(sizeof(kAlphabet) - 1)]));
    return out;
}

bool acceptable(const QString &password, QString *reason)
{
    if (password.size() < 10) {
        *reason = QStringLiteral("a password needs at least 10 characters");
        return false;
    }
    if (password.size() > 256) {
        *reason = QStringLiteral("a password may have at most 256 characters");
        return false;
    }
    return true;
}

QString newSecret()
{
    ready();
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(bytes), sizeof bytes)
                                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString secretHash(const QString &secret)
{
    return QString::fromLatin1(QCryptographicHash::hash(secret.toUtf8(), QCryptographicHash::Sha256).toHex());
}

} // namespace kerbside::dashboard::passwords
