// SPDX-License-Identifier: Apache-2.0
#include "batchcodec.h"

#include "form/repeatpath.h"

#include "kerbside/v1/sync.pb.h"
#include "store/timeuuid.h"

#include <google/protobuf/arena.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <QDate>
#include <QHash>
#include <QLocale>
#include <QSet>
#include <QTime>
#include <QRegularExpression>
#include <QUuid>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <charconv>
#include <cmath>
#include <algorithm>
#include <limits>
#include <memory>
#include <string>

namespace kerbside {

namespace {

constexpr qint64 kDayMs = 24 * 60 * 60 * 1000;
constexpr int kMaxOffsetSeconds = 18 * 60 * 60; // ISO 8601 / Qt limit

/** The batch's string table being built: index 0 is the empty string, i is strings[i-1].
 *  Texts that outlive the encoding (the batch's own) are looked up by their data pointer
 *  first: the device store shares one QString per repeated text (TextIntern), so most
 *  lookups cost no hashing of the text. */
class StringTable
{
public:
    explicit StringTable(v1::Batch &batch) : m_batch(batch) {}
    // For any text, temporaries included.
    quint32 operator()(const QString &s)
    {
        if (s.isEmpty())
            return 0;
        auto it = m_index.constFind(s);
        if (it != m_index.constEnd())
            return *it;
        const QByteArray bytes = s.toUtf8();
        m_batch.add_strings(bytes.constData(), size_t(bytes.size()));
        const quint32 index = quint32(m_batch.strings_size());
        m_index.insert(s, index);
        return index;
    }
    // For a text that stays alive (unchanged) until the encoding ends: its pointer is its key.
    quint32 kept(const QString &s)
    {
        if (s.isEmpty())
            return 0;
        const auto it = m_byPointer.constFind(s.constData());
        if (it != m_byPointer.constEnd() && it->first == s.size())
            return it->second;
        const quint32 index = (*this)(s);
        m_byPointer.insert(s.constData(), {s.size(), index});
        return index;
    }

private:
    v1::Batch &m_batch;
    QHash<QString, quint32> m_index;
    QHash<const QChar *, std::pair<qsizetype, quint32>> m_byPointer;
};

std::string utf8(const QString &s)
{
    return s.toStdString();
}

QString fromUtf8(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

v1::ResponseStatus statusToWire(ResponseStatus s)
{
    switch (s) {
    case ResponseStatus::Draft: return v1::RESPONSE_STATUS_DRAFT;
    case ResponseStatus::Complete: return v1::RESPONSE_STATUS_COMPLETE;
    case ResponseStatus::Refused: return v1::RESPONSE_STATUS_REFUSED;
    case ResponseStatus::Discarded: return v1::RESPONSE_STATUS_DISCARDED;
    case ResponseStatus::Partial: return v1::RESPONSE_STATUS_PARTIAL;
    case ResponseStatus::ScreenedOut: return v1::RESPONSE_STATUS_SCREENED_OUT;
    }
    return v1::RESPONSE_STATUS_UNSPECIFIED;
}

bool statusFromWire(int s, ResponseStatus *out)
{
    switch (s) {
    case v1::RESPONSE_STATUS_DRAFT: *out = ResponseStatus::Draft; return true;
    case v1::RESPONSE_STATUS_COMPLETE: *out = ResponseStatus::Complete; return true;
    case v1::RESPONSE_STATUS_REFUSED: *out = ResponseStatus::Refused; return true;
    case v1::RESPONSE_STATUS_DISCARDED: *out = ResponseStatus::Discarded; return true;
    case v1::RESPONSE_STATUS_PARTIAL: *out = ResponseStatus::Partial; return true;
    case v1::RESPONSE_STATUS_SCREENED_OUT: *out = ResponseStatus::ScreenedOut; return true;
    default: return false;
    }
}

v1::ParadataKind kindToWire(ParadataEvent::Kind k)
{
    using K = ParadataEvent::Kind;
    switch (k) {
    case K::Shown: return v1::PARADATA_KIND_SHOWN;
    case K::Changed: return v1::PARADATA_KIND_CHANGED;
    case K::LanguageSwitched: return v1::PARADATA_KIND_LANGUAGE_SWITCHED;
    case K::Resumed: return v1::PARADATA_KIND_RESUMED;
    case K::Finalised: return v1::PARADATA_KIND_FINALISED;
    }
    return v1::PARADATA_KIND_UNSPECIFIED;
}

bool kindFromWire(int k, ParadataEvent::Kind *out)
{
    using K = ParadataEvent::Kind;
    switch (k) {
    case v1::PARADATA_KIND_SHOWN: *out = K::Shown; return true;
    case v1::PARADATA_KIND_CHANGED: *out = K::Changed; return true;
    case v1::PARADATA_KIND_LANGUAGE_SWITCHED: *out = K::LanguageSwitched; return true;
    case v1::PARADATA_KIND_RESUMED: *out = K::Resumed; return true;
    case v1::PARADATA_KIND_FINALISED: *out = K::Finalised; return true;
    default: return false;
    }
}

v1::Disposition dispositionToWire(Disposition d)
{
    switch (d) {
    case Disposition::Refused: return v1::DISPOSITION_REFUSED;
    case Disposition::NotResident: return v1::DISPOSITION_NOT_RESIDENT;
    case Disposition::Ineligible: return v1::DISPOSITION_INELIGIBLE;
    case Disposition::LanguageBarrier: return v1::DISPOSITION_LANGUAGE_BARRIER;
    case Disposition::ComeBackLater: return v1::DISPOSITION_COME_BACK_LATER;
    case Disposition::Other: return v1::DISPOSITION_OTHER;
    }
    return v1::DISPOSITION_UNSPECIFIED;
}

bool dispositionFromWire(int d, Disposition *out)
{
    switch (d) {
    case v1::DISPOSITION_REFUSED: *out = Disposition::Refused; return true;
    case v1::DISPOSITION_NOT_RESIDENT: *out = Disposition::NotResident; return true;
    case v1::DISPOSITION_INELIGIBLE: *out = Disposition::Ineligible; return true;
    case v1::DISPOSITION_LANGUAGE_BARRIER: *out = Disposition::LanguageBarrier; return true;
    case v1::DISPOSITION_COME_BACK_LATER: *out = Disposition::ComeBackLater; return true;
    case v1::DISPOSITION_OTHER: *out = Disposition::Other; return true;
    default: return false;
    }
}

void locationToWire(const Location &loc, qint64 referenceMs, v1::Location *out)
{
    out->set_latitude(loc.latitude);
    out->set_longitude(loc.longitude);
    if (!qIsNaN(loc.altitude))
        out->set_altitude(loc.altitude);
    if (!qIsNaN(loc.accuracy))
        out->set_accuracy(loc.accuracy);
    if (loc.time.isValid())
        out->set_time_after_ms(loc.time.toMSecsSinceEpoch() - referenceMs);
}

/** One item breaks a rule of its own: refused alone (IncomingResponse::refusal). */
struct Refusal
{
    QString reason;
};

[[noreturn]] void refuse(const QString &field, const QString &what)
{
    throw Refusal{QStringLiteral("%1: %2").arg(field, what)};
}

// A time of a response or contact: inside [2000, 2100) (syncformat::limits).
qint64 checkedTime(qint64 ms, const char *field)
{
    if (ms < syncformat::limits::kEarliestMs || ms >= syncformat::limits::kLatestMs)
        refuse(QLatin1String(field), QStringLiteral("the time is outside 2000-01-01..2100-01-01"));
    return ms;
}

// base + after without signed overflow (undefined behaviour), then range-checked.
qint64 relativeTime(qint64 base, qint64 after, const char *field)
{
    qint64 sum = 0;
    if (__builtin_add_overflow(base, after, &sum))
        refuse(QLatin1String(field), QStringLiteral("the time overflows when added to its reference time"));
    return checkedTime(sum, field);
}

void checkCoordinates(double lat, double lon, double alt, double acc, bool hasAlt, bool hasAcc, const char *field)
{
    const QLatin1String f(field);
    if (!std::isfinite(lat) || lat < -90 || lat > 90)
        refuse(f, QStringLiteral("latitude is not a number in -90..90"));
    if (!std::isfinite(lon) || lon < -180 || lon > 180)
        refuse(f, QStringLiteral("longitude is not a number in -180..180"));
    if (hasAlt && (!std::isfinite(alt) || std::abs(alt) > 100000))
        refuse(f, QStringLiteral("altitude is not a number of metres in -100000..100000"));
    if (hasAcc && (!std::isfinite(acc) || acc < 0 || acc > 1e7))
        refuse(f, QStringLiteral("accuracy is not a number of metres in 0..10000000"));
}

Location locationFromWire(const v1::Location &in, qint64 referenceMs, const char *field)
{
    checkCoordinates(in.latitude(), in.longitude(), in.altitude(), in.accuracy(), in.has_altitude(),
                     in.has_accuracy(), field);
    Location loc;
    loc.latitude = in.latitude();
    loc.longitude = in.longitude();
    if (in.has_altitude())
        loc.altitude = in.altitude();
    if (in.has_accuracy())
        loc.accuracy = in.accuracy();
    if (in.has_time_after_ms())
        loc.time = QDateTime::fromMSecsSinceEpoch(relativeTime(referenceMs, in.time_after_ms(), field), Qt::UTC);
    return loc;
}

// The tablet's area check (i12). Unknown sends nothing; a known one needs a distance that
// fits on Earth (half its circumference) and a location to have been judged.
void areaToWire(const AreaCheck &a, v1::Response *out)
{
    if (a.inside == InsideArea::Unknown)
        return;
    out->set_inside_area(a.inside == InsideArea::Yes ? v1::INSIDE_AREA_YES : v1::INSIDE_AREA_NO);
    if (!qIsNaN(a.distanceMetres))
        out->set_distance_to_area_m(a.distanceMetres);
    out->set_area_version(quint32(std::max(a.areaVersion, 0)));
}

AreaCheck areaFromWire(const v1::Response &m)
{
    AreaCheck a;
    switch (m.inside_area()) {
    case v1::INSIDE_AREA_UNKNOWN: break;
    case v1::INSIDE_AREA_YES: a.inside = InsideArea::Yes; break;
    case v1::INSIDE_AREA_NO: a.inside = InsideArea::No; break;
    default: refuse(QStringLiteral("inside_area"), QStringLiteral("unknown value %1").arg(int(m.inside_area())));
    }
    if (a.inside != InsideArea::Unknown && !m.has_location())
        refuse(QStringLiteral("inside_area"), QStringLiteral("judged without a location"));
    if (m.has_distance_to_area_m()) {
        const double d = m.distance_to_area_m();
        if (a.inside == InsideArea::Unknown)
            refuse(QStringLiteral("distance_to_area_m"), QStringLiteral("given while inside_area is unknown"));
        if (!std::isfinite(d) || d < 0 || d > 2.1e7)
            refuse(QStringLiteral("distance_to_area_m"), QStringLiteral("not a number of metres in 0..21000000"));
        a.distanceMetres = d;
    }
    if (m.area_version() > quint32(std::numeric_limits<int>::max()))
        refuse(QStringLiteral("area_version"), QStringLiteral("%1 is out of range").arg(m.area_version()));
    a.areaVersion = int(m.area_version());
    return a;
}

void checkName(const QString &value, const char *field)
{
    if (value.size() > syncformat::limits::kNameChars)
        refuse(QLatin1String(field), QStringLiteral("%1 characters, over the limit of %2")
                                         .arg(value.size()).arg(syncformat::limits::kNameChars));
}

// --- typed answers -------------------------------------------------------------------------

std::optional<qint64> parseInteger(const QString &v)
{
    bool ok = false;
    const qlonglong n = v.toLongLong(&ok);
    if (ok && QString::number(n) == v)
        return n;
    return std::nullopt;
}

std::optional<double> parseDecimal(const QString &v)
{
    bool ok = false;
    const double d = v.toDouble(&ok);
    if (ok && std::isfinite(d) && BatchCodec::formatDouble(d) == v)
        return d;
    return std::nullopt;
}

std::optional<qint32> parseDate(const QString &v)
{
    const QDate d = QDate::fromString(v, Qt::ISODate);
    if (!d.isValid() || d.toString(Qt::ISODate) != v)
        return std::nullopt;
    return qint32(QDate(1970, 1, 1).daysTo(d));
}

std::optional<quint32> parseTime(const QString &v)
{
    const QTime t = QTime::fromString(v, Qt::ISODateWithMs);
    if (!t.isValid())
        return std::nullopt;
    const quint32 ms = quint32(t.msecsSinceStartOfDay());
    if (BatchCodec::formatTime(ms) != v)
        return std::nullopt;
    return ms;
}

std::optional<std::pair<qint64, int>> parseDateTime(const QString &v)
{
    const QDateTime dt = QDateTime::fromString(v, Qt::ISODateWithMs);
    if (!dt.isValid())
        return std::nullopt;
    const qint64 ms = dt.toMSecsSinceEpoch();
    const int offset = dt.offsetFromUtc();
    if (BatchCodec::formatDateTime(ms, offset) != v)
        return std::nullopt;
    return std::make_pair(ms, offset);
}

QString formatGeopoint(double lat, double lon, double alt, double acc)
{
    return QStringLiteral("%1 %2 %3 %4").arg(BatchCodec::formatDouble(lat), BatchCodec::formatDouble(lon),
                                             BatchCodec::formatDouble(alt), BatchCodec::formatDouble(acc));
}

std::optional<std::array<double, 4>> parseGeopoint(const QString &v)
{
    const QStringList parts = v.split(QLatin1Char(' '));
    if (parts.size() != 4)
        return std::nullopt;
    std::array<double, 4> d{};
    for (int i = 0; i < 4; ++i) {
        bool ok = false;
        d[size_t(i)] = parts[i].toDouble(&ok);
        if (!ok || !std::isfinite(d[size_t(i)]))
            return std::nullopt;
    }
    if (formatGeopoint(d[0], d[1], d[2], d[3]) != v)
        return std::nullopt;
    return d;
}

// `question` and `value` belong to the batch being encoded (StringTable::kept).
void encodeAnswer(v1::Response &m, StringTable &strings, const QString &question,
                  const QString &value, std::optional<QuestionType> type)
{
    const quint32 q = strings.kept(question);
    if (type) {
        switch (*type) {
        case QuestionType::SelectOne:
        case QuestionType::Consent:
            if (!value.isEmpty()) {
                m.add_choice_questions(q);
                m.add_choice_values(strings.kept(value));
                return;
            }
            break;
        case QuestionType::SelectMultiple: {
            const QStringList parts = value.split(QLatin1Char(' '), Qt::SkipEmptyParts);
            if (!parts.isEmpty() && parts.join(QLatin1Char(' ')) == value) {
                auto *mc = m.add_multi_choices();
                mc->set_question(q);
                for (const QString &p : parts)
                    mc->add_values(strings(p));
                return;
            }
            break;
        }
        case QuestionType::Integer:
            if (auto n = parseInteger(value)) {
                m.add_integer_questions(q);
                m.add_integer_values(*n);
                return;
            }
            break;
        case QuestionType::Decimal:
            if (auto d = parseDecimal(value)) {
                m.add_decimal_questions(q);
                m.add_decimal_values(*d);
                return;
            }
            break;
        case QuestionType::Date:
            if (auto d = parseDate(value)) {
                m.add_date_questions(q);
                m.add_date_values(*d);
                return;
            }
            break;
        case QuestionType::Time:
            if (auto t = parseTime(value)) {
                m.add_time_questions(q);
                m.add_time_values(*t);
                return;
            }
            break;
        case QuestionType::DateTime:
            if (auto dt = parseDateTime(value)) {
                auto *a = m.add_datetimes();
                a->set_question(q);
                a->set_utc_ms(dt->first);
                a->set_offset_s(dt->second);
                return;
            }
            break;
        case QuestionType::Geopoint:
            if (auto g = parseGeopoint(value)) {
                auto *a = m.add_geopoints();
                a->set_question(q);
                a->set_latitude((*g)[0]);
                a->set_longitude((*g)[1]);
                a->set_altitude((*g)[2]);
                a->set_accuracy((*g)[3]);
                return;
            }
            break;
        default:
            break;
        }
    }
    m.add_text_questions(q);
    const QByteArray bytes = value.toUtf8();
    m.add_text_values(bytes.constData(), size_t(bytes.size()));
}

void setUuid(const QString &uuid, std::string *bytesField, std::string *textField)
{
    QByteArray bytes;
    if (BatchCodec::uuidToWire(uuid, &bytes))
        bytesField->assign(bytes.constData(), size_t(bytes.size()));
    else
        *textField = utf8(uuid);
}

// --- hashing -------------------------------------------------------------------------------

/** Builds the canonical byte string that content hashes are taken over: each field as UTF-8
 *  followed by 0x1f, each record closed by 0x1e. Fields are encoded straight into one buffer
 *  (no QString/QByteArray per field) and hashed with OpenSSL; the bytes are exactly those the
 *  former QString::toUtf8() + QCryptographicHash version produced, since the hashes are stored
 *  by collectors and compared across devices (tests/sync/test_contenthash.cpp). */
class Canon
{
public:
    Canon() { m_bytes.reserve(2048); }
    Canon &add(QStringView s)
    {
        appendUtf8(s);
        m_bytes += '\x1f';
        return *this;
    }
    Canon &add(qint64 n)
    {
        char digits[24]; // as QString::number(qint64): optional '-', then decimal digits
        const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
        Q_UNUSED(ec); // 24 chars always hold a 64-bit integer
        m_bytes.append(digits, size_t(end - digits));
        m_bytes += '\x1f';
        return *this;
    }
    Canon &add(double d) { return qIsNaN(d) ? add(QStringView()) : add(BatchCodec::formatDouble(d)); }
    Canon &add(const QDateTime &t) { return t.isValid() ? add(t.toMSecsSinceEpoch()) : add(QStringView()); }
    Canon &add(const Location &l)
    {
        return add(l.latitude).add(l.longitude).add(l.altitude).add(l.accuracy).add(l.time);
    }
    Canon &end()
    {
        m_bytes += '\x1e';
        return *this;
    }
    QByteArray hash() const
    {
        // OpenSSL 3's one-shot SHA256() looks the algorithm up on every call, which cost as
        // much as hashing a response: fetched once, with one context per thread.
        static EVP_MD *const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
        thread_local const std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX *)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
        QByteArray digest(SHA256_DIGEST_LENGTH, Qt::Uninitialized);
        unsigned int length = 0;
        if (!sha256 || !ctx || !EVP_DigestInit_ex2(ctx.get(), sha256, nullptr)
            || !EVP_DigestUpdate(ctx.get(), m_bytes.data(), m_bytes.size())
            || !EVP_DigestFinal_ex(ctx.get(), reinterpret_cast<unsigned char *>(digest.data()), &length)
            || length != SHA256_DIGEST_LENGTH) {
            SHA256(reinterpret_cast<const unsigned char *>(m_bytes.data()), m_bytes.size(),
                   reinterpret_cast<unsigned char *>(digest.data()));
        }
        return digest;
    }

private:
    // UTF-16 to UTF-8 as QString::toUtf8() does it: an unpaired surrogate becomes '?'.
    void appendUtf8(QStringView s)
    {
        const size_t start = m_bytes.size();
        m_bytes.resize(start + size_t(s.size()) * 3); // worst case: 3 bytes per UTF-16 unit
        auto *out = reinterpret_cast<unsigned char *>(m_bytes.data() + start);
        const char16_t *p = s.utf16();
        const char16_t *const stop = p + s.size();
        while (p != stop) {
            const char16_t u = *p++;
            if (u < 0x80) {
                *out++ = static_cast<unsigned char>(u);
            } else if (u < 0x800) {
                *out++ = static_cast<unsigned char>(0xc0 | (u >> 6));
                *out++ = static_cast<unsigned char>(0x80 | (u & 0x3f));
            } else if (!QChar::isSurrogate(u)) {
                *out++ = static_cast<unsigned char>(0xe0 | (u >> 12));
                *out++ = static_cast<unsigned char>(0x80 | ((u >> 6) & 0x3f));
                *out++ = static_cast<unsigned char>(0x80 | (u & 0x3f));
            } else if (QChar::isHighSurrogate(u) && p != stop && QChar::isLowSurrogate(*p)) {
                const char32_t c = QChar::surrogateToUcs4(u, *p++);
                *out++ = static_cast<unsigned char>(0xf0 | (c >> 18));
                *out++ = static_cast<unsigned char>(0x80 | ((c >> 12) & 0x3f));
                *out++ = static_cast<unsigned char>(0x80 | ((c >> 6) & 0x3f));
                *out++ = static_cast<unsigned char>(0x80 | (c & 0x3f));
            } else {
                *out++ = '?';
            }
        }
        m_bytes.resize(size_t(reinterpret_cast<char *>(out) - m_bytes.data()));
    }

    std::string m_bytes;
};

// --- decoding ------------------------------------------------------------------------------

[[noreturn]] void invalid(const QString &where, const QString &what)
{
    throw ProtocolError(ProtocolError::Code::Invalid, QStringLiteral("%1: %2").arg(where, what));
}

// --- bounds --------------------------------------------------------------------------------

/** Counts, from the wire bytes alone, what would cost memory once parsed (string-like
 *  entries, nested messages, items, forms), and refuses the batch when that is more than its
 *  size allows (syncformat::limits). Runs before ParseFromArray: a 10 MB body of empty strings
 *  is 5 million entries, ~350 MB once parsed. */
class BoundsScan
{
public:
    explicit BoundsScan(qint64 bodyBytes)
        : m_maxStrings(syncformat::limits::kStringsBase + bodyBytes / syncformat::limits::kStringsPerByte),
          m_maxMessages(syncformat::limits::kMessagesBase + bodyBytes / syncformat::limits::kMessagesPerByte),
          m_maxTyped(syncformat::limits::kTypedBase + bodyBytes / syncformat::limits::kTypedPerByte)
    {
    }

    void batch(const QByteArray &bytes)
    {
        google::protobuf::io::CodedInputStream in(reinterpret_cast<const quint8 *>(bytes.constData()),
                                                  int(bytes.size()));
        while (const quint32 tag = in.ReadTag()) {
            const int field = int(google::protobuf::internal::WireFormatLite::GetTagFieldNumber(tag));
            if (!isLengthDelimited(tag) || (field != 6 && field != 7 && field != 8 && field != 9)) {
                skip(in, tag);
                continue;
            }
            quint32 length = 0;
            if (!in.ReadVarint32(&length))
                malformed();
            checkLength(length, "string or message");
            switch (field) {
            case 6: countString(); in.Skip(int(length)); break;
            case 7:
                if (++m_forms > syncformat::limits::kForms)
                    tooLarge(QStringLiteral("more than %1 form versions").arg(syncformat::limits::kForms));
                in.Skip(int(length));
                break;
            case 8:
            case 9: {
                if (++m_items > syncformat::limits::kItems)
                    tooLarge(QStringLiteral("more than %1 responses and contacts").arg(syncformat::limits::kItems));
                const auto limit = in.PushLimit(int(length));
                item(in, field == 8);
                in.PopLimit(limit);
                break;
            }
            }
        }
    }

private:
    static bool isLengthDelimited(quint32 tag)
    {
        return google::protobuf::internal::WireFormatLite::GetTagWireType(tag)
            == google::protobuf::internal::WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
    }
    [[noreturn]] static void malformed()
    {
        throw ProtocolError(ProtocolError::Code::Malformed, QStringLiteral("batch: not a valid kerbside.v1.Batch message"));
    }
    [[noreturn]] static void tooLarge(const QString &what)
    {
        throw ProtocolError(ProtocolError::Code::TooLarge, QStringLiteral("batch: %1; send it in smaller batches").arg(what));
    }
    static void skip(google::protobuf::io::CodedInputStream &in, quint32 tag)
    {
        if (!google::protobuf::internal::WireFormatLite::SkipField(&in, tag))
            malformed();
    }
    static void checkLength(quint32 length, const char *what)
    {
        if (length > quint32(syncformat::limits::kStringBytes) * 16)
            tooLarge(QStringLiteral("a %1 of %2 bytes").arg(QLatin1String(what)).arg(length));
    }
    void countString()
    {
        if (++m_strings > m_maxStrings)
            tooLarge(QStringLiteral("more than %1 strings for its size").arg(m_maxStrings));
    }
    void countMessage()
    {
        if (++m_messages > m_maxMessages)
            tooLarge(QStringLiteral("more than %1 nested messages for its size").arg(m_maxMessages));
    }
    // A Response (fields 15 text_values, 28 device_id, 29 uuid_text are strings; 10 location,
    // 20 multi_choices, 25 datetimes, 26 geopoints, 27 paradata are messages) or a Contact
    // (9 note, 10 device_id, 11 uuid_text strings; 5 location a message).
    // Elements of the typed answer arrays (Response fields 12-24 but 15 and 20, and the values
    // of a MultiChoice): each becomes a decoded answer of ~100 bytes from one or two on the wire.
    void countTyped(qint64 n)
    {
        m_typed += n;
        if (m_typed > m_maxTyped)
            tooLarge(QStringLiteral("more than %1 typed answer values for its size").arg(m_maxTyped));
    }
    static bool isTypedArray(int field) { return field >= 12 && field <= 24 && field != 15 && field != 20; }
    // The elements of a packed array of `length` bytes: fixed64 (double, field 19) or varints
    // (one byte without the high bit ends each), read in place from the body.
    void countPacked(google::protobuf::io::CodedInputStream &in, quint32 length, bool fixed64)
    {
        if (fixed64 || length == 0) {
            countTyped(length / 8);
            return;
        }
        const void *data = nullptr;
        int size = 0;
        if (!in.GetDirectBufferPointer(&data, &size) || quint32(size) < length)
            malformed();
        const auto *p = static_cast<const quint8 *>(data);
        countTyped(std::count_if(p, p + length, [](quint8 b) { return (b & 0x80) == 0; }));
    }
    void multiChoice(google::protobuf::io::CodedInputStream &in)
    {
        while (const quint32 tag = in.ReadTag()) {
            const int field = int(google::protobuf::internal::WireFormatLite::GetTagFieldNumber(tag));
            if (field == 2 && isLengthDelimited(tag)) {
                quint32 length = 0;
                if (!in.ReadVarint32(&length))
                    malformed();
                countPacked(in, length, false);
                if (!in.Skip(int(length)))
                    malformed();
                continue;
            }
            if (field == 2)
                countTyped(1);
            skip(in, tag);
        }
        if (!in.ConsumedEntireMessage())
            malformed();
    }
    void item(google::protobuf::io::CodedInputStream &in, bool response)
    {
        while (const quint32 tag = in.ReadTag()) {
            const int field = int(google::protobuf::internal::WireFormatLite::GetTagFieldNumber(tag));
            if (!isLengthDelimited(tag)) {
                if (response && isTypedArray(field))
                    countTyped(1); // an unpacked element
                skip(in, tag);
                continue;
            }
            quint32 length = 0;
            if (!in.ReadVarint32(&length))
                malformed();
            if (response && isTypedArray(field))
                countPacked(in, length, field == 19);
            if (response && field == 20) {
                countMessage();
                const auto limit = in.PushLimit(int(length));
                multiChoice(in);
                in.PopLimit(limit);
                continue;
            }
            if (length > quint32(syncformat::limits::kStringBytes) && (response ? field == 15 || field >= 28 : field >= 9))
                tooLarge(QStringLiteral("a string of %1 bytes (the limit is %2)").arg(length).arg(syncformat::limits::kStringBytes));
            if (response ? field == 15 || field >= 28 : field >= 9)
                countString();
            else if (response ? field == 10 || field == 20 || (field >= 25 && field <= 27) : field == 5)
                countMessage();
            if (!in.Skip(int(length)))
                malformed();
        }
        if (!in.ConsumedEntireMessage())
            malformed();
    }

    const qint64 m_maxStrings;
    const qint64 m_maxMessages;
    const qint64 m_maxTyped;
    qint64 m_typed = 0;
    qint64 m_strings = 0;
    qint64 m_messages = 0;
    qint64 m_items = 0;
    qint64 m_forms = 0;
};

/** Decoding state: the string table and forms of one batch, with checked lookups. */
class Decoder
{
public:
    explicit Decoder(const v1::Batch &batch) : m_batch(batch), m_deviceId(fromUtf8(batch.device_id()))
    {
        m_strings.reserve(batch.strings_size() + 1);
        m_strings.append(QString());
        for (const std::string &s : batch.strings())
            m_strings.append(fromUtf8(s));
        // A table may list a text twice (nothing forbids it): each entry's first spelling
        // stands for it in markAnswered().
        m_first.resize(m_strings.size());
        m_seen.resize(m_strings.size());
        QHash<QString, quint32> first;
        first.reserve(m_strings.size());
        for (qsizetype i = 0; i < m_strings.size(); ++i) {
            const auto it = first.constFind(m_strings[i]);
            m_first[i] = it != first.constEnd() ? *it : *first.insert(m_strings[i], quint32(i));
        }
    }

    QString str(quint32 index, const QString &where, const char *field) const
    {
        if (index >= quint32(m_strings.size()))
            invalid(where, QStringLiteral("%1 refers to string %2 but the table has %3")
                               .arg(QLatin1String(field)).arg(index).arg(m_strings.size() - 1));
        return m_strings[qsizetype(index)];
    }

    template <typename A, typename B>
    void sameLength(const A &a, const B &b, const QString &where, const char *na, const char *nb) const
    {
        if (a.size() != b.size())
            invalid(where, QStringLiteral("%1 has %2 entries but %3 has %4")
                               .arg(QLatin1String(na)).arg(a.size()).arg(QLatin1String(nb)).arg(b.size()));
    }

    IncomingResponse response(const v1::Response &m, int index) const;
    IncomingContact contact(const v1::Contact &m, int index) const;
    // Throws Refusal for a rule only this response breaks, ProtocolError for a broken batch.
    void fillResponse(const v1::Response &m, const QString &where, IncomingResponse *out) const;
    QString deviceId() const { return m_deviceId; }
    // "Answered twice" by text, as an array lookup: a response takes a stamp, and marks the
    // first table entry spelling each question's text (index checked by str() before).
    quint32 nextStamp() const { return ++m_stamp; }
    bool markAnswered(quint32 question, quint32 stamp) const
    {
        quint32 &mark = m_seen[qsizetype(m_first[qsizetype(question)])];
        if (mark == stamp)
            return false;
        mark = stamp;
        return true;
    }

private:
    const v1::Batch &m_batch;
    const QString m_deviceId;
    QList<QString> m_strings;
    QList<quint32> m_first;
    mutable QList<quint32> m_seen;
    mutable quint32 m_stamp = 0;
};

QString checkedUuid(const std::string &bytes, const std::string &text, const QString &where)
{
    const QString uuid = BatchCodec::uuidFromWire(
        QByteArray(bytes.data(), qsizetype(bytes.size())), fromUtf8(text));
    if (uuid.isEmpty())
        invalid(where, QStringLiteral("no valid UUID (16 bytes, or uuid_text)"));
    return uuid;
}

// A UUID has one spelling: upper case, braces, "urn:uuid:", no dashes or spaces around it would
// each make a second item of the same UUID, and the nil UUID names no item. Text that does not
// denote a UUID at all is an id of its own (older devices).
void checkCanonicalUuid(const QString &uuid, const std::string &text)
{
    if (text.empty())
        return;
    QString hex = uuid.trimmed();
    if (hex.startsWith(QLatin1String("urn:uuid:"), Qt::CaseInsensitive))
        hex = hex.mid(9);
    if (hex.startsWith(QLatin1Char('{')) && hex.endsWith(QLatin1Char('}')))
        hex = hex.mid(1, hex.size() - 2);
    hex.remove(QLatin1Char('-'));
    static const QRegularExpression hex32(QStringLiteral("^[0-9a-fA-F]{32}\\z"));
    if (!hex32.match(hex).hasMatch())
        return;
    hex = hex.toLower();
    const QString canonical = QStringLiteral("%1-%2-%3-%4-%5")
                                  .arg(hex.left(8), hex.mid(8, 4), hex.mid(12, 4), hex.mid(16, 4), hex.mid(20));
    if (canonical == QLatin1String("00000000-0000-0000-0000-000000000000"))
        refuse(QStringLiteral("uuid_text"), QStringLiteral("the nil UUID names no item"));
    if (canonical != uuid)
        refuse(QStringLiteral("uuid_text"),
               QStringLiteral("not the canonical spelling of UUID %1 (lower case with dashes, nothing around it; or send the 16 bytes)")
                   .arg(canonical));
}

QDate dayZero()
{
    return QDate(1970, 1, 1);
}

IncomingResponse Decoder::response(const v1::Response &m, int index) const
{
    QString where = QStringLiteral("response %1").arg(index);
    IncomingResponse r;
    r.meta.uuid = checkedUuid(m.uuid(), m.uuid_text(), where);
    where += QStringLiteral(" (%1)").arg(r.meta.uuid);
    if (m.form() >= quint32(m_batch.forms_size()))
        invalid(where, QStringLiteral("form %1 but the batch lists %2 forms").arg(m.form()).arg(m_batch.forms_size()));
    try {
        fillResponse(m, where, &r);
    } catch (const Refusal &e) {
        IncomingResponse refused;
        refused.meta.uuid = r.meta.uuid;
        refused.meta.caseStudy = r.meta.caseStudy;
        refused.meta.revision = r.meta.revision;
        refused.refusal = QStringLiteral("response %1: %2").arg(r.meta.uuid, e.reason);
        return refused;
    }
    return r;
}

void Decoder::fillResponse(const v1::Response &m, const QString &where, IncomingResponse *out) const
{
    IncomingResponse &r = *out;
    ResponseMeta &meta = r.meta;
    meta.caseStudy = str(m.case_study(), where, "case_study");
    if (meta.caseStudy.isEmpty())
        invalid(where, QStringLiteral("no case study"));
    checkCanonicalUuid(meta.uuid, m.uuid_text());
    const v1::FormRef &form = m_batch.forms(int(m.form()));
    meta.formId = fromUtf8(form.id());
    meta.formVersion = fromUtf8(form.version());
    if (meta.formId.isEmpty() || meta.formVersion.isEmpty())
        refuse(QStringLiteral("form"), QStringLiteral("form %1 has no id or version").arg(m.form()));
    checkName(meta.formId, "form.id");
    checkName(meta.formVersion, "form.version");
    meta.enumerator = str(m.enumerator(), where, "enumerator");
    checkName(meta.enumerator, "enumerator");
    meta.deviceId = m.device_id().empty() ? deviceId() : fromUtf8(m.device_id());
    checkName(meta.deviceId, "device_id");
    if (m.revision() < 1 || m.revision() > quint32(std::numeric_limits<int>::max()))
        refuse(QStringLiteral("revision"), QStringLiteral("revision %1 (must be 1 or more)").arg(m.revision()));
    meta.revision = int(m.revision());
    if (!statusFromWire(m.status(), &meta.status))
        refuse(QStringLiteral("status"), QStringLiteral("unknown status %1").arg(int(m.status())));
    const qint64 base = m.has_started_ms() ? checkedTime(m.started_ms(), "started_ms") : 0;
    if (m.has_started_ms())
        meta.started = QDateTime::fromMSecsSinceEpoch(base, Qt::UTC);
    if (m.has_started_utc_offset_s()) {
        // Zones run from UTC-12 to UTC+14 (Kiribati); none has seconds.
        const qint32 offset = m.started_utc_offset_s();
        if (std::abs(qint64(offset)) > syncformat::limits::kMaxUtcOffsetSeconds || offset % 60 != 0)
            refuse(QStringLiteral("started_utc_offset_s"),
                   QStringLiteral("not an offset from UTC (seconds, whole minutes within -14:00..+14:00)"));
        meta.startedUtcOffset = offset;
    }
    if (m.has_ended_after_ms())
        meta.ended = QDateTime::fromMSecsSinceEpoch(relativeTime(base, m.ended_after_ms(), "ended_after_ms"), Qt::UTC);
    if (m.has_updated_after_ms())
        meta.updated = QDateTime::fromMSecsSinceEpoch(relativeTime(base, m.updated_after_ms(), "updated_after_ms"), Qt::UTC);
    if (m.has_location())
        meta.location = locationFromWire(m.location(), base, "location");
    meta.area = areaFromWire(m);
    meta.language = str(m.language(), where, "language");
    checkName(meta.language, "language");

    const qint64 answers = qint64(m.choice_questions_size()) + m.text_questions_size() + m.integer_questions_size()
        + m.decimal_questions_size() + m.multi_choices_size() + m.date_questions_size()
        + m.time_questions_size() + m.datetimes_size() + m.geopoints_size();
    if (answers > syncformat::limits::kAnswersPerResponse)
        refuse(QStringLiteral("answers"), QStringLiteral("%1 answers, over the limit of %2")
                                              .arg(answers).arg(syncformat::limits::kAnswersPerResponse));
    if (m.paradata_size() > syncformat::limits::kParadataPerResponse)
        refuse(QStringLiteral("paradata"), QStringLiteral("%1 events, over the limit of %2")
                                               .arg(m.paradata_size()).arg(syncformat::limits::kParadataPerResponse));
    r.answers.reserve(qsizetype(answers));
    const quint32 stamp = nextStamp(); // marks the questions this response has answered
    auto add = [&](quint32 q, AnswerType type, QString value) {
        const QString question = str(q, where, "question");
        if (question.isEmpty())
            invalid(where, QStringLiteral("an answer without a question name"));
        if (!markAnswered(q, stamp))
            invalid(where, QStringLiteral("question %1 answered twice").arg(question.left(100)));
        r.answers.append({question, type, std::move(value)});
    };
    // The question a refusal names (never the value: answers may be personal data).
    auto field = [&](quint32 q, const char *kind) {
        return QStringLiteral("%1 answer to '%2'").arg(QLatin1String(kind), str(q, where, "question").left(100));
    };
    sameLength(m.choice_questions(), m.choice_values(), where, "choice_questions", "choice_values");
    for (int i = 0; i < m.choice_questions_size(); ++i)
        add(m.choice_questions(i), AnswerType::Choice, str(m.choice_values(i), where, "choice_values"));
    sameLength(m.text_questions(), m.text_values(), where, "text_questions", "text_values");
    for (int i = 0; i < m.text_questions_size(); ++i) {
        QString text = fromUtf8(m.text_values(i));
        if (text.size() > syncformat::limits::kTextAnswerChars)
            refuse(field(m.text_questions(i), "text"), QStringLiteral("%1 characters, over the limit of %2")
                                                           .arg(text.size()).arg(syncformat::limits::kTextAnswerChars));
        add(m.text_questions(i), AnswerType::Text, std::move(text));
    }
    sameLength(m.integer_questions(), m.integer_values(), where, "integer_questions", "integer_values");
    for (int i = 0; i < m.integer_questions_size(); ++i)
        add(m.integer_questions(i), AnswerType::Integer, QString::number(m.integer_values(i)));
    sameLength(m.decimal_questions(), m.decimal_values(), where, "decimal_questions", "decimal_values");
    for (int i = 0; i < m.decimal_questions_size(); ++i) {
        if (!std::isfinite(m.decimal_values(i)))
            refuse(field(m.decimal_questions(i), "decimal"), QStringLiteral("not a finite number"));
        add(m.decimal_questions(i), AnswerType::Decimal, BatchCodec::formatDouble(m.decimal_values(i)));
    }
    for (const v1::MultiChoice &mc : m.multi_choices()) {
        if (mc.values_size() > syncformat::limits::kAnswersPerResponse)
            refuse(field(mc.question(), "select_multiple"), QStringLiteral("%1 choices").arg(mc.values_size()));
        // Summed before joining: 4,096 values naming 1 MiB strings would join to 4 GiB.
        QStringList values;
        qint64 chars = 0;
        for (quint32 v : mc.values()) {
            values.append(str(v, where, "multi_choices.values"));
            chars += values.constLast().size() + 1;
            if (chars > syncformat::limits::kTextAnswerChars)
                refuse(field(mc.question(), "select_multiple"),
                       QStringLiteral("the choices' names add up to more than %1 characters").arg(syncformat::limits::kTextAnswerChars));
        }
        add(mc.question(), AnswerType::Choices, values.join(QLatin1Char(' ')));
    }
    sameLength(m.date_questions(), m.date_values(), where, "date_questions", "date_values");
    static const qint64 firstDay = dayZero().daysTo(QDate(1, 1, 1));
    static const qint64 lastDay = dayZero().daysTo(QDate(9999, 12, 31));
    for (int i = 0; i < m.date_questions_size(); ++i) {
        const qint64 days = m.date_values(i);
        if (days < firstDay || days > lastDay)
            refuse(field(m.date_questions(i), "date"), QStringLiteral("the date is outside the years 1..9999"));
        add(m.date_questions(i), AnswerType::Date, dayZero().addDays(days).toString(Qt::ISODate));
    }
    sameLength(m.time_questions(), m.time_values(), where, "time_questions", "time_values");
    for (int i = 0; i < m.time_questions_size(); ++i) {
        if (m.time_values(i) >= kDayMs)
            refuse(field(m.time_questions(i), "time"), QStringLiteral("the time is past midnight (over 86399999 ms)"));
        add(m.time_questions(i), AnswerType::Time, BatchCodec::formatTime(m.time_values(i)));
    }
    for (const v1::DateTimeAnswer &a : m.datetimes()) {
        if (std::abs(qint64(a.offset_s())) > kMaxOffsetSeconds)
            refuse(field(a.question(), "datetime"), QStringLiteral("the offset from UTC is over 18 hours"));
        const QString text = BatchCodec::formatDateTime(a.utc_ms(), a.offset_s());
        if (text.isEmpty())
            refuse(field(a.question(), "datetime"), QStringLiteral("the time is outside the years 1..9999"));
        add(a.question(), AnswerType::DateTime, text);
    }
    for (const v1::GeopointAnswer &g : m.geopoints()) {
        const QString f = field(g.question(), "geopoint");
        const QByteArray fu = f.toUtf8();
        checkCoordinates(g.latitude(), g.longitude(), g.altitude(), g.accuracy(), true, true, fu.constData());
        add(g.question(), AnswerType::Geopoint,
            formatGeopoint(g.latitude(), g.longitude(), g.altitude(), g.accuracy()));
    }
    std::sort(r.answers.begin(), r.answers.end(),
              [](const TypedAnswer &a, const TypedAnswer &b) { return a.question < b.question; });

    r.paradata.reserve(m.paradata_size());
    for (int i = 0; i < m.paradata_size(); ++i) {
        const v1::ParadataEvent &e = m.paradata(i);
        ParadataEvent p;
        p.responseUuid = meta.uuid;
        qint64 t = 0;
        if (__builtin_add_overflow(base, e.time_after_ms(), &t) || t < 0 || t >= syncformat::limits::kLatestMs)
            refuse(QStringLiteral("paradata %1").arg(i), QStringLiteral("the time after the start is out of range"));
        p.time = QDateTime::fromMSecsSinceEpoch(t, Qt::UTC);
        if (!kindFromWire(e.kind(), &p.kind))
            refuse(QStringLiteral("paradata %1").arg(i), QStringLiteral("unknown kind %1").arg(int(e.kind())));
        p.question = str(e.question(), where, "paradata.question");
        if (p.question.size() > syncformat::limits::kNameChars)
            refuse(QStringLiteral("paradata %1").arg(i), QStringLiteral("question of %1 characters, over the limit of %2")
                                                             .arg(p.question.size()).arg(syncformat::limits::kNameChars));
        p.detail = str(e.detail(), where, "paradata.detail");
        if (p.detail.size() > syncformat::limits::kParadataDetailChars)
            refuse(QStringLiteral("paradata %1").arg(i), QStringLiteral("detail of %1 characters, over the limit of %2")
                                                             .arg(p.detail.size()).arg(syncformat::limits::kParadataDetailChars));
        r.paradata.append(p);
    }
    r.contentHash = BatchCodec::responseHash(meta, r.answers);
}

IncomingContact Decoder::contact(const v1::Contact &m, int index) const
{
    QString where = QStringLiteral("contact %1").arg(index);
    IncomingContact c;
    ContactEntry &e = c.entry;
    e.uuid = checkedUuid(m.uuid(), m.uuid_text(), where);
    where += QStringLiteral(" (%1)").arg(e.uuid);
    e.caseStudy = str(m.case_study(), where, "case_study");
    if (e.caseStudy.isEmpty())
        invalid(where, QStringLiteral("no case study"));
    try {
        checkCanonicalUuid(e.uuid, m.uuid_text());
        e.enumerator = str(m.enumerator(), where, "enumerator");
        checkName(e.enumerator, "enumerator");
        e.deviceId = m.device_id().empty() ? deviceId() : fromUtf8(m.device_id());
        checkName(e.deviceId, "device_id");
        e.time = QDateTime::fromMSecsSinceEpoch(checkedTime(m.time_ms(), "time_ms"), Qt::UTC);
        if (m.has_location())
            e.location = locationFromWire(m.location(), m.time_ms(), "location");
        if (!dispositionFromWire(m.disposition(), &e.disposition))
            refuse(QStringLiteral("disposition"), QStringLiteral("unknown disposition %1").arg(int(m.disposition())));
        e.ageBand = str(m.age_band(), where, "age_band");
        checkName(e.ageBand, "age_band");
        e.gender = str(m.gender(), where, "gender");
        checkName(e.gender, "gender");
        e.note = fromUtf8(m.note());
        if (e.note.size() > syncformat::limits::kTextAnswerChars)
            refuse(QStringLiteral("note"), QStringLiteral("%1 characters, over the limit of %2")
                                               .arg(e.note.size()).arg(syncformat::limits::kTextAnswerChars));
    } catch (const Refusal &r) {
        IncomingContact refused;
        refused.entry.uuid = e.uuid;
        refused.entry.caseStudy = e.caseStudy;
        refused.refusal = QStringLiteral("contact %1: %2").arg(e.uuid, r.reason);
        return refused;
    }
    c.contentHash = BatchCodec::contactHash(e);
    return c;
}

} // namespace

// --- public --------------------------------------------------------------------------------

QString BatchCodec::formatDouble(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QString BatchCodec::formatTime(quint32 msSinceMidnight)
{
    const QTime t = QTime::fromMSecsSinceStartOfDay(int(msSinceMidnight % kDayMs));
    return t.toString(msSinceMidnight % 1000 ? QStringLiteral("HH:mm:ss.zzz") : QStringLiteral("HH:mm:ss"));
}

QString BatchCodec::formatDateTime(qint64 utcMs, int offsetSeconds)
{
    if (offsetSeconds % 60 != 0 || std::abs(offsetSeconds) > kMaxOffsetSeconds)
        return {};
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(utcMs, Qt::UTC).addSecs(offsetSeconds);
    if (!local.isValid() || local.date().year() < 1 || local.date().year() > 9999)
        return {};
    QString text = local.toString(utcMs % 1000 ? QStringLiteral("yyyy-MM-dd'T'HH:mm:ss.zzz")
                                               : QStringLiteral("yyyy-MM-dd'T'HH:mm:ss"));
    const int off = std::abs(offsetSeconds) / 60;
    text += QStringLiteral("%1%2:%3")
                .arg(offsetSeconds < 0 ? QLatin1Char('-') : QLatin1Char('+'))
                .arg(off / 60, 2, 10, QLatin1Char('0'))
                .arg(off % 60, 2, 10, QLatin1Char('0'));
    return text;
}

bool BatchCodec::uuidToWire(const QString &uuid, QByteArray *bytes)
{
    // Canonical means what QUuid::toString(WithoutBraces) writes: lower-case hex, dashes at
    // 8, 13, 18 and 23, and not the nil UUID. Parsed by hand: this runs for every item.
    if (uuid.size() != 36)
        return false;
    unsigned char out[16];
    unsigned char any = 0;
    const auto *p = reinterpret_cast<const char16_t *>(uuid.utf16());
    int k = 0;
    for (int i = 0; i < 36; ++i) {
        const char16_t c = p[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != u'-')
                return false;
            continue;
        }
        unsigned char v;
        if (c >= u'0' && c <= u'9')
            v = static_cast<unsigned char>(c - u'0');
        else if (c >= u'a' && c <= u'f')
            v = static_cast<unsigned char>(c - u'a' + 10);
        else
            return false;
        if (k % 2 == 0)
            out[k / 2] = static_cast<unsigned char>(v << 4);
        else
            out[k / 2] |= v;
        ++k;
        any |= v;
    }
    if (!any)
        return false; // the nil UUID
    *bytes = QByteArray(reinterpret_cast<const char *>(out), 16);
    return true;
}

QString BatchCodec::uuidFromWire(const QByteArray &bytes, const QString &text)
{
    if (bytes.size() == 16 && text.isEmpty()) {
        // As QUuid::toString(WithoutBraces) spells it, written straight into the QString.
        const auto *b = reinterpret_cast<const unsigned char *>(bytes.constData());
        if (std::all_of(b, b + 16, [](unsigned char c) { return c == 0; }))
            return {}; // the nil UUID
        static constexpr char16_t kHex[] = u"0123456789abcdef";
        QString out(36, Qt::Uninitialized);
        char16_t *o = reinterpret_cast<char16_t *>(out.data());
        for (int i = 0; i < 16; ++i) {
            if (i == 4 || i == 6 || i == 8 || i == 10)
                *o++ = u'-';
            *o++ = kHex[b[i] >> 4];
            *o++ = kHex[b[i] & 0xf];
        }
        return out;
    }
    if (bytes.isEmpty() && !text.isEmpty() && text.size() <= 100)
        return text;
    return {};
}

QString BatchCodec::newUuid()
{
    return newTimeOrderedUuid();
}

BatchCodec::TypeLookup BatchCodec::typesFrom(const QList<const Form *> &forms)
{
    return [forms](const QString &formId, const QString &formVersion,
                   const QString &question) -> std::optional<QuestionType> {
        for (const Form *f : forms) {
            if (f->id == formId && f->version == formVersion) {
                if (const Question *q = f->question(question))
                    return q->type;
                if (f->hasRepeats()) {
                    // member[2]/age is typed as age; a repeat's instance count as an integer.
                    const repeatpath::ParsedKey key = repeatpath::parseKey(*f, question);
                    if (key.question >= 0)
                        return f->questions[key.question].type;
                    if (key.repeat >= 0)
                        return QuestionType::Integer;
                }
                return std::nullopt;
            }
        }
        return std::nullopt;
    };
}

QByteArray BatchCodec::responseHash(const ResponseMeta &meta, const QList<TypedAnswer> &answers)
{
    Canon c;
    c.add(meta.uuid).add(meta.formId).add(meta.formVersion).add(meta.caseStudy)
        .add(meta.enumerator).add(meta.deviceId).add(responseStatusName(meta.status))
        .add(qint64(meta.revision)).add(meta.started).add(meta.ended).add(meta.updated)
        .add(meta.location).add(meta.language);
    // Only when recorded, so responses from before it keep the hashes already stored.
    if (meta.startedUtcOffset)
        c.add(QStringView(u"started_utc_offset_s")).add(qint64(*meta.startedUtcOffset));
    c.end();
    // decode() hands answers over sorted by question, which the hash needs; sort only if not.
    const auto before = [](const TypedAnswer &a, const TypedAnswer &b) { return a.question < b.question; };
    bool sorted = true;
    for (qsizetype i = 1; sorted && i < answers.size(); ++i)
        sorted = before(answers[i - 1], answers[i]); // strictly: ties keep std::sort's order below
    if (sorted) {
        for (const TypedAnswer &a : answers)
            c.add(a.question).add(a.value).end();
        return c.hash();
    }
    QList<const TypedAnswer *> order;
    for (const TypedAnswer &a : answers)
        order.append(&a);
    std::sort(order.begin(), order.end(),
              [](const TypedAnswer *a, const TypedAnswer *b) { return a->question < b->question; });
    for (const TypedAnswer *a : order)
        c.add(a->question).add(a->value).end();
    return c.hash();
}

QByteArray BatchCodec::contactHash(const ContactEntry &e)
{
    Canon c;
    c.add(e.uuid).add(e.caseStudy).add(e.enumerator).add(e.deviceId).add(e.time).add(e.location)
        .add(dispositionName(e.disposition)).add(e.ageBand).add(e.gender).add(e.note).end();
    return c.hash();
}

QByteArray BatchCodec::encode(const BatchHeader &header, const OutboxBatch &batch, const TypeLookup &types)
{
    // On an arena: the batch's ~20,000 small repeated fields and strings are one growing block
    // freed at once, not an allocation each.
    google::protobuf::ArenaOptions options;
    options.start_block_size = 64 << 10;
    options.max_block_size = 1 << 20;
    google::protobuf::Arena arena(options);
    v1::Batch &m = *google::protobuf::Arena::CreateMessage<v1::Batch>(&arena);
    m.set_format(syncformat::kFormatVersion);
    QByteArray batchUuid;
    if (!uuidToWire(header.batchUuid.isEmpty() ? newUuid() : header.batchUuid, &batchUuid))
        throw ProtocolError(ProtocolError::Code::Invalid,
                            QStringLiteral("batch UUID %1 is not a canonical UUID").arg(header.batchUuid));
    m.set_batch_uuid(batchUuid.constData(), size_t(batchUuid.size()));
    m.set_device_id(utf8(header.deviceId));
    m.set_sequence(header.sequence);
    m.set_created_ms((header.created.isValid() ? header.created : QDateTime::currentDateTimeUtc()).toMSecsSinceEpoch());
    m.set_app_version(utf8(header.appVersion));

    StringTable strings(m);
    QHash<QString, quint32> formIndex;
    // Per form version: a question's type by its name's data pointer (the batch keeps the
    // names alive), so the lookup runs once per question, not once per answer.
    QList<QHash<const QChar *, std::pair<qsizetype, std::optional<QuestionType>>>> typeMemo;
    const QString *lastFormId = nullptr, *lastFormVersion = nullptr;
    quint32 form = 0;
    for (qsizetype i = 0; i < batch.responses.size(); ++i) {
        const Response &r = batch.responses[i];
        const ResponseMeta &meta = r.meta;
        v1::Response &out = *m.add_responses();
        setUuid(meta.uuid, out.mutable_uuid(), out.mutable_uuid_text());
        if (!lastFormId || *lastFormId != meta.formId || *lastFormVersion != meta.formVersion) {
            const QString formKey = meta.formId + QLatin1Char('\n') + meta.formVersion;
            auto fit = formIndex.constFind(formKey);
            if (fit == formIndex.constEnd()) {
                v1::FormRef *ref = m.add_forms();
                ref->set_id(utf8(meta.formId));
                ref->set_version(utf8(meta.formVersion));
                fit = formIndex.insert(formKey, quint32(m.forms_size() - 1));
                typeMemo.emplace_back();
            }
            form = *fit;
            lastFormId = &meta.formId;
            lastFormVersion = &meta.formVersion;
        }
        out.set_form(form);
        out.set_case_study(strings.kept(meta.caseStudy));
        out.set_enumerator(strings.kept(meta.enumerator));
        out.set_status(statusToWire(meta.status));
        out.set_revision(quint32(std::max(meta.revision, 0)));
        const qint64 base = meta.started.isValid() ? meta.started.toMSecsSinceEpoch() : 0;
        if (meta.started.isValid())
            out.set_started_ms(base);
        if (meta.startedUtcOffset)
            out.set_started_utc_offset_s(*meta.startedUtcOffset);
        if (meta.ended.isValid())
            out.set_ended_after_ms(meta.ended.toMSecsSinceEpoch() - base);
        if (meta.updated.isValid())
            out.set_updated_after_ms(meta.updated.toMSecsSinceEpoch() - base);
        if (meta.location.isValid()) {
            locationToWire(meta.location, base, out.mutable_location());
            areaToWire(meta.area, &out);
        }
        out.set_language(strings.kept(meta.language));
        if (!meta.deviceId.isEmpty() && meta.deviceId != header.deviceId)
            out.set_device_id(utf8(meta.deviceId));
        auto &memo = typeMemo[form];
        for (auto it = r.answers.constBegin(); it != r.answers.constEnd(); ++it) {
            std::optional<QuestionType> type;
            if (types) {
                const QString &question = it.key();
                const auto known = memo.constFind(question.constData());
                if (known != memo.constEnd() && known->first == question.size()) {
                    type = known->second;
                } else {
                    type = types(meta.formId, meta.formVersion, question);
                    memo.insert(question.constData(), {question.size(), type});
                }
            }
            encodeAnswer(out, strings, it.key(), it.value(), type);
        }
        if (i < batch.paradata.size()) {
            for (const ParadataEvent &e : batch.paradata[i]) {
                v1::ParadataEvent *pe = out.add_paradata();
                pe->set_time_after_ms(e.time.isValid() ? e.time.toMSecsSinceEpoch() - base : 0);
                pe->set_kind(kindToWire(e.kind));
                pe->set_question(strings.kept(e.question));
                pe->set_detail(strings.kept(e.detail));
            }
        }
    }
    for (const ContactEntry &e : batch.contacts) {
        v1::Contact &out = *m.add_contacts();
        setUuid(e.uuid, out.mutable_uuid(), out.mutable_uuid_text());
        out.set_case_study(strings(e.caseStudy));
        out.set_enumerator(strings(e.enumerator));
        const qint64 t = e.time.isValid() ? e.time.toMSecsSinceEpoch() : 0;
        out.set_time_ms(t);
        if (e.location.isValid())
            locationToWire(e.location, t, out.mutable_location());
        out.set_disposition(dispositionToWire(e.disposition));
        out.set_age_band(strings(e.ageBand));
        out.set_gender(strings(e.gender));
        out.set_note(utf8(e.note));
        if (!e.deviceId.isEmpty() && e.deviceId != header.deviceId)
            out.set_device_id(utf8(e.deviceId));
    }
    m.set_item_count(quint32(m.responses_size() + m.contacts_size()));

    QByteArray bytes(qsizetype(m.ByteSizeLong()), Qt::Uninitialized);
    m.SerializeWithCachedSizesToArray(reinterpret_cast<quint8 *>(bytes.data()));
    return bytes;
}

IncomingBatch BatchCodec::decode(const QByteArray &bytes)
{
    if (bytes.size() > std::numeric_limits<int>::max())
        throw ProtocolError(ProtocolError::Code::TooLarge, QStringLiteral("batch: %1 bytes").arg(bytes.size()));
    BoundsScan(bytes.size()).batch(bytes);
    // Parsed on an arena (its size bounded by the scan above): one block freed at the end
    // instead of an allocation per string and repeated field.
    google::protobuf::ArenaOptions options;
    // Block sizes in whole pages: the arena lays out its cleanup list from the block's end,
    // so a size that is not a multiple of 8 misaligns it (UBSan, fuzz_batch).
    options.start_block_size = size_t(std::min<qsizetype>((bytes.size() * 3 + 8191) & ~qsizetype(4095), 8 << 20));
    options.max_block_size = 1 << 20;
    google::protobuf::Arena arena(options);
    v1::Batch &m = *google::protobuf::Arena::CreateMessage<v1::Batch>(&arena);
    if (bytes.isEmpty() || !m.ParseFromArray(bytes.constData(), int(bytes.size())))
        throw ProtocolError(ProtocolError::Code::Malformed,
                            QStringLiteral("batch: not a valid kerbside.v1.Batch message (%1 bytes)").arg(bytes.size()));
    if (m.format() == 0)
        throw ProtocolError(ProtocolError::Code::Malformed, QStringLiteral("batch: no format version"));
    if (m.format() != syncformat::kFormatVersion)
        throw ProtocolError(ProtocolError::Code::UnsupportedVersion,
                            QStringLiteral("batch: format version %1, this collector reads version %2")
                                .arg(m.format()).arg(syncformat::kFormatVersion));
    const int items = m.responses_size() + m.contacts_size();
    if (!m.has_item_count() || m.item_count() != quint32(items))
        throw ProtocolError(ProtocolError::Code::Malformed,
                            QStringLiteral("batch: truncated (item count %1, found %2 items)")
                                .arg(m.has_item_count() ? QString::number(m.item_count()) : QStringLiteral("missing"))
                                .arg(items));
    IncomingBatch out;
    BatchHeader &h = out.header;
    h.batchUuid = uuidFromWire(QByteArray(m.batch_uuid().data(), qsizetype(m.batch_uuid().size())), {});
    if (h.batchUuid.isEmpty())
        invalid(QStringLiteral("batch"), QStringLiteral("batch_uuid is not 16 bytes"));
    h.deviceId = fromUtf8(m.device_id());
    if (h.deviceId.isEmpty())
        invalid(QStringLiteral("batch"), QStringLiteral("no device id"));
    if (m.sequence() < 1 || m.sequence() > syncformat::limits::kMaxSequence)
        invalid(QStringLiteral("batch"), QStringLiteral("sequence number %1 is not in 1..%2")
                                             .arg(m.sequence()).arg(syncformat::limits::kMaxSequence));
    for (const std::string &str : m.strings()) {
        if (qint64(str.size()) > syncformat::limits::kStringBytes)
            throw ProtocolError(ProtocolError::Code::TooLarge,
                                QStringLiteral("batch: a string table entry of %1 bytes (the limit is %2)")
                                    .arg(str.size()).arg(syncformat::limits::kStringBytes));
    }
    h.sequence = m.sequence();
    h.created = QDateTime::fromMSecsSinceEpoch(m.created_ms(), Qt::UTC);
    h.appVersion = fromUtf8(m.app_version());

    Decoder decoder(m);
    QSet<QString> uuids;
    out.responses.reserve(m.responses_size());
    for (int i = 0; i < m.responses_size(); ++i) {
        IncomingResponse r = decoder.response(m.responses(i), i);
        if (uuids.contains(r.meta.uuid))
            invalid(QStringLiteral("response %1").arg(i), QStringLiteral("UUID %1 appears twice in the batch").arg(r.meta.uuid));
        uuids.insert(r.meta.uuid);
        out.responses.append(std::move(r));
    }
    uuids.clear();
    for (int i = 0; i < m.contacts_size(); ++i) {
        IncomingContact c = decoder.contact(m.contacts(i), i);
        if (uuids.contains(c.entry.uuid))
            invalid(QStringLiteral("contact %1").arg(i), QStringLiteral("UUID %1 appears twice in the batch").arg(c.entry.uuid));
        uuids.insert(c.entry.uuid);
        out.contacts.append(std::move(c));
    }
    return out;
}

} // namespace kerbside
