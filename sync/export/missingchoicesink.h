// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "outputfile.h"
#include "tablesink.h"

namespace kerbside {

/** The CSV's companion `<stem>.missing.csv`: the main CSV leaves a cell empty where a choice
 *  declared missing ("don't know") was chosen, and this file says which: one line per such
 *  cell with the response UUID, the variable, the choice name and its label. */
class MissingChoiceSink final : public TableSink
{
public:
    MissingChoiceSink(const QString &path, bool bom);

    void begin(const ExportTable &table, qint64 rowCount) override;
    void row(const ExportRow &row) override;
    void finish() override;
    QString path() const override { return m_out.path(); }
    QByteArray sha256Hex() const override { return m_out.sha256Hex(); }
    qint64 lines() const { return m_lines; }

private:
    OutputFile m_out;
    bool m_bom;
    QList<int> m_columns; // the columns that can hold a missing choice
    QList<QByteArray> m_names;
    QList<QHash<QByteArray, QByteArray>> m_labels; // per column: choice name -> label
    QByteArray m_line;
    qint64 m_lines = 0;
};

} // namespace kerbside
