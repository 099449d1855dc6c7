// SPDX-License-Identifier: Apache-2.0
#include "jsonlsink.h"

namespace kerbside {

namespace {

// RFC 8259 number syntax: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool isJsonNumber(const QByteArray &t)
{
    qsizetype i = 0;
    const qsizetype n = t.size();
    auto digits = [&] {
        const qsizetype start = i;
        while (i < n && t[i] >= '0' && t[i] <= '9')
            ++i;
        return i > start;
    };
    if (i < n && t[i] == '-')
        ++i;
    if (i < n && t[i] == '0')
        ++i;
    else if (!digits())
        return false;
    if (i < n && t[i] == '.') {
        ++i;
        if (!digits())
            return false;
    }
    if (i < n && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        if (i < n && (t[i] == '+' || t[i] == '-'))
            ++i;
        if (!digits())
            return false;
    }
    return i == n;
}

const char *reasonName(ExportCell::State s)
{
    switch (s) {
    case ExportCell::State::NotRelevant: return "not_relevant";
    case ExportCell::State::NotAnswered: return "not_answered";
    case ExportCell::State::Refused: return "refused_interview";
    default: return nullptr;
    }
}

} // namespace

JsonlSink::JsonlSink(const QString &path) : m_out(path)
{
}

void JsonlSink::appendString(QByteArray *out, const char *data, qsizetype size)
{
    static const char hex[] = "0123456789abcdef";
    out->append('"');
    for (qsizetype i = 0; i < size; ++i) {
        const unsigned char c = static_cast<unsigned char>(data[i]);
        switch (c) {
        case '"': out->append("\\\"", 2); break;
        case '\\': out->append("\\\\", 2); break;
        case '\n': out->append("\\n", 2); break;
        case '\r': out->append("\\r", 2); break;
        case '\t': out->append("\\t", 2); break;
        default:
            if (c < 0x20) {
                const char esc[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                out->append(esc, 6);
            } else {
                out->append(char(c));
            }
        }
    }
    out->append('"');
}

void JsonlSink::begin(const ExportTable &table, qint64)
{
    for (const ExportColumn &c : table.columns) {
        const QByteArray name = c.name.toUtf8();
        QByteArray key;
        appendString(&key, name.constData(), name.size());
        key.append(':');
        m_keys.append(key);
        m_kinds.append(c.kind);
    }
}

void JsonlSink::row(const ExportRow &row)
{
    m_line.clear();
    m_line.append('{');
    bool anyMissing = false;
    for (qsizetype i = 0; i < row.size(); ++i) {
        if (i)
            m_line.append(',');
        m_line.append(m_keys[i]);
        const ExportCell &c = row[i];
        if (c.state != ExportCell::State::Value) {
            m_line.append("null", 4);
            anyMissing |= reasonName(c.state) != nullptr || c.state == ExportCell::State::MissingChoice;
            continue;
        }
        switch (m_kinds[i]) {
        case ColumnKind::Number:
        case ColumnKind::Flag:
            if (isJsonNumber(c.text)) {
                m_line.append(c.text);
                break;
            }
            [[fallthrough]];
        default:
            appendString(&m_line, c.text.constData(), c.text.size());
        }
    }
    if (anyMissing) {
        m_line.append(",\"_missing\":{", 13);
        bool first = true;
        for (qsizetype i = 0; i < row.size(); ++i) {
            const ExportCell &c = row[i];
            const char *reason = reasonName(c.state);
            if (!reason && c.state != ExportCell::State::MissingChoice)
                continue;
            if (!first)
                m_line.append(',');
            first = false;
            m_line.append(m_keys[i]);
            if (reason) // a choice declared missing: its name ("dk")
                m_line.append('"').append(reason).append('"');
            else
                appendString(&m_line, c.text.constData(), c.text.size());
        }
        m_line.append('}');
    }
    m_line.append("}\n", 2);
    m_out.write(m_line);
}

void JsonlSink::finish()
{
    m_out.close();
}

} // namespace kerbside
