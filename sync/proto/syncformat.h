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

/** What the collector accepts of a batch (BatchCodec::decode). Counts that cost memory when
 *  decoded are bounded before the body is parsed, by the body's own size, so decoding never
 *  takes more than a small multiple of the bytes received (an empty string is 2 bytes on the
 *  wire but ~70 once decoded). Beyond these the whole batch is refused (ProtocolError
 *  TooLarge, HTTP 413). The per-value limits refuse one response (OUTCOME_REJECTED). */
namespace limits {
inline constexpr qint64 kStringBytes = 1 << 20;      // any one string in a batch
inline constexpr qint64 kStringsBase = 1024;        // string-like entries: this + body / 16
inline constexpr qint64 kStringsPerByte = 16;
inline constexpr qint64 kMessagesBase = 1024;       // nested messages (paradata, geopoints,
inline constexpr qint64 kMessagesPerByte = 8;       // ...): this + body / 8
inline constexpr qint64 kItems = 10000;             // responses + contacts in a batch
inline constexpr qint64 kForms = 256;               // form versions named in a batch
inline constexpr qint64 kTypedBase = 1024;          // elements of the typed answer arrays (Response
inline constexpr qint64 kTypedPerByte = 2;          // fields 12-24, select_multiple values): this + body / 2
inline constexpr qint64 kAnswersPerResponse = 4096;
inline constexpr qint64 kParadataPerResponse = 20000;
inline constexpr quint64 kMaxSequence = (quint64(1) << 53) - 1; // exact in a double, fits BIGINT
// Per value (a response or contact breaking these is refused alone):
inline constexpr qsizetype kTextAnswerChars = 65536;
inline constexpr qsizetype kNameChars = 256;         // enumerator, language, device id, codes
inline constexpr qsizetype kParadataDetailChars = 1024; // a paradata event's detail (its question: kNameChars)
inline constexpr qint64 kEarliestMs = 946684800000;  // 2000-01-01T00:00:00Z: times of a response
inline constexpr qint64 kLatestMs = 4102444800000;   // 2100-01-01T00:00:00Z  or contact
inline constexpr qint64 kMaxUtcOffsetSeconds = 14 * 3600; // a start time's offset: UTC-12 .. UTC+14 are in use
} // namespace limits
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
        TooLarge,           // would take more memory to decode than its size allows (413)
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
