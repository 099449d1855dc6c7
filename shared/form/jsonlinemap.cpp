// SPDX-License-Identifier: Apache-2.0
#include "jsonlinemap.h"

#include <QVarLengthArray>

#include <cctype>

namespace kerbside {

/** A minimal recursive JSON walker over bytes that only tracks lines and paths. */
class JsonScanner
{
public:
    JsonScanner(const QByteArray &json, bool recordLines, JsonLineMap *map)
        : m_data(json.constData()), m_size(json.size()), m_record(recordLines), m_map(map)
    {
    }

    void run()
    {
        skipSpace();
        value(QStringLiteral("$"));
    }

private:
    const char *m_data;
    qsizetype m_size;
    qsizetype m_pos = 0;
    int m_line = 1;
    bool m_record;
    JsonLineMap *m_map;
    int m_depth = 0;

    static bool isLiteralChar(char c) // numbers, true, false, null
    {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '+' || c == '.';
    }
    bool atEnd() const { return m_pos >= m_size; }
    char peek() const { return atEnd() ? '\0' : m_data[m_pos]; }

    void skipSpace()
    {
        while (!atEnd()) {
            const char c = m_data[m_pos];
            if (c == '\n')
                ++m_line;
            else if (c != ' ' && c != '\t' && c != '\r')
                return;
            ++m_pos;
        }
    }

    // Returns false when the text is not JSON after all (then the scan just stops).
    bool value(const QString &path)
    {
        if (m_record && !m_map->m_lines.contains(path))
            m_map->m_lines.insert(path, m_line);
        if (++m_depth > 512)
            return false; // QJsonDocument refuses deeper documents anyway
        bool ok = true;
        switch (peek()) {
        case '{': ok = object(path); break;
        case '[': ok = array(path); break;
        case '"': ok = string(nullptr); break;
        default:
            while (!atEnd() && isLiteralChar(m_data[m_pos]))
                ++m_pos;
        }
        --m_depth;
        return ok;
    }

    // Reads a string literal; the raw (still escaped) bytes between the quotes go to `raw`.
    bool string(QByteArrayView *raw)
    {
        const qsizetype start = ++m_pos;
        while (!atEnd() && m_data[m_pos] != '"') {
            if (m_data[m_pos] == '\\')
                ++m_pos;
            ++m_pos;
        }
        if (atEnd())
            return false;
        if (raw)
            *raw = QByteArrayView(m_data + start, m_pos - start);
        ++m_pos;
        return true;
    }

    bool object(const QString &path)
    {
        ++m_pos;
        skipSpace();
        if (peek() == '}') {
            ++m_pos;
            return true;
        }
        struct Seen
        {
            QByteArrayView key; // into the scanned text: no copy per key
            int line;
        };
        QVarLengthArray<Seen, 16> seen;
        while (true) {
            skipSpace();
            if (peek() != '"')
                return false;
            QByteArrayView rawKey;
            if (!string(&rawKey))
                return false;
            skipSpace();
            if (peek() != ':')
                return false;
            ++m_pos;
            skipSpace();
            const QString key = m_record ? decode(rawKey) : QString();
            const QString child = m_record ? JsonLineMap::childPath(path, key) : QString();
            for (const Seen &s : seen) {
                if (s.key == rawKey) {
                    const QString name = decode(rawKey);
                    m_map->m_duplicates.append({name, m_record ? child : QString(), m_line, s.line});
                    break;
                }
            }
            seen.append({rawKey, m_line});
            // A repeated key's later value would overwrite the first one's line; keep the first
            // (that is where QJsonDocument's surviving value is reported from, and it is stable).
            if (!value(child))
                return false;
            skipSpace();
            if (peek() == ',') {
                ++m_pos;
                continue;
            }
            if (peek() == '}') {
                ++m_pos;
                return true;
            }
            return false;
        }
    }

    bool array(const QString &path)
    {
        ++m_pos;
        skipSpace();
        if (peek() == ']') {
            ++m_pos;
            return true;
        }
        for (qsizetype i = 0;; ++i) {
            skipSpace();
            if (!value(m_record ? JsonLineMap::indexPath(path, i) : QString()))
                return false;
            skipSpace();
            if (peek() == ',') {
                ++m_pos;
                continue;
            }
            if (peek() == ']') {
                ++m_pos;
                return true;
            }
            return false;
        }
    }

    // Decodes JSON escapes in a key; keys are short, so this does not need to be fast.
    static QString decode(QByteArrayView raw)
    {
        if (!raw.contains('\\'))
            return QString::fromUtf8(raw);
        QString out;
        QByteArray pending;
        auto flush = [&] {
            out += QString::fromUtf8(pending);
            pending.clear();
        };
        for (qsizetype i = 0; i < raw.size(); ++i) {
            const char c = raw[i];
            if (c != '\\' || i + 1 >= raw.size()) {
                pending.append(c);
                continue;
            }
            const char e = raw[++i];
            switch (e) {
            case 'n': pending.append('\n'); break;
            case 't': pending.append('\t'); break;
            case 'r': pending.append('\r'); break;
            case 'b': pending.append('\b'); break;
            case 'f': pending.append('\f'); break;
            case 'u':
                if (i + 4 < raw.size()) {
                    flush();
                    out += QChar(char16_t(raw.sliced(i + 1, 4).toByteArray().toUShort(nullptr, 16)));
                    i += 4;
                }
                break;
            default: pending.append(e); // \" \\ \/
            }
        }
        flush();
        return out;
    }
};

JsonLineMap JsonLineMap::scan(const QByteArray &json, bool recordLines)
{
    JsonLineMap map;
    JsonScanner(json, recordLines, &map).run();
    return map;
}

QString JsonLineMap::childPath(const QString &parent, const QString &key)
{
    return parent + QLatin1Char('.') + key;
}

QString JsonLineMap::indexPath(const QString &parent, qsizetype index)
{
    return parent + QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
}

} // namespace kerbside
