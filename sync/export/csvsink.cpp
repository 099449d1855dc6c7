// SPDX-License-Identifier: Apache-2.0
#include "csvsink.h"

namespace kerbside {

CsvSink::CsvSink(const QString &path, bool bom) : m_out(path), m_bom(bom)
{
}

void CsvSink::appendField(QByteArray *line, const char *data, qsizetype size)
{
    bool quote = false;
    for (qsizetype i = 0; i < size; ++i) {
        const char c = data[i];
        if (c == ',' || c == '"' || c == '\r' || c == '\n') {
            quote = true;
            break;
        }
    }
    if (!quote) {
        line->append(data, size);
        return;
    }
    line->append('"');
    for (qsizetype i = 0; i < size; ++i) {
        if (data[i] == '"')
            line->append('"');
        line->append(data[i]);
    }
    line->append('"');
}

void CsvSink::begin(const ExportTable &table, qint64)
{
    if (m_bom)
        m_out.write("\xEF\xBB\xBF", 3);
    m_line.clear();
    for (int i = 0; i < table.columns.size(); ++i) {
        if (i)
            m_line.append(',');
        const QByteArray name = table.columns[i].name.toUtf8();
        appendField(&m_line, name.constData(), name.size());
    }
    m_line.append("\r\n", 2);
    m_out.write(m_line);
}

void CsvSink::row(const ExportRow &row)
{
    m_line.resize(0); // keeps the buffer (clear() would free it)
    for (qsizetype i = 0; i < row.size(); ++i) {
        if (i)
            m_line.append(',');
        const ExportCell &c = row[i];
        if (c.state == ExportCell::State::Value)
            appendField(&m_line, c.text.constData(), c.text.size());
    }
    m_line.append("\r\n", 2);
    m_out.write(m_line);
}

void CsvSink::finish()
{
    m_out.close();
}

} // namespace kerbside
