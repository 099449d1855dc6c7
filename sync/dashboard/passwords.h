// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace kerbside::dashboard {

/** Dashboard passwords and session secrets. Passwords are hashed with Argon2id (libsodium's
 *  crypto_pwhash_str, interactive limits: 64 MiB, a fraction of a second); nothing here ever
 *  logs or keeps a password in the clear. */
namespace passwords {

// "" when libsodium cannot run (out of memory): the caller refuses the change.
QString hash(const QString &password);
// Constant-time, and as slow for a user that does not exist (pass an empty stored hash).
bool verify(const QString &password, const QString &storedHash);
// 14 characters of an alphabet without look-alikes: a one-time password to give a user.
QString generate();
// At least 10 characters, at most 256: refused otherwise with the reason.
bool acceptable(const QString &password, QString *reason);
// 256 random bits, base64url (43 chars), and the SHA-256 (hex) that is stored of it.
QString newSecret();
QString secretHash(const QString &secret);

} // namespace passwords
} // namespace kerbside::dashboard
