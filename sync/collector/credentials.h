// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QString>

namespace kerbside {

/** Enrolment codes, device tokens and device ids: how they are made and hashed.
 *  Randomness from QRandomGenerator::system() (the OS's CSPRNG). Only SHA-256 hashes of codes
 *  and tokens are stored, so a copy of the database does not let anyone sync or enrol. */
class Credentials
{
public:
    // 10 characters of a 23-character alphabet without look-alikes (no 0/O, 1/I/L, 5/S, 2/Z,
    // 8/B, U/V): 23^10 ~ 4e13 codes, typed on a tablet from a slip. Shown as "ACDEF-34679".
    static QString newEnrolmentCode();
    // Upper-cases and drops spaces and dashes; "" when a character is outside the alphabet.
    static QString normaliseCode(const QString &typed);
    static QString formatCode(const QString &normalised); // "ABCDE-FGHJK"

    static QString newToken();     // 256 random bits, base64url without padding (43 chars)
    static QString newDeviceId();  // "dev-" + 12 hex digits
    static QByteArray hash(const QString &secret); // SHA-256 of the UTF-8
    static bool constantTimeEquals(const QByteArray &a, const QByteArray &b);
};

} // namespace kerbside
