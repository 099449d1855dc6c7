// SPDX-License-Identifier: Apache-2.0
#include "missingchoicesink.h"

#include "csvsink.h"

namespace kerbside {

MissingChoiceSink::MissingChoiceSink(const QString &path, bool bom) : m_out(path), m_bom(bom)
{
}

void MissingChoiceSink::begin(const ExportTable &table, qint64)
{
    if (m_bom)
        m_out.write("\xEF\xBB\xBF", 3);
    m_out.write(QByteArrayLiteral("uuid,variable,value,label\r\n"));
    for (int i = 0; i < table.columns.size(); ++i) {
        const ExportColumn &c = table.columns[i];
        if (c.missingCodes.isEmpty())
            continue;
        m_columns.append(i);
        m_names.append(c.name.toUtf8());
        QHash<QByteArray, QByteArray> labels;
        for (const ValueLabel &l : c.valueLabels) {
            if (l.missingTag)
                labels.insert(l.value.toUtf8(), l.label.toUtf8());
        }
        m_labels.append(labels);
    }
}

void MissingChoiceSink::row(const ExportRow &row)
{
    for (int k = 0; k < m_columns.size(); ++k) {
        const ExportCell &c = row[m_columns[k]];
        if (c.state != ExportCell::State::MissingChoice)
            continue;
        m_line.resize(0);
        const ExportCell &uuid = row[0];
        CsvSink::appendField(&m_line, uuid.text.constData(), uuid.text.size());
        m_line.append(',');
        CsvSink::appendField(&m_line, m_names[k].constData(), m_names[k].size());
        m_line.append(',');
        CsvSink::appendField(&m_line, c.text.constData(), c.text.size());
        m_line.append(',');
        const QByteArray label = m_labels[k].value(c.text);
        CsvSink::appendField(&m_line, label.constData(), label.size());
        m_line.append("\r\n", 2);
        m_out.write(m_line);
        ++m_lines;
    }
}

void MissingChoiceSink::finish()
{
    m_out.close();
}

} // namespace kerbside
