// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QString>

#include <stdexcept>

namespace kerbside {

/** Constants of the sync protocol (kerbside/v1/sync.proto) shared by devices and collector. */
namespace syncformat {
inline constexpr quint32 kFormatVersion = 1;  // the major version every message carries
inline constexpr char kContentType[] = "application/x-protobuf";
inline constexpr char kBatchFileMagic[] = "kerbside-batch";
// HTTP header naming the kind of a 4xx/5xx error (ProtocolError::codeName()).
inline constexpr char kErrorHeader[] = "X-Kerbside-Error";
} // namespace syncformat

/** A message or file that cannot be accepted. The message says what and where
 *  ("response 3 (uuid ...): choice_values has 4 entries, choice_questions 5"). */
class ProtocolError : public std::runtime_error
{
public:
    enum class Code {
        Malformed,          // not parseable as the expected message
        UnsupportedVersion, // another major format version
        Invalid,            // parsed, but breaks a rule (bad index, duplicate uuid, ...)
        Checksum,           // a batch file whose checksum does not match
        NotABatchFile,      // a file without the batch-file magic
    };
    ProtocolError(Code code, const QString &message)
        : std::runtime_error(message.toStdString()), m_code(code) {}
    Code code() const { return m_code; }
    QString message() const { return QString::fromUtf8(what()); }
    // "malformed", "unsupported-version", "invalid", "checksum", "not-a-batch-file"
    static QString codeName(Code code);

private:
    Code m_code;
};

} // namespace kerbside
