// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "outputfile.h"
#include "tablesink.h"

namespace kerbside {

/** RFC 4180 CSV: UTF-8, CRLF line ends, a field quoted when it holds a comma, quote, CR or LF
 *  (quotes doubled); optionally a byte-order mark so Excel reads UTF-8. Missing values are
 *  empty fields (the codebook says how to tell them apart from the .sav/.dta files). */
class CsvSink final : public TableSink
{
public:
    CsvSink(const QString &path, bool bom);

    void begin(const ExportTable &table, qint64 rowCount) override;
    void row(const ExportRow &row) override;
    void finish() override;
    QString path() const override { return m_out.path(); }
    QByteArray sha256Hex() const override { return m_out.sha256Hex(); }

    static void appendField(QByteArray *line, const char *data, qsizetype size);

private:
    void field(const char *data, qsizetype size);

    OutputFile m_out;
    bool m_bom;
    QByteArray m_line;
};

} // namespace kerbside
